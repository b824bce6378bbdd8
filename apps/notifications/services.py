"""The outbox and its delivery.

A message is written in the transaction of the change it tells of (``notificacion_create``), and handed to
the worker once that commits. Delivery claims the row with one conditional UPDATE, so that of several
workers (or a retried task) exactly one sends it; it asks gestion for the patient's address when it sends.
A send that fails is tried again later, with backoff; one whose worker stopped mid-send is not, since it may
have gone out: it waits for staff as a dead letter (INTERRUMPIDA), like one out of attempts (FALLIDA).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.appointments.gateway import GestionPort
from apps.appointments.models import ESTADOS_ACTIVOS, Cita
from apps.notifications.canales import EnvioRechazado, canales
from apps.notifications.mensajes import mensaje
from apps.notifications.models import EstadoNotificacion, Notificacion, TipoNotificacion

logger = logging.getLogger(__name__)
PENDIENTE, ENVIANDO = EstadoNotificacion.PENDIENTE, EstadoNotificacion.ENVIANDO


def _clave(tipo: str, cita: Cita) -> str:
    return f"{tipo}:{cita.pk}"


def notificacion_create(*, cita: Cita, tipo: TipoNotificacion) -> None:
    """Inside the caller's transaction: the message about ``cita``, handed to the worker after commit."""
    notificacion = Notificacion.objects.create(cita=cita, tipo=tipo, clave=_clave(tipo, cita))
    transaction.on_commit(lambda: _entregar_pronto([notificacion.pk]))


def recordatorios_create(*, ahora: datetime | None = None) -> int:
    """A reminder for every active cita that starts within the next RECORDATORIO_HORAS and has none yet."""
    ahora = ahora or timezone.now()
    citas = Cita.objects.activas().filter(
        fecha__gt=ahora, fecha__lte=ahora + timedelta(hours=settings.RECORDATORIO_HORAS)
    )
    nuevas = [
        Notificacion(
            cita=cita, tipo=TipoNotificacion.RECORDATORIO, clave=_clave(TipoNotificacion.RECORDATORIO, cita)
        )
        for cita in citas.exclude(notificaciones__tipo=TipoNotificacion.RECORDATORIO).only("pk")
    ]
    # A reminder another worker wrote meanwhile is kept, not doubled: the key is unique.
    Notificacion.objects.bulk_create(nuevas, ignore_conflicts=True)
    return len(nuevas)


def notificaciones_sweep(*, ahora: datetime | None = None) -> list[int]:
    """The periodic pass: reminders due, sends held too long marked interrupted, and the messages due."""
    ahora = ahora or timezone.now()
    recordatorios_create(ahora=ahora)
    plazo = ahora - timedelta(seconds=settings.NOTIFICACIONES_PLAZO_ENVIO_SEGUNDOS)
    Notificacion.objects.filter(estado=ENVIANDO, enviando_desde__lt=plazo).update(
        estado=EstadoNotificacion.INTERRUMPIDA,
        ultimo_error="Interrupted mid-send: it may have gone out, so it is not sent again by itself.",
    )
    due = list(
        Notificacion.objects.filter(estado=PENDIENTE, proximo_intento__lte=ahora).values_list("pk", flat=True)
    )
    _entregar_pronto(due)
    return due


def _entregar_pronto(ids: list[int], *, delay: float = 0) -> None:
    """Hand messages to the worker. A queue that cannot take them loses nothing: the outbox still has them
    as PENDIENTE, and the next sweep hands them again."""
    from apps.notifications import tasks  # the tasks call into this module

    for id_notificacion in ids:
        try:
            tasks.enviar.schedule(args=(id_notificacion,), delay=delay)
        except Exception:
            logger.exception("notification %s not queued; the next sweep will queue it", id_notificacion)


def _espera(intentos: int) -> float:
    base = settings.NOTIFICACIONES_REINTENTO_SEGUNDOS
    return min(base * 2 ** max(intentos - 1, 0), settings.NOTIFICACIONES_REINTENTO_MAXIMO_SEGUNDOS)


def _terminar(notificacion: Notificacion, estado: str, **campos) -> None:
    """Settle a claimed message; only while it is still this worker's (ENVIANDO)."""
    Notificacion.objects.filter(pk=notificacion.pk, estado=ENVIANDO).update(estado=estado, **campos)


def notificacion_send(*, id_notificacion: int, gestion: GestionPort) -> str | None:
    """Send one message if it is due and nobody else has it; the state it ends in (None: not claimed)."""
    ahora = timezone.now()
    claimed = Notificacion.objects.filter(
        pk=id_notificacion, estado=PENDIENTE, proximo_intento__lte=ahora
    ).update(estado=ENVIANDO, enviando_desde=ahora, intentos=F("intentos") + 1)
    if not claimed:
        return None
    notificacion = Notificacion.objects.select_related("cita").get(pk=id_notificacion)
    cita = notificacion.cita
    if notificacion.tipo == TipoNotificacion.RECORDATORIO and cita.estado not in ESTADOS_ACTIVOS:
        _terminar(notificacion, EstadoNotificacion.DESCARTADA, ultimo_error="The cita is no longer active.")
        return EstadoNotificacion.DESCARTADA
    try:
        paciente = gestion.referencias(
            id_doctor=cita.id_doctor,
            id_centro=cita.id_centro,
            id_paciente=cita.id_paciente,
            desde=cita.fecha,
            hasta=cita.fin,
        ).paciente
        canal = canales()[notificacion.canal]
        destinatario = canal.direccion(paciente) if paciente is not None else None
        if destinatario is None:
            _terminar(notificacion, EstadoNotificacion.DESCARTADA, ultimo_error="The patient has no address.")
            return EstadoNotificacion.DESCARTADA
        canal.enviar(mensaje(notificacion, cita), destinatario)
    except EnvioRechazado as exc:
        _terminar(notificacion, EstadoNotificacion.FALLIDA, ultimo_error=str(exc)[:500])
        return EstadoNotificacion.FALLIDA
    except Exception as exc:  # gestion or the channel unreachable, or anything else: try again later
        return _reintentar(notificacion, exc)
    _terminar(notificacion, EstadoNotificacion.ENVIADA, enviada=timezone.now(), destinatario=destinatario)
    return EstadoNotificacion.ENVIADA


def _reintentar(notificacion: Notificacion, exc: Exception) -> str:
    logger.warning("notification %s not sent: %r", notificacion.pk, exc)
    error = f"{type(exc).__name__}: {exc}"[:500]
    intentos = notificacion.intentos
    if intentos >= settings.NOTIFICACIONES_INTENTOS:
        _terminar(notificacion, EstadoNotificacion.FALLIDA, ultimo_error=error)
        return EstadoNotificacion.FALLIDA
    espera = _espera(intentos)
    _terminar(
        notificacion,
        PENDIENTE,
        ultimo_error=error,
        enviando_desde=None,
        proximo_intento=timezone.now() + timedelta(seconds=espera),
    )
    _entregar_pronto([notificacion.pk], delay=espera)
    return PENDIENTE


def notificacion_retry(*, id_notificacion: int) -> bool:
    """Staff's choice for a dead letter: send it again (once more, now)."""
    again = Notificacion.objects.filter(
        pk=id_notificacion, estado__in=[EstadoNotificacion.FALLIDA, EstadoNotificacion.INTERRUMPIDA]
    ).update(estado=PENDIENTE, proximo_intento=timezone.now(), enviando_desde=None, intentos=0)
    if again:
        _entregar_pronto([id_notificacion])
    return bool(again)
