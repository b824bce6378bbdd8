from datetime import date, datetime

from django.db.models import Q, QuerySet

from apps.clinic.data import Agenda, Bloqueo, CentroRef, DoctorRef, PacienteRef, Referencias, Tramo
from apps.clinic.models import Ausencia, Centro, Doctor, Horario, Paciente
from apps.common import sql
from apps.common.localtime import local_date
from apps.common.roles import Rol


def pacientes_visibles(*, actor) -> QuerySet[Paciente]:
    """A patient sees its own record only; the other roles allowed to read patients see them all."""
    pacientes = Paciente.objects.all()
    if actor.rol == Rol.PACIENTE:
        return pacientes.filter(user=actor)
    return pacientes


def horarios_visibles(*, actor) -> QuerySet[Horario]:
    """A doctor sees its own horario; the other roles allowed to read horarios see them all."""
    horarios = Horario.objects.all()
    if actor.rol == Rol.MEDICO:
        return horarios.filter(doctor__user=actor)
    return horarios


def ausencias_visibles(*, actor) -> QuerySet[Ausencia]:
    """A doctor sees its own ausencias and those of the centros it works at; the others see them all."""
    ausencias = Ausencia.objects.all()
    if actor.rol == Rol.MEDICO:
        return ausencias.filter(Q(doctor__user=actor) | Q(centro__horarios__doctor__user=actor)).distinct()
    return ausencias


def doctor_ref(doctor: Doctor) -> DoctorRef:
    return DoctorRef(
        id_doctor=doctor.pk, nombre=doctor.nombre, especialidad=doctor.especialidad, activo=doctor.activo
    )


def centro_ref(centro: Centro) -> CentroRef:
    return CentroRef(
        id_centro=centro.pk,
        nombre=centro.nombre,
        antelacion_minima_minutos=centro.antelacion_minima_minutos,
        horizonte_dias=centro.horizonte_dias,
        intervalo_minutos=centro.intervalo_minutos,
        activo=centro.activo,
    )


def paciente_ref(paciente: Paciente) -> PacienteRef:
    return PacienteRef(
        id_paciente=paciente.pk,
        nombre=paciente.nombre,
        estado=paciente.estado,
        documento=paciente.documento,
        email=paciente.email,
    )


def tramo(horario: Horario) -> Tramo:
    return Tramo(
        id_doctor=horario.doctor_id,
        id_centro=horario.centro_id,
        dia_semana=horario.dia_semana,
        hora_inicio=horario.hora_inicio,
        hora_fin=horario.hora_fin,
        vigente_desde=horario.vigente_desde,
        vigente_hasta=horario.vigente_hasta,
    )


def bloqueo(ausencia: Ausencia) -> Bloqueo:
    return Bloqueo(
        inicio=ausencia.inicio, fin=ausencia.fin, id_doctor=ausencia.doctor_id, id_centro=ausencia.centro_id
    )


def _en_vigor(horarios: QuerySet[Horario], desde: datetime | None, hasta: datetime | None):
    """The ranges in force on some local day of ``[desde, hasta)``; all of them without bounds."""
    if hasta is not None:
        horarios = horarios.filter(Q(vigente_desde__isnull=True) | Q(vigente_desde__lte=local_date(hasta)))
    if desde is not None:
        horarios = horarios.filter(Q(vigente_hasta__isnull=True) | Q(vigente_hasta__gte=local_date(desde)))
    return horarios


def _ausencias(*, doctores: list[int], id_centro: int, desde: datetime, hasta: datetime) -> list[Bloqueo]:
    ausencias = Ausencia.objects.filter(
        Q(doctor__in=doctores) | Q(centro=id_centro), inicio__lt=hasta, fin__gt=desde
    ).order_by("inicio", "pk")
    return [bloqueo(ausencia) for ausencia in ausencias]


# The booking path's read, in raw SQL (see apps.common.sql), one statement: the three records (each there or
# NULL; columns in its dataclass's field order), joined to each range in force and each ausencia that
# overlaps; a row per range and ausencia (a few), or one row with NULLs where there are none.
_REFERENCIAS = """
    SELECT d.id_doctor, d.nombre, d.especialidad, d.activo,
           c.id_centro, c.nombre, c.antelacion_minima_minutos, c.horizonte_dias, c.intervalo_minutos,
           c.activo,
           p.id_paciente, p.nombre, p.estado, p.documento, p.email,
           h.id_horario, h.dia_semana, h.hora_inicio, h.hora_fin, h.vigente_desde, h.vigente_hasta,
           a.id_ausencia, a.inicio, a.fin, a.id_doctor, a.id_centro
    FROM (SELECT 1 AS uno) AS uno
    LEFT JOIN clinic_doctor d ON d.id_doctor = %s
    LEFT JOIN clinic_centro c ON c.id_centro = %s
    LEFT JOIN clinic_paciente p ON p.id_paciente = %s
    LEFT JOIN clinic_horario h ON h.id_doctor = %s AND h.id_centro = %s
        AND (h.dia_semana - %s + 7) %% 7 <= %s
        AND (h.vigente_desde IS NULL OR h.vigente_desde <= %s)
        AND (h.vigente_hasta IS NULL OR h.vigente_hasta >= %s)
    LEFT JOIN clinic_ausencia a ON (a.id_doctor = %s OR a.id_centro = %s) AND a.inicio < %s AND a.fin > %s
    ORDER BY h.dia_semana, h.hora_inicio, h.id_horario, a.inicio, a.id_ausencia
"""
# Each record's columns in a row of it; a range's and an ausencia's begin with their id.
_DOCTOR, _CENTRO, _PACIENTE = slice(0, 4), slice(4, 10), slice(10, 15)
_HORARIO, _AUSENCIA = slice(15, 21), slice(21, 26)
_SIEMPRE = (date.min, date.max)  # the days of "in force" without bounds


