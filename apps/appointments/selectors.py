from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.appointments.agenda import AgendaDoctor
from apps.appointments.gateway import DoctorRef, GestionPort
from apps.appointments.models import DURACION_MAXIMA, ESTADOS_ACTIVOS, Cita
from apps.common import sql
from apps.common.authentication import ClaimsUser
from apps.common.exceptions import InvalidInput
from apps.common.filters import hasta_asentado
from apps.common.localtime import local_day_bounds
from apps.common.roles import Rol


def citas_visibles(*, actor: ClaimsUser) -> QuerySet[Cita]:
    """The citas a caller may see: a doctor its own, a patient its own, secretaria and admin all."""
    citas = Cita.objects.all()
    if actor.rol == Rol.MEDICO:
        return citas.filter(id_doctor=actor.id_doctor)
    if actor.rol == Rol.PACIENTE:
        return citas.filter(id_paciente=actor.id_paciente)
    if actor.rol in (Rol.ADMIN, Rol.SECRETARIA):
        return citas
    return citas.none()


# On every booking, in raw SQL (see apps.common.sql): of Cita.objects.activas().solapan(desde, hasta), those
# of the doctor or the patient, but the cita being replaced.
_ESTADOS = ", ".join(["%s"] * len(ESTADOS_ACTIVOS))
_SOLAPAN = (
    f"estado IN ({_ESTADOS}) AND fecha > %s AND fecha < %s AND fin > %s"
    " AND (id_doctor = %s OR id_paciente = %s) AND id_cita <> %s"
)
_SOLAPADAS = f"SELECT id_doctor, id_paciente, fecha, fin FROM appointments_cita WHERE {_SOLAPAN}"  # noqa: S608 (placeholders)
# The same, in the statement that takes two advisory locks if both are free (``libre``); read only then.
# The subquery is the outer side of the join, its single row made first and once (OFFSET 0 keeps the
# planner from merging it into the join).
_TURNO_LIBRE = (
    "SELECT pg_try_advisory_xact_lock(%s, %s) AND pg_try_advisory_xact_lock(%s, %s) AS libre OFFSET 0"
)
_SOLAPADAS_SI_LIBRE = (
    f"SELECT libre, id_doctor, id_paciente, fecha, fin FROM ({_TURNO_LIBRE}) AS turno"  # noqa: S608 (placeholders)
    f" LEFT JOIN appointments_cita ON libre AND {_SOLAPAN}"
)
# Waits for both, in the order given (a select list is evaluated in order): two bookings that ask for them in
# one order never hold one each, waiting for the other's.
_TURNO = "SELECT pg_advisory_xact_lock(%s, %s), pg_advisory_xact_lock(%s, %s)"


def citas_solapadas(
    *,
    id_doctor: int,
    id_paciente: int,
    desde: datetime,
    hasta: datetime,
    excepto: int | None = None,
    turno: Sequence[int] = (),
) -> list[tuple[int, int, datetime, datetime]]:
    """(id_doctor, id_paciente, fecha, fin) of the active citas of the doctor or the patient that share time
    with ``[desde, hasta)``, but the one ``excepto`` names.

    ``turno``: on PostgreSQL, the keys of two transaction-scoped advisory locks to hold before reading, so
    that the read sees, committed, the writes of whoever held them. When both are free, one statement takes
    them and reads (its snapshot may be a moment older than the locks: a booking committed in that moment is
    not in the read, and the exclusion constraints refuse what overlaps it). Otherwise it waits for them, the
    first pair first, and reads anew.
    """
    earliest = desde - timedelta(minutes=DURACION_MAXIMA)  # as CitaQuerySet.solapan bounds it
    where = [*ESTADOS_ACTIVOS, earliest, hasta, desde, id_doctor, id_paciente, excepto or 0]
    if not turno or connection.vendor != "postgresql":
        found = sql.rows(_SOLAPADAS, where)
    else:
        tried = sql.rows(_SOLAPADAS_SI_LIBRE, [*turno, *where])
        if tried[0][0]:
            found = [row[1:] for row in tried if row[1] is not None]
        else:
            sql.rows(_TURNO, list(turno))
            found = sql.rows(_SOLAPADAS, where)
    return [
        (doctor, paciente, sql.instante(fecha), sql.instante(fin)) for doctor, paciente, fecha, fin in found
    ]


