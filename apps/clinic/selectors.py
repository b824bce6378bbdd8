from datetime import datetime

from django.db.models import Q, QuerySet

from apps.clinic.data import Agenda, Bloqueo, CentroRef, DoctorRef, PacienteRef, Referencias, Tramo
from apps.clinic.models import Ausencia, Centro, Doctor, Horario, Paciente
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
        id_paciente=paciente.pk, nombre=paciente.nombre, estado=paciente.estado, documento=paciente.documento
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


def referencias_cita(
    *,
    id_doctor: int,
    id_centro: int,
    id_paciente: int,
    desde: datetime | None = None,
    hasta: datetime | None = None,
) -> Referencias:
    """What booking a cita in ``[desde, hasta)`` needs: the doctor, centro and patient (None where absent),
    the doctor's horario at the centro and the ausencias of either that overlap that time."""
    doctor = Doctor.objects.filter(pk=id_doctor).first()
    centro = Centro.objects.filter(pk=id_centro).first()
    paciente = Paciente.objects.filter(pk=id_paciente).first()
    horarios = _en_vigor(Horario.objects.filter(doctor=id_doctor, centro=id_centro), desde, hasta)
    ausencias = (
        _ausencias(doctores=[id_doctor], id_centro=id_centro, desde=desde, hasta=hasta)
        if desde is not None and hasta is not None
        else []
    )
    return Referencias(
        doctor=doctor and doctor_ref(doctor),
        centro=centro and centro_ref(centro),
        paciente=paciente and paciente_ref(paciente),
        horarios=tuple(tramo(horario) for horario in horarios.order_by("dia_semana", "hora_inicio", "pk")),
        ausencias=tuple(ausencias),
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
