"""What booking needs to know from gestion, as plain data: the port and the values crossing it."""

from dataclasses import dataclass
from typing import Protocol

from apps.common.exceptions import DependencyUnavailable


@dataclass(frozen=True)
class DoctorRef:
    id_doctor: int
    nombre: str
    especialidad: str


@dataclass(frozen=True)
class CentroRef:
    id_centro: int
    nombre: str


@dataclass(frozen=True)
class PacienteRef:
    id_paciente: int
    nombre: str
    estado: str

    @property
    def activo(self) -> bool:
        return self.estado == "ACTIVO"


@dataclass(frozen=True)
class Referencias:
    """The doctor, centro and patient of a cita; None where gestion has no such record."""

    doctor: DoctorRef | None
    centro: CentroRef | None
    paciente: PacienteRef | None


class GestionNoDisponible(DependencyUnavailable):
    """gestion did not answer in time, could not be reached, or failed."""


class GestionPort(Protocol):
    def referencias(self, *, id_doctor: int, id_centro: int, id_paciente: int) -> Referencias: ...
