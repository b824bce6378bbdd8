"""What citas asks gestion, and the plain data of its answers.

The data is gestion's own definition of what crosses between the deployables (``apps.clinic.data``,
standard library only): this is the one module of citas that imports it, and the rest of citas takes it
from here.
"""

from datetime import datetime
from typing import Protocol

from apps.clinic.data import (
    Agenda,
    Bloqueo,
    CentroRef,
    DoctorRef,
    PacienteRef,
    Referencias,
    Revocaciones,
    RevocacionRef,
    Tramo,
    UsuarioRef,
    hora_a_minutos,
)
from apps.common.exceptions import DependencyUnavailable

__all__ = [
    "AccesoBloqueado",
    "Agenda",
    "Bloqueo",
    "CentroRef",
    "DoctorRef",
    "GestionNoDisponible",
    "GestionPort",
    "PacienteRef",
    "Referencias",
    "RevocacionRef",
    "Revocaciones",
    "Tramo",
    "UsuarioRef",
    "hora_a_minutos",
]


class GestionNoDisponible(DependencyUnavailable):
    """gestion did not answer in time, could not be reached, or failed."""


class AccesoBloqueado(Exception):
    """gestion refuses sign-ins from this address or for this account for a while."""

    def __init__(self, retry_after: int):
        super().__init__(f"sign-in locked for {retry_after} s")
        self.retry_after = retry_after


class GestionPort(Protocol):
    def referencias(
        self, *, id_doctor: int, id_centro: int, id_paciente: int, desde: datetime, hasta: datetime
    ) -> Referencias:
        """Everything booking a cita in ``[desde, hasta)`` needs from gestion, in one call."""
        ...

    def agenda(
        self,
        *,
        id_centro: int,
        desde: datetime,
        hasta: datetime,
        id_doctor: int | None = None,
        especialidad: str | None = None,
    ) -> Agenda:
        """Everything the free slots of a centro in ``[desde, hasta)`` need from gestion, in one call."""
        ...

    def autenticar(self, *, username: str, password: str, direccion: str) -> UsuarioRef | None:
        """Whose these credentials are, as gestion says; None when they are wrong. ``direccion`` is where the
        person signs in from, for gestion's failed-login policy, which raises AccesoBloqueado while locked."""
        ...

    def pacientes(self, *, buscar: str) -> tuple[PacienteRef, ...]:
        """The first patients whose name, phone or documento match, as the front desk looks one up."""
        ...

    def centros(self) -> tuple[CentroRef, ...]:
        """The network's centros."""
        ...

    def revocaciones(self, *, desde: datetime) -> Revocaciones:
        """The token revocations gestion recorded from ``desde`` on."""
        ...
