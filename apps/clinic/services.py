"""Writes on the administrative registry. Each function is one transaction."""

from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts.services import user_create
from apps.clinic.keys import centro_key
from apps.clinic.models import Centro, Doctor, EstadoPaciente, Paciente
from apps.common.exceptions import Conflict
from apps.common.roles import Rol

T = TypeVar("T")


class CentroDuplicado(Conflict):
    default_detail = _("A centro with this name and address already exists.")
    default_code = "centro_duplicado"
    field = "nombre"


def centro_create(*, nombre: str, direccion: str) -> Centro:
    try:
        with transaction.atomic():
            return Centro.objects.create(nombre=nombre, direccion=direccion)
    except IntegrityError as exc:
        if Centro.objects.filter(clave=centro_key(nombre, direccion)).exists():
            raise CentroDuplicado() from exc
        raise


@transaction.atomic
def doctor_create(*, nombre: str, especialidad: str, username: str, password: str) -> Doctor:
    user = user_create(username=username, password=password, rol=Rol.MEDICO)
    return Doctor.objects.create(user=user, nombre=nombre, especialidad=especialidad)


@transaction.atomic
def paciente_create(
    *, nombre: str, telefono: str, username: str, password: str, estado: str = EstadoPaciente.ACTIVO
) -> Paciente:
    user = user_create(username=username, password=password, rol=Rol.PACIENTE)
    return Paciente.objects.create(user=user, nombre=nombre, telefono=telefono, estado=estado)


def centro_update(*, centro: Centro, **fields: Any) -> Centro:
    return _update(centro, fields, on_conflict=CentroDuplicado)


def doctor_update(*, doctor: Doctor, **fields: Any) -> Doctor:
    return _update(doctor, fields)


def paciente_update(*, paciente: Paciente, **fields: Any) -> Paciente:
    return _update(paciente, fields)


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
