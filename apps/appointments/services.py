"""Booking, changing and cancelling citas. Each write is one transaction; nothing here speaks HTTP.

A booking asks gestion once, before its transaction (no write lock is held while gestion is on the line),
then checks the agenda and writes inside it. At most one active cita per doctor and per patient at any
time: on PostgreSQL exclusion constraints refuse overlaps whatever the code does, and the bookings of one
doctor or one patient wait for each other before their checks (``_comprobar_hueco``); on SQLite, write
transactions are serialized (transaction_mode IMMEDIATE), so the checks and the insert that follows them
cannot interleave with another booking's.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.appointments.agenda import AgendaDoctor, DobleReserva
from apps.appointments.estados import TRANSICIONES
from apps.appointments.gateway import GestionPort, Referencias
from apps.appointments.models import DURACION_POR_DEFECTO, ESTADOS_ACTIVOS, Cita, EstadoCita, fin_de
from apps.appointments.selectors import citas_solapadas
from apps.common import sql
from apps.common.authentication import ClaimsUser
from apps.common.exceptions import Conflict, InvalidInput, NotAllowed
from apps.common.roles import Rol
from apps.notifications.models import TipoNotificacion
from apps.notifications.services import notificacion_create

T = TypeVar("T")


class PacienteOcupado(Conflict):
    code = "paciente_ocupado"
    message = _("The patient already has a cita at that time.")


class DemasiadasCitas(Conflict):
    code = "demasiadas_citas"
    message = _("You already have as many citas to come as a patient may book; cancel one first.")


class CitaNoModificable(Conflict):
    code = "cita_no_modificable"
    message = _("The cita is cancelled or completed; it can no longer change.")


class TransicionNoPermitida(Conflict):
    code = "transicion_no_permitida"
    message = _("The cita cannot go to that state from its state, or not at this time.")


class CitaYaCancelada(Conflict):
    code = "cita_ya_cancelada"
    message = _("The cita is already cancelled.")


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


def paciente_de_la_cita(*, actor: ClaimsUser, id_paciente: int | None) -> int:
    """Who a new cita is for: a patient books for itself only; staff name the patient."""
    if actor.rol == Rol.PACIENTE:
        if actor.id_paciente is None or id_paciente not in (None, actor.id_paciente):
            raise NotAllowed(_("A patient books for itself only."))
        return actor.id_paciente
    if id_paciente is None:
        raise InvalidInput(_("This field is required."), field="id_paciente", code="required")
    return id_paciente


def _referencias(datos: DatosCita, gestion: GestionPort) -> Referencias:
    """gestion's answer for the cita, after the checks that need nothing else (rules 1 and 2)."""
    refs = gestion.referencias(
        id_doctor=datos.id_doctor,
        id_centro=datos.id_centro,
        id_paciente=datos.id_paciente,
        desde=datos.fecha,
        hasta=datos.fin,
    )
    if refs.doctor is None:
        raise InvalidInput(_("That doctor does not exist."), field="id_doctor", code="doctor_no_existe")
    if refs.centro is None:
        raise InvalidInput(_("That centro does not exist."), field="id_centro", code="centro_no_existe")
    if refs.paciente is None:
        raise InvalidInput(_("That patient does not exist."), field="id_paciente", code="paciente_no_existe")
    if not refs.paciente.activo:
        raise InvalidInput(_("The patient is not active."), field="id_paciente", code="paciente_inactivo")
    if not refs.doctor.activo:
        raise InvalidInput(_("The doctor is not active."), field="id_doctor", code="doctor_inactivo")
    if not refs.centro.activo:
        raise InvalidInput(_("The centro is not active."), field="id_centro", code="centro_inactivo")
    return refs


# The first keys of the advisory locks a booking holds on PostgreSQL, "a doctor's bookings" and "a patient's
# bookings"; the second key is the doctor's or the patient's id.
ADVISORY_LOCK_DOCTOR = 2
ADVISORY_LOCK_PACIENTE = 1