@dataclass(frozen=True)
class HuecosDoctor:
    doctor: DoctorRef
    huecos: list[datetime]


def disponibilidad_centro(
    *,
    id_centro: int,
    desde: date,
    hasta: date,
    duracion_minutos: int,
    gestion: GestionPort,
    id_doctor: int | None = None,
    especialidad: str | None = None,
) -> list[HuecosDoctor]:
    """The free slots at a centro on the local days ``desde`` to ``hasta``, per doctor working there: one
    question to gestion, one query of the citas."""
    inicio, fin = local_day_bounds(desde)[0], local_day_bounds(hasta)[1]
    agenda = gestion.agenda(
        id_centro=id_centro, desde=inicio, hasta=fin, id_doctor=id_doctor, especialidad=especialidad
    )
    if agenda.centro is None:
        raise InvalidInput(_("That centro does not exist."), field="id_centro", code="centro_no_existe")
    if not agenda.centro.activo:
        return []
    ocupadas = defaultdict(list)
    citas = (
        Cita.objects.activas()
        .solapan(inicio, fin)
        .filter(id_doctor__in=[d.id_doctor for d in agenda.doctores])
    )
    for doctor, fecha, termina in citas.values_list("id_doctor", "fecha", "fin"):
        ocupadas[doctor].append((fecha, termina))
    ahora = timezone.now()
    resultado = []
    for doctor in agenda.doctores:
        agenda_doctor = AgendaDoctor(
            centro=agenda.centro,
            horarios=[tramo for tramo in agenda.horarios if tramo.id_doctor == doctor.id_doctor],
            ausencias=[
                bloqueo
                for bloqueo in agenda.ausencias
                if bloqueo.id_doctor == doctor.id_doctor or bloqueo.id_centro == id_centro
            ],
            ocupadas=ocupadas[doctor.id_doctor],
            ahora=ahora,
        )
        resultado.append(HuecosDoctor(doctor, agenda_doctor.huecos(desde, hasta, duracion_minutos)))
    return resultado


@dataclass(frozen=True)
class ColumnaAgenda:
    """One doctor's day at a centro, as the staff agenda shows it: its citas and its free slots, in order."""

    id_doctor: int
    nombre: str
    especialidad: str
    citas: list[Cita]
    huecos: list[datetime]

    def entradas(self) -> list[tuple[datetime, Cita | None]]:
        """Citas and free slots by time: (start, cita), the cita None for a free slot."""
        return sorted(
            [(cita.fecha, cita) for cita in self.citas] + [(hueco, None) for hueco in self.huecos],
            key=lambda e: e[0],
        )


def agenda_del_dia(
    *, id_centro: int, dia: date, gestion: GestionPort, duracion_minutos: int
) -> list[ColumnaAgenda]:
    """A centro's local day, doctor by doctor: the free slots of each doctor working there, and the citas
    booked at the centro that day (a doctor with citas but no horario that day gets a column too)."""
    libres = disponibilidad_centro(
        id_centro=id_centro, desde=dia, hasta=dia, duracion_minutos=duracion_minutos, gestion=gestion
    )
    inicio, fin = local_day_bounds(dia)
    citas = Cita.objects.filter(id_centro=id_centro, fecha__gte=inicio, fecha__lt=fin).order_by("fecha", "pk")
    por_doctor = defaultdict(list)
    for cita in citas:
        por_doctor[cita.id_doctor].append(cita)
    columnas = [
        ColumnaAgenda(
            d.doctor.id_doctor,
            d.doctor.nombre,
            d.doctor.especialidad,
            por_doctor.pop(d.doctor.id_doctor, []),
            d.huecos,
        )
        for d in libres
    ]
    for id_doctor, sus_citas in por_doctor.items():
        primera = sus_citas[0]
        columnas.append(
            ColumnaAgenda(id_doctor, primera.doctor_nombre, primera.doctor_especialidad, sus_citas, [])
        )
    return columnas


def citas_eliminadas(*, desde: datetime | None = None):
    """The deletions of citas, oldest first, as a feed a poller can follow (see ``hasta_asentado``)."""
    borrados = Cita.history.filter(history_type="-", history_date__lt=hasta_asentado())
    if desde is not None:
        borrados = borrados.filter(history_date__gte=desde)
    return borrados.order_by("history_date", "history_id")
