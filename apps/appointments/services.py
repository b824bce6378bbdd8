"""Booking, changing and cancelling citas. Each write is one transaction; nothing here speaks HTTP.

Double booking: on PostgreSQL an exclusion constraint refuses overlapping PROGRAMADA citas of a doctor
whatever the code does; on SQLite, write transactions are serialized (transaction_mode IMMEDIATE), so the
overlap check and the insert that follows it cannot interleave with another booking's.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, OperationalError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ErrorDetail, ValidationError

from apps.appointments.gateway import GestionPort
from apps.appointments.models import DURACION_POR_DEFECTO, Cita, EstadoCita, fin_de
from apps.common.authentication import ClaimsUser
from apps.common.exceptions import Conflict


class DobleReserva(Conflict):
    default_detail = _("The doctor already has a cita at that time.")
    default_code = "doble_reserva"


class CitaNoModificable(Conflict):
    default_detail = _("The cita is cancelled or completed; it can no longer change.")
    default_code = "cita_no_modificable"


class CitaYaCancelada(Conflict):
    default_detail = _("The cita is already cancelled.")
    default_code = "cita_ya_cancelada"


@dataclass(frozen=True)
class DatosCita:
    """What a booking asks for, as validated input."""

    fecha: datetime
    id_doctor: int
    id_centro: int
    id_paciente: int
    duracion_minutos: int = DURACION_POR_DEFECTO
    motivo: str = ""

    @property
    def fin(self) -> datetime:
        return fin_de(self.fecha, self.duracion_minutos)


@dataclass(frozen=True)
class Reprogramacion:
    cita: Cita
    cita_anterior: Cita


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ErrorDetail(str(message), code=code)]})


def validar_reserva(*, datos: DatosCita, gestion: GestionPort) -> None:
    """The checks a booking passes before it is written, in the order their answers are given."""
    refs = gestion.referencias(
        id_doctor=datos.id_doctor, id_centro=datos.id_centro, id_paciente=datos.id_paciente
    )
    if refs.doctor is None:
        raise _invalid("id_doctor", _("That doctor does not exist."), "doctor_no_existe")
    if refs.centro is None:
        raise _invalid("id_centro", _("That centro does not exist."), "centro_no_existe")
    if refs.paciente is None:
        raise _invalid("id_paciente", _("That patient does not exist."), "paciente_no_existe")
    if not refs.paciente.activo:
        raise _invalid("id_paciente", _("The patient is not active."), "paciente_inactivo")
    if datos.fecha <= timezone.now():
        raise _invalid("fecha", _("The date must be in the future."), "fecha_pasada")


def _hay_solape(datos: DatosCita, *, excepto: Cita | None = None) -> bool:
    ocupadas = Cita.objects.filter(
        id_doctor=datos.id_doctor, estado=EstadoCita.PROGRAMADA, fecha__lt=datos.fin, fin__gt=datos.fecha
    )
    if excepto is not None:
        ocupadas = ocupadas.exclude(pk=excepto.pk)
    return ocupadas.exists()


def _insertar(datos: DatosCita, *, actor: ClaimsUser, cita_anterior: Cita | None = None) -> Cita:
    return Cita.objects.create(
        fecha=datos.fecha,
        duracion_minutos=datos.duracion_minutos,
        motivo=datos.motivo,
        id_doctor=datos.id_doctor,
        id_centro=datos.id_centro,
        id_paciente=datos.id_paciente,
        id_user_registrado=actor.id_user,
        cita_anterior=cita_anterior,
    )


DEADLOCK_DETECTED = "40P01"


@contextmanager
def _reserva_atomica():
    """A transaction that books a slot; a concurrent booking of the same slot makes it a DobleReserva."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:  # the exclusion constraint caught a concurrent booking
        raise DobleReserva() from exc
    except OperationalError as exc:
        # Two conflicting inserts that reach the exclusion constraint together may each wait for the
        # other; PostgreSQL then aborts one of them, which lost the slot like any other.
        if getattr(exc.__cause__, "sqlstate", None) == DEADLOCK_DETECTED:
            raise DobleReserva() from exc
        raise


def cita_crear(*, datos: DatosCita, actor: ClaimsUser, gestion: GestionPort) -> Cita:
    # Asked before the transaction: no write lock is held while gestion is on the line.
    validar_reserva(datos=datos, gestion=gestion)
    with _reserva_atomica():
        if _hay_solape(datos):
            raise DobleReserva()
        return _insertar(datos, actor=actor)


def _marcar_cancelada(cita: Cita, *, actor: ClaimsUser, motivo: str) -> None:
    cita.estado = EstadoCita.CANCELADA
    cita.motivo_cancelacion = motivo
    cita.id_user_cancelacion = actor.id_user
    cita.cancelada = timezone.now()
    cita.save(
        update_fields=["estado", "motivo_cancelacion", "id_user_cancelacion", "cancelada", "actualizada"]
    )


def cita_cancelar(*, cita_id: int, actor: ClaimsUser, motivo: str = "") -> Cita:
    with transaction.atomic():
        cita = get_object_or_404(Cita.objects.select_for_update(), pk=cita_id)
        if cita.estado == EstadoCita.CANCELADA:
            raise CitaYaCancelada()
        if cita.estado != EstadoCita.PROGRAMADA:
            raise CitaNoModificable()
        _marcar_cancelada(cita, actor=actor, motivo=motivo)
        return cita


def cita_reprogramar(
    *, cita_id: int, cambios: dict, actor: ClaimsUser, gestion: GestionPort
) -> Reprogramacion:
    """Replace a PROGRAMADA cita by a new one with the changes; the old one is cancelled.

    Both happen in one transaction or neither does. The new cita may overlap the one it replaces.
    """
    actual = get_object_or_404(Cita, pk=cita_id)
    if actual.estado != EstadoCita.PROGRAMADA:
        raise CitaNoModificable()
    datos = DatosCita(
        fecha=cambios.get("fecha", actual.fecha),
        id_doctor=cambios.get("id_doctor", actual.id_doctor),
        id_centro=cambios.get("id_centro", actual.id_centro),
        id_paciente=actual.id_paciente,
        duracion_minutos=cambios.get("duracion_minutos", actual.duracion_minutos),
        motivo=cambios.get("motivo", actual.motivo),
    )
    validar_reserva(datos=datos, gestion=gestion)
    with _reserva_atomica():
        anterior = get_object_or_404(Cita.objects.select_for_update(), pk=cita_id)
        if anterior.estado != EstadoCita.PROGRAMADA:  # changed or cancelled meanwhile
            raise CitaNoModificable()
        if _hay_solape(datos, excepto=anterior):
            raise DobleReserva()
        # Cancelled first, so that the constraint no longer counts the slot being replaced.
        _marcar_cancelada(anterior, actor=actor, motivo=str(_("Changed to a new cita.")))
        nueva = _insertar(datos, actor=actor, cita_anterior=anterior)
    return Reprogramacion(cita=nueva, cita_anterior=anterior)


def cita_eliminar(*, cita_id: int) -> None:
    Cita.objects.filter(pk=cita_id).delete()
