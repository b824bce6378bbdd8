"""The outbox of the messages to patients, and the private calendar feeds."""

from django.db import models
from django.utils import timezone

from apps.appointments.models import Cita
from apps.common.sql import PreparedInsert


class TipoNotificacion(models.TextChoices):
    RESERVA = "RESERVA", "Reserva"
    CAMBIO = "CAMBIO", "Cambio"
    CANCELACION = "CANCELACION", "Cancelación"
    RECORDATORIO = "RECORDATORIO", "Recordatorio"


class EstadoNotificacion(models.TextChoices):
    PENDIENTE = "PENDIENTE", "Pendiente"  # to send from proximo_intento on
    ENVIANDO = "ENVIANDO", "Enviando"  # a worker holds it
    ENVIADA = "ENVIADA", "Enviada"
    DESCARTADA = "DESCARTADA", "Descartada"  # nothing to send: no address, or the reminder's cita is over
    # Dead letters, for staff to look at:
    FALLIDA = "FALLIDA", "Fallida"  # refused for good, or out of attempts
    INTERRUMPIDA = "INTERRUMPIDA", "Interrumpida"  # its worker stopped mid-send: it may have gone out


class Notificacion(PreparedInsert):
    """One message about a cita, written in the same transaction as the change it tells of.

    ``clave`` is unique: a message is written once per cita and kind, whoever writes it and however often.
    """

    id_notificacion = models.BigAutoField(primary_key=True)
    cita = models.ForeignKey(
        Cita, on_delete=models.CASCADE, related_name="notificaciones", db_column="id_cita"
    )
    tipo = models.CharField(max_length=12, choices=TipoNotificacion.choices)
    canal = models.CharField(max_length=20, default="email")
    clave = models.CharField(max_length=100, unique=True)
    estado = models.CharField(
        max_length=12, choices=EstadoNotificacion.choices, default=EstadoNotificacion.PENDIENTE
    )
    intentos = models.PositiveSmallIntegerField(default=0)
    proximo_intento = models.DateTimeField(default=timezone.now)
    enviando_desde = models.DateTimeField(null=True, blank=True)
    enviada = models.DateTimeField(null=True, blank=True)
    destinatario = models.CharField(max_length=254, blank=True)
    ultimo_error = models.CharField(max_length=500, blank=True)
    creada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "notificación"
        verbose_name_plural = "notificaciones"
        ordering = ["creada", "id_notificacion"]
        indexes = [models.Index(fields=["estado", "proximo_intento"], name="notificacion_pendientes")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tipo__in=TipoNotificacion.values), name="notificacion_tipo_valido"
            ),
            models.CheckConstraint(
                condition=models.Q(estado__in=EstadoNotificacion.values), name="notificacion_estado_valido"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} · cita {self.cita_id} ({self.estado})"


class Calendario(models.Model):
    """A user's private calendar feed: its URL carries a signed token naming this row's ``clave``; deleting
    the row (or a new clave) revokes every URL given before. The scope is the owner's, as on ``/citas``."""

    id_user = models.BigIntegerField(unique=True)
    username = models.CharField(max_length=150)
    rol = models.CharField(max_length=20)
    id_doctor = models.BigIntegerField(null=True, blank=True)
    id_paciente = models.BigIntegerField(null=True, blank=True)
    clave = models.CharField(max_length=64)
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "calendario"
        verbose_name_plural = "calendarios"

    def __str__(self) -> str:
        return f"{self.username}'s calendar"
