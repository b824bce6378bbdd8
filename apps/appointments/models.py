from datetime import UTC, datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.common.history import tracked_history
from apps.common.sql import PreparedInsert

DURACION_MINIMA, DURACION_MAXIMA, DURACION_POR_DEFECTO = 5, 480, 30


def fin_de(fecha: datetime, duracion_minutos: int) -> datetime:
    """When a cita that starts at ``fecha`` ends: the half-open range is [fecha, fin).

    Added in UTC: in a local zone, aware arithmetic is wall-clock and goes wrong across a DST change.
    """
    return fecha.astimezone(UTC) + timedelta(minutes=duracion_minutos)


class EstadoCita(models.TextChoices):
    """A cita's states; FHIR's Appointment.status for each: booked, booked, arrived, fulfilled, noshow,
    cancelled."""

    PROGRAMADA = "PROGRAMADA", "Programada"
    CONFIRMADA = "CONFIRMADA", "Confirmada"
    EN_SALA = "EN_SALA", "En sala"
    COMPLETADA = "COMPLETADA", "Completada"
    NO_ASISTIO = "NO_ASISTIO", "No asistió"
    CANCELADA = "CANCELADA", "Cancelada"


# The states in which a cita holds its time (the doctor's and the patient's, each at most once), and in
# which it can still be cancelled or changed.
ESTADOS_ACTIVOS = (EstadoCita.PROGRAMADA, EstadoCita.CONFIRMADA, EstadoCita.EN_SALA)


class CitaQuerySet(models.QuerySet):
    def activas(self) -> "CitaQuerySet":
        return self.filter(estado__in=ESTADOS_ACTIVOS)

    def solapan(self, inicio: datetime, fin: datetime) -> "CitaQuerySet":
        """The citas that share some time with ``[inicio, fin)``.

        Bounded below too: a cita that overlaps starts less than the longest cita before ``inicio``, so the
        (doctor, fecha) and (patient, fecha) indexes read a few rows, not a doctor's whole history.
        """
        earliest = inicio - timedelta(minutes=DURACION_MAXIMA)
        return self.filter(fecha__gt=earliest, fecha__lt=fin, fin__gt=inicio)


class Cita(PreparedInsert):
    """An appointment. Doctor, centro, patient and users live in gestion: here they are plain ids."""

    id_cita = models.BigAutoField(primary_key=True)
    fecha = models.DateTimeField(help_text="Start, stored in UTC.")
    duracion_minutos = models.PositiveSmallIntegerField(
        default=DURACION_POR_DEFECTO,
        validators=[MinValueValidator(DURACION_MINIMA), MaxValueValidator(DURACION_MAXIMA)],
    )
    # fecha + duracion_minutos, kept so that overlap checks and the exclusion constraint need no arithmetic.
    fin = models.DateTimeField(editable=False)
    motivo = models.CharField(max_length=500, blank=True)
    estado = models.CharField(max_length=10, choices=EstadoCita.choices, default=EstadoCita.PROGRAMADA)
    id_paciente = models.BigIntegerField()
    id_doctor = models.BigIntegerField()
    id_centro = models.BigIntegerField()
    id_user_registrado = models.BigIntegerField(help_text="The user who booked it.")
    # What gestion said of the patient, doctor and centro when the cita was booked: lists name them
    # without a call per row, and a cita keeps the names it was booked under.
    paciente_nombre = models.CharField(max_length=200, blank=True)
    doctor_nombre = models.CharField(max_length=200, blank=True)
    doctor_especialidad = models.CharField(max_length=100, blank=True)
    centro_nombre = models.CharField(max_length=200, blank=True)
    cita_anterior = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cita_siguiente",
        db_column="id_cita_anterior",
        help_text="The cita this one replaced when it was changed.",
    )
    motivo_cancelacion = models.CharField(max_length=500, blank=True)
    id_user_cancelacion = models.BigIntegerField(
        null=True, blank=True, help_text="The user who cancelled it."
    )
    cancelada = models.DateTimeField(null=True, blank=True, help_text="When it was cancelled.")
    creada = models.DateTimeField(auto_now_add=True)
    actualizada = models.DateTimeField(auto_now=True)

    objects = CitaQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["fecha", "id_cita"]
        # Each ends with the ordering, so that a list's page (all citas, a doctor's, a patient's, a centro's,
        # any of them on a day) is read in order from an index and stops after its rows, with no sort; the
        # overlap checks use the same (doctor, fecha) and (patient, fecha) prefixes.
        indexes = [
            models.Index(fields=["id_doctor", "fecha", "id_cita"], name="cita_doctor_fecha_id"),
            models.Index(fields=["id_paciente", "fecha", "id_cita"], name="cita_paciente_fecha_id"),
            models.Index(fields=["id_centro", "fecha", "id_cita"], name="cita_centro_fecha_id"),
            models.Index(fields=["fecha", "id_cita"], name="cita_fecha_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    duracion_minutos__gte=DURACION_MINIMA, duracion_minutos__lte=DURACION_MAXIMA
                ),
                name="cita_duracion_acotada",
            ),
            models.CheckConstraint(
                condition=models.Q(estado__in=EstadoCita.values), name="cita_estado_valido"
            ),
            models.CheckConstraint(condition=models.Q(fin__gt=models.F("fecha")), name="cita_fin_tras_fecha"),
        ]

    def __str__(self) -> str:
        return f"Cita {self.id_cita} ({self.fecha:%Y-%m-%d %H:%M}, {self.estado})"

    def save(self, *args, **kwargs):
        self.fin = fin_de(self.fecha, self.duracion_minutos)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "fin"}
        super().save(*args, **kwargs)
