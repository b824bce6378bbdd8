"""Writes on the administrative registry. Each function is one transaction."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.services import user_create
from apps.clinic.keys import centro_key
from apps.clinic.models import Ausencia, Centro, Doctor, EstadoPaciente, Horario, Paciente
from apps.common.exceptions import AlreadyExists, Conflict
from apps.common.roles import Rol

T = TypeVar("T")


class CentroDuplicado(AlreadyExists):
    message = _("A centro with this name and address already exists.")
    code = "centro_duplicado"
    field = "nombre"


def centro_create(*, nombre: str, direccion: str, **reservas: int) -> Centro:
    """``reservas``: the booking settings that differ from the network's defaults."""
    try:
        with transaction.atomic():
            return Centro.objects.create(nombre=nombre, direccion=direccion, **reservas)
    except IntegrityError as exc:
        if Centro.objects.filter(clave=centro_key(nombre, direccion)).exists():
            raise CentroDuplicado() from exc
        raise


@transaction.atomic
def doctor_create(
    *, nombre: str, especialidad: str, username: str, password: str, horarios: Iterable[dict] = ()
) -> Doctor:
    """The doctor, its user and, when given, its horario ranges (``horario_create``'s fields but the
    doctor's): all of them or none."""
    user = user_create(username=username, password=password, rol=Rol.MEDICO)
    doctor = Doctor.objects.create(user=user, nombre=nombre, especialidad=especialidad)
    for tramo in horarios:
        horario_create(doctor=doctor, **tramo)
    return doctor


class PacienteDuplicado(AlreadyExists):
    message = _("A patient with this documento already exists.")
    code = "paciente_duplicado"
    field = "documento"


class PacienteConUsuario(Conflict):
    message = _("The patient already has a login.")
    code = "paciente_con_usuario"


def _documento_libre(documento: str | None, *, excepto: Paciente | None = None) -> None:
    otros = Paciente.objects.filter(documento=documento)
    if excepto is not None:
        otros = otros.exclude(pk=excepto.pk)
    if documento and otros.exists():
        raise PacienteDuplicado()


def paciente_create(
    *,
    nombre: str,
    telefono: str,
    estado: str = EstadoPaciente.ACTIVO,
    documento: str | None = None,
    fecha_nacimiento: date | None = None,
    email: str = "",
    username: str | None = None,
    password: str | None = None,
) -> Paciente:
    """A patient, with its login (rol paciente) when given a username and password, in one transaction."""
    # Checked first so that a duplicate costs no password hashing; the unique index still decides races.
    _documento_libre(documento)
    try:
        with transaction.atomic():
            user = user_create(username=username, password=password, rol=Rol.PACIENTE) if username else None
            return Paciente.objects.create(
                user=user,
                nombre=nombre,
                telefono=telefono,
                estado=estado,
                documento=documento,
                fecha_nacimiento=fecha_nacimiento,
                email=email,
            )
    except IntegrityError:
        _documento_libre(documento)  # a concurrent create took the documento: 409, not 500
        raise


@transaction.atomic
def paciente_usuario_create(*, paciente: Paciente, username: str, password: str):
    """Give a patient without a login one of its own."""
    paciente = Paciente.objects.select_for_update().get(pk=paciente.pk)
    if paciente.user_id is not None:
        raise PacienteConUsuario()
    paciente.user = user_create(username=username, password=password, rol=Rol.PACIENTE)
    paciente.save(update_fields=["user", "actualizado"])
    return paciente.user


def centro_update(*, centro: Centro, **fields: Any) -> Centro:
    return _update(centro, fields, on_conflict=CentroDuplicado)


def doctor_update(*, doctor: Doctor, **fields: Any) -> Doctor:
    return _update(doctor, fields)


def paciente_update(*, paciente: Paciente, **fields: Any) -> Paciente:
    if "documento" in fields:
        _documento_libre(fields["documento"], excepto=paciente)
    return _update(paciente, fields, on_conflict=PacienteDuplicado)


def _update(instance: T, fields: dict[str, Any], on_conflict: type[Conflict] | None = None) -> T:
    for name, value in fields.items():
        setattr(instance, name, value)
    try:
        with transaction.atomic():
            instance.save(update_fields=[*fields, "actualizado"])
    except IntegrityError as exc:
        if on_conflict is None:
            raise
        raise on_conflict() from exc
    return instance