def _comprobar_hueco(datos: DatosCita, refs: Referencias, *, excepto: Cita | None = None) -> None:
    """The rules that read the agenda, in the order their answers are given; inside the booking's
    transaction. A change may overlap the cita it replaces (``excepto``). One read brings the active citas
    of the doctor or the patient that overlap.

    On PostgreSQL that read comes in the booking's turn: it holds the advisory locks of the doctor and then
    of the patient to the end of the transaction, so that the bookings of one doctor or one patient take
    turns and each one's checks see the one before, committed. Without turns, two bookings of one slot both
    passed their checks and met at the exclusion constraints, each waiting for the other: PostgreSQL finds
    such a deadlock only after ``deadlock_timeout`` (1 s) and aborts one, and in a burst of bookings of one
    slot the aborted ones, run again, tangled anew, one abort a second, for minutes.
    """
    solapadas = citas_solapadas(
        id_doctor=datos.id_doctor,
        id_paciente=datos.id_paciente,
        desde=datos.fecha,
        hasta=datos.fin,
        excepto=excepto.pk if excepto is not None else None,
        turno=[ADVISORY_LOCK_DOCTOR, datos.id_doctor, ADVISORY_LOCK_PACIENTE, datos.id_paciente],
    )
    agenda = AgendaDoctor(
        centro=refs.centro,
        horarios=refs.horarios,
        ausencias=refs.ausencias,
        ocupadas=[(fecha, fin) for doctor, _, fecha, fin in solapadas if doctor == datos.id_doctor],
        ahora=timezone.now(),
    )
    rechazo = agenda.rechazo(datos.fecha, datos.duracion_minutos)
    if rechazo is not None:
        raise rechazo()
    if any(paciente == datos.id_paciente for _, paciente, _, _ in solapadas):
        raise PacienteOcupado()


def _insertar(
    datos: DatosCita, refs: Referencias, *, actor: ClaimsUser, cita_anterior: Cita | None = None
) -> Cita:
    cita = Cita(
        paciente_nombre=refs.paciente.nombre,
        doctor_nombre=refs.doctor.nombre,
        doctor_especialidad=refs.doctor.especialidad,
        centro_nombre=refs.centro.nombre,
        fecha=datos.fecha,
        duracion_minutos=datos.duracion_minutos,
        motivo=datos.motivo,
        id_doctor=datos.id_doctor,
        id_centro=datos.id_centro,
        id_paciente=datos.id_paciente,
        id_user_registrado=actor.id_user,
        cita_anterior=cita_anterior,
    )
    cita._change_reason = "creada"  # the action its history records
    cita.save(force_insert=True)
    return cita


DEADLOCK_DETECTED = "40P01"
# The exclusion constraints of migrations 0002 and 0003, and the error each one's refusal answers.
CONSTRAINT_ERRORS = {"cita_doctor_sin_solape": DobleReserva, "cita_paciente_sin_solape": PacienteOcupado}
DEADLOCK_RETRIES = 3


def _reservar(write: Callable[[], T]) -> T:
    """Run a booking's checks and writes in one transaction.

    A concurrent write that the checks could not see yet is refused by an exclusion constraint. A write
    that takes no turn (by hand, on the staff site) may deadlock with the booking at the constraints;
    PostgreSQL then aborts one, and an aborted booking runs again.
    """
    sql.trust_quiet_connection()
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            with transaction.atomic():
                return write()
        except IntegrityError as exc:
            diagnostic = getattr(exc.__cause__, "diag", None)
            error = CONSTRAINT_ERRORS.get(getattr(diagnostic, "constraint_name", None))
            if error is None:
                raise
            raise error() from exc
        except OperationalError as exc:
            deadlock = getattr(exc.__cause__, "sqlstate", None) == DEADLOCK_DETECTED
            if not deadlock or attempt == DEADLOCK_RETRIES:
                raise
    raise AssertionError("unreachable")


def _dentro_del_limite(id_paciente: int) -> None:
    """A patient booking for itself holds at most MAX_CITAS_ACTIVAS_PACIENTE active citas still to come.

    Counted inside the booking's transaction, with the patient's bookings serialized: by SQLite's write lock,
    or on PostgreSQL by the booking's turn (``_comprobar_hueco``).
    """
    futuras = Cita.objects.activas().filter(id_paciente=id_paciente, fecha__gt=timezone.now())
    if futuras.count() >= settings.MAX_CITAS_ACTIVAS_PACIENTE:
        raise DemasiadasCitas()


