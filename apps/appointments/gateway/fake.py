"""An in-memory gestion for unit tests of the booking rules and the free slots."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from apps.appointments.gateway.port import (
    Agenda,
    Bloqueo,
    CentroRef,
    DoctorRef,
    GestionNoDisponible,
    PacienteRef,
    Referencias,
    Revocaciones,
    RevocacionRef,
    Tramo,
    UsuarioRef,
    hora_a_minutos,
)
from apps.common.localtime import local_date

TODA_LA_SEMANA = range(1, 8)


@dataclass
class FakeGestion:
    doctores_por_id: dict[int, DoctorRef] = field(default_factory=dict)
    centros_por_id: dict[int, CentroRef] = field(default_factory=dict)
    pacientes_por_id: dict[int, PacienteRef] = field(default_factory=dict)
    horarios: list[Tramo] = field(default_factory=list)
    ausencias: list[Bloqueo] = field(default_factory=list)
    usuarios: dict[tuple[str, str], UsuarioRef] = field(default_factory=dict)
    revocados: list[RevocacionRef] = field(default_factory=list)
    disponible: bool = True
    calls: int = 0

    def add_usuario(self, username: str, password: str, rol: str, id_user: int) -> UsuarioRef:
        self.usuarios[(username, password)] = UsuarioRef(id_user, username, rol)
        return self.usuarios[(username, password)]

    def autenticar(self, *, username: str, password: str, direccion: str) -> UsuarioRef | None:
        self._call()
        return self.usuarios.get((username, password))

    def pacientes(self, *, buscar: str) -> tuple[PacienteRef, ...]:
        self._call()
        term = buscar.casefold()
        return tuple(
            p
            for p in self.pacientes_por_id.values()
            if term in p.nombre.casefold() or term == (p.documento or "").casefold()
        )

    def centros(self) -> tuple[CentroRef, ...]:
        self._call()
        return tuple(self.centros_por_id.values())

    def add_doctor(
        self,
        id_doctor: int,
        nombre: str = "Dra. Prueba",
        especialidad: str = "Ortodoncia",
        activo: bool = True,
    ) -> DoctorRef:
        self.doctores_por_id[id_doctor] = DoctorRef(id_doctor, nombre, especialidad, activo)
        return self.doctores_por_id[id_doctor]

    def add_centro(self, id_centro: int, nombre: str = "Clínica Prueba", **reservas: int) -> CentroRef:
        self.centros_por_id[id_centro] = CentroRef(id_centro, nombre, **reservas)
        return self.centros_por_id[id_centro]

    def add_paciente(
        self,
        id_paciente: int,
        nombre: str = "Paciente Prueba",
        estado: str = "ACTIVO",
        documento: str | None = None,
        email: str = "",
    ) -> PacienteRef:
        self.pacientes_por_id[id_paciente] = PacienteRef(id_paciente, nombre, estado, documento, email)
        return self.pacientes_por_id[id_paciente]

    def add_horario(
        self,
        id_doctor: int,
        id_centro: int,
        dias=TODA_LA_SEMANA,
        desde: str = "00:00",
        hasta: str = "24:00",
        vigente_desde: date | None = None,
        vigente_hasta: date | None = None,
    ) -> None:
        """A range on each of ``dias`` (ISO weekdays), as gestion would hold it."""
        for dia in [dias] if isinstance(dias, int) else dias:
            self.horarios.append(
                Tramo(
                    id_doctor,
                    id_centro,
                    dia,
                    hora_a_minutos(desde),
                    hora_a_minutos(hasta),
                    vigente_desde,
                    vigente_hasta,
                )
            )

    def add_ausencia(
        self, inicio: datetime, fin: datetime, *, id_doctor: int | None = None, id_centro: int | None = None
    ) -> None:
        self.ausencias.append(Bloqueo(inicio, fin, id_doctor, id_centro))

    def referencias(
        self, *, id_doctor: int, id_centro: int, id_paciente: int, desde: datetime, hasta: datetime
    ) -> Referencias:
        self._call()
        return Referencias(
            doctor=self.doctores_por_id.get(id_doctor),
            centro=self.centros_por_id.get(id_centro),
            paciente=self.pacientes_por_id.get(id_paciente),
            horarios=self._horarios(id_centro, [id_doctor], desde, hasta),
            ausencias=self._ausencias(id_centro, [id_doctor], desde, hasta),
        )

    def agenda(
        self,
        *,
        id_centro: int,
        desde: datetime,
        hasta: datetime,
        id_doctor: int | None = None,
        especialidad: str | None = None,
    ) -> Agenda:
        self._call()
        centro = self.centros_por_id.get(id_centro)
        if centro is None:
            return Agenda(centro=None)
        doctores = [
            doctor
            for doctor in self.doctores_por_id.values()
            if doctor.activo
            and (id_doctor is None or doctor.id_doctor == id_doctor)
            and (not especialidad or doctor.especialidad.casefold() == especialidad.casefold())
        ]
        horarios = self._horarios(id_centro, [d.id_doctor for d in doctores], desde, hasta)
        con_horario = {tramo.id_doctor for tramo in horarios}
        doctores = [doctor for doctor in doctores if doctor.id_doctor in con_horario]
        return Agenda(
            centro=centro,
            doctores=tuple(doctores),
            horarios=horarios,
            ausencias=self._ausencias(id_centro, [d.id_doctor for d in doctores], desde, hasta),
        )

    def revocaciones(self, *, desde: datetime) -> Revocaciones:
        self._call()
        return Revocaciones(
            hasta=timezone.now(), revocaciones=tuple(r for r in self.revocados if r.desde >= desde)
        )

    def revocar(self, id_user: int) -> None:
        self.revocados.append(RevocacionRef(id_user, timezone.now()))

    def _call(self) -> None:
        self.calls += 1
        if not self.disponible:
            raise GestionNoDisponible("gestion is down (fake)")

    def _horarios(self, id_centro: int, doctores: list[int], desde: datetime, hasta: datetime):
        primero, ultimo = local_date(desde), local_date(hasta)
        return tuple(
            tramo
            for tramo in self.horarios
            if tramo.id_centro == id_centro
            and tramo.id_doctor in doctores
            and (tramo.vigente_desde is None or tramo.vigente_desde <= ultimo)
            and (tramo.vigente_hasta is None or tramo.vigente_hasta >= primero)
        )

    def _ausencias(self, id_centro: int, doctores: list[int], desde: datetime, hasta: datetime):
        return tuple(
            bloqueo
            for bloqueo in self.ausencias
            if (bloqueo.id_centro == id_centro or bloqueo.id_doctor in doctores)
            and bloqueo.inicio < hasta
            and bloqueo.fin > desde
        )