class HorarioSolapado(Conflict):
    message = _("The doctor already works at that time, at this or another centro.")
    code = "horario_solapado"
    field = "hora_inicio"


class HorarioDuplicado(AlreadyExists):
    message = _("The doctor already has this very range.")
    code = "horario_duplicado"
    field = "hora_inicio"


EXCLUSION_VIOLATION = "23P01"


def horarios_solapados(horario: Horario):
    """The other ranges of the doctor, at any centro, that share time with this one on a day both are in
    force."""
    solapados = Horario.objects.filter(
        doctor=horario.doctor_id,
        dia_semana=horario.dia_semana,
        hora_inicio__lt=horario.hora_fin,
        hora_fin__gt=horario.hora_inicio,
    )
    if horario.vigente_hasta is not None:
        solapados = solapados.filter(
            Q(vigente_desde__isnull=True) | Q(vigente_desde__lte=horario.vigente_hasta)
        )
    if horario.vigente_desde is not None:
        solapados = solapados.filter(
            Q(vigente_hasta__isnull=True) | Q(vigente_hasta__gte=horario.vigente_desde)
        )
    return solapados.exclude(pk=horario.pk) if horario.pk is not None else solapados


def _mismo_rango(a: Horario, b: Horario) -> bool:
    fields = ("centro_id", "dia_semana", "hora_inicio", "hora_fin", "vigente_desde", "vigente_hasta")
    return all(getattr(a, name) == getattr(b, name) for name in fields)


def horario_save(*, horario: Horario, **save_options: Any) -> Horario:
    """Save a range that overlaps none of its doctor's.

    Checked here on every engine; on PostgreSQL an exclusion constraint also refuses what a concurrent
    transaction slipped in, and on SQLite write transactions are serialized, so nothing can. On PostgreSQL
    the doctor's ranges are saved one at a time (the doctor's row locked first), so that the check sees the
    one saved before: two overlapping ranges saved together would both pass their checks and meet at the
    constraint, each waiting for the other, a deadlock that PostgreSQL ends only after a second, with an
    error.
    """
    try:
        with transaction.atomic():
            list(Doctor.objects.select_for_update().filter(pk=horario.doctor_id).values_list("pk"))
            solapados = list(horarios_solapados(horario)[:1])
            if solapados:
                raise HorarioDuplicado() if _mismo_rango(solapados[0], horario) else HorarioSolapado()
            horario.save(**save_options)
    except IntegrityError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == EXCLUSION_VIOLATION:
            raise HorarioSolapado() from exc
        raise
    return horario


def horario_create(
    *,
    doctor: Doctor,
    centro: Centro,
    dia_semana: int,
    hora_inicio: int,
    hora_fin: int,
    vigente_desde: date | None = None,
    vigente_hasta: date | None = None,
) -> Horario:
    """A weekly range (minutes since midnight, local wall time) in which the doctor works at the centro."""
    horario = Horario(
        doctor=doctor,
        centro=centro,
        dia_semana=dia_semana,
        hora_inicio=hora_inicio,
        hora_fin=hora_fin,
        vigente_desde=vigente_desde,
        vigente_hasta=vigente_hasta,
    )
    return horario_save(horario=horario, force_insert=True)


def horario_update(*, horario: Horario, **fields: Any) -> Horario:
    for name, value in fields.items():
        setattr(horario, name, value)
    return horario_save(horario=horario, update_fields=[*fields, "actualizado"])


def horario_delete(*, horario: Horario) -> None:
    horario.delete()


def ausencia_create(
    *,
    inicio: datetime,
    fin: datetime,
    doctor: Doctor | None = None,
    centro: Centro | None = None,
    motivo: str = "",
) -> Ausencia:
    """Time in which the doctor, or the whole centro, takes no citas."""
    return Ausencia.objects.create(doctor=doctor, centro=centro, inicio=inicio, fin=fin, motivo=motivo)


def ausencia_update(*, ausencia: Ausencia, **fields: Any) -> Ausencia:
    return _update(ausencia, fields)


def ausencia_delete(*, ausencia: Ausencia) -> None:
    ausencia.delete()