def cita_create(*, datos: DatosCita, actor: ClaimsUser, gestion: GestionPort) -> Cita:
    refs = _referencias(datos, gestion)

    def write() -> Cita:
        _comprobar_hueco(datos, refs)
        if actor.rol == Rol.PACIENTE:  # staff book for patients without a cap
            _dentro_del_limite(datos.id_paciente)
        cita = _insertar(datos, refs, actor=actor)
        notificacion_create(cita=cita, tipo=TipoNotificacion.RESERVA)
        return cita

    return _reservar(write)


def _marcar_cancelada(cita: Cita, *, actor: ClaimsUser, motivo: str, accion: str = "cancelada") -> None:
    cita._change_reason = accion
    cita.estado = EstadoCita.CANCELADA
    cita.motivo_cancelacion = motivo
    cita.id_user_cancelacion = actor.id_user
    cita.cancelada = timezone.now()
    cita.save(
        update_fields=["estado", "motivo_cancelacion", "id_user_cancelacion", "cancelada", "actualizada"]
    )


def cita_cancel(*, cita_id: int, actor: ClaimsUser, motivo: str = "") -> Cita:
    with transaction.atomic():
        cita = get_object_or_404(Cita.objects.select_for_update(), pk=cita_id)
        if cita.estado == EstadoCita.CANCELADA:
            raise CitaYaCancelada()
        if cita.estado not in ESTADOS_ACTIVOS:
            raise CitaNoModificable()
        _marcar_cancelada(cita, actor=actor, motivo=motivo)
        notificacion_create(cita=cita, tipo=TipoNotificacion.CANCELACION)
        return cita


def cita_reschedule(
    *, cita_id: int, cambios: dict, actor: ClaimsUser, gestion: GestionPort
) -> Reprogramacion:
    """Replace an active cita by a new one with the changes; the old one is cancelled.

    Both happen in one transaction or neither does. The new cita may overlap the one it replaces.
    """
    actual = get_object_or_404(Cita, pk=cita_id)
    if actual.estado not in ESTADOS_ACTIVOS:
        raise CitaNoModificable()
    datos = DatosCita(
        fecha=cambios.get("fecha", actual.fecha),
        id_doctor=cambios.get("id_doctor", actual.id_doctor),
        id_centro=cambios.get("id_centro", actual.id_centro),
        id_paciente=actual.id_paciente,
        duracion_minutos=cambios.get("duracion_minutos", actual.duracion_minutos),
        motivo=cambios.get("motivo", actual.motivo),
    )
    refs = _referencias(datos, gestion)

    def write() -> Reprogramacion:
        anterior = get_object_or_404(Cita.objects.select_for_update(), pk=cita_id)
        if anterior.estado not in ESTADOS_ACTIVOS:  # changed or cancelled meanwhile
            raise CitaNoModificable()
        _comprobar_hueco(datos, refs, excepto=anterior)
        # Cancelled first, so that the constraints no longer count the time being replaced.
        _marcar_cancelada(anterior, actor=actor, motivo=str(_("Changed to a new cita.")), accion="cambiada")
        cita = _insertar(datos, refs, actor=actor, cita_anterior=anterior)
        notificacion_create(cita=cita, tipo=TipoNotificacion.CAMBIO)
        return Reprogramacion(cita=cita, cita_anterior=anterior)

    return _reservar(write)


def cita_transition(*, cita_id: int, accion: str, actor: ClaimsUser) -> Cita:
    """Move a cita on as the transition table says (confirm, arrive, complete, no-show)."""
    transicion = TRANSICIONES[accion]
    with transaction.atomic():
        cita = get_object_or_404(Cita.objects.select_for_update(), pk=cita_id)
        if cita.estado not in transicion.desde or not transicion.cuando(cita, timezone.now()):
            raise TransicionNoPermitida()
        cita.estado = transicion.destino
        cita._change_reason = transicion.destino.lower()
        cita.save(update_fields=["estado", "actualizada"])
        return cita


def cita_delete(*, cita_id: int) -> None:
    cita = Cita.objects.filter(pk=cita_id).first()
    if cita is not None:
        cita._change_reason = "eliminada"
        cita.delete()