def referencias_cita(
    *,
    id_doctor: int,
    id_centro: int,
    id_paciente: int,
    desde: datetime | None = None,
    hasta: datetime | None = None,
) -> Referencias:
    """What booking a cita in ``[desde, hasta)`` needs: the doctor, centro and patient (None where absent),
    the doctor's horario at the centro (the ranges of the range's local week days, in force on some local
    day of it) and the ausencias of either that overlap it."""
    ultimo_dia = local_date(hasta) if hasta is not None else _SIEMPRE[1]
    primer_dia = local_date(desde) if desde is not None else _SIEMPRE[0]
    # The week days from the first day's on, as many as the range has days (a week at most); a cita's are
    # one or two, where a doctor's horario may have a dozen ranges.
    otros_dias = min(max((ultimo_dia - primer_dia).days, 0), 6)
    bounded = desde is not None and hasta is not None  # else no ausencias: NULL bounds match none
    found = sql.rows(
        _REFERENCIAS,
        [
            *(id_doctor, id_centro, id_paciente),
            *(id_doctor, id_centro, primer_dia.isoweekday(), otros_dias, ultimo_dia, primer_dia),
            *(id_doctor, id_centro, hasta if bounded else None, desde if bounded else None),
        ],
    )
    d, c, p = found[0][_DOCTOR], found[0][_CENTRO], found[0][_PACIENTE]
    # A range comes once per ausencia and an ausencia once per range: each is kept once, in order.
    horarios = {h[0]: h[1:] for h in (row[_HORARIO] for row in found) if h[0] is not None}
    ausencias = {a[0]: a[1:] for a in (row[_AUSENCIA] for row in found) if a[0] is not None}
    return Referencias(
        doctor=DoctorRef(*d) if d[0] is not None else None,
        centro=CentroRef(*c) if c[0] is not None else None,
        paciente=PacienteRef(*p) if p[0] is not None else None,
        horarios=tuple(
            Tramo(
                id_doctor=id_doctor,
                id_centro=id_centro,
                dia_semana=dia,
                hora_inicio=inicio,
                hora_fin=fin,
                vigente_desde=vigente_desde,
                vigente_hasta=vigente_hasta,
            )
            for dia, inicio, fin, vigente_desde, vigente_hasta in horarios.values()
        ),
        ausencias=tuple(
            Bloqueo(inicio=sql.instante(inicio), fin=sql.instante(fin), id_doctor=doctor, id_centro=centro)
            for inicio, fin, doctor, centro in ausencias.values()
        ),
    )


def agenda_centro(
    *,
    id_centro: int,
    desde: datetime,
    hasta: datetime,
    id_doctor: int | None = None,
    especialidad: str | None = None,
) -> Agenda:
    """What the free slots of a centro in ``[desde, hasta)`` need: the centro, the doctors with a range in
    force there (optionally one doctor, or one especialidad), those ranges, and the ausencias that overlap."""
    centro = Centro.objects.filter(pk=id_centro).first()
    if centro is None:
        return Agenda(centro=None)
    horarios = _en_vigor(
        Horario.objects.filter(centro=centro, doctor__activo=True), desde, hasta
    ).select_related("doctor")
    if id_doctor is not None:
        horarios = horarios.filter(doctor=id_doctor)
    if especialidad:
        horarios = horarios.filter(doctor__especialidad__iexact=especialidad)
    horarios = list(horarios.order_by("doctor", "dia_semana", "hora_inicio", "pk"))
    doctores = {horario.doctor_id: horario.doctor for horario in horarios}
    return Agenda(
        centro=centro_ref(centro),
        doctores=tuple(doctor_ref(doctor) for doctor in doctores.values()),
        horarios=tuple(tramo(horario) for horario in horarios),
        ausencias=tuple(_ausencias(doctores=list(doctores), id_centro=id_centro, desde=desde, hasta=hasta)),
    )
