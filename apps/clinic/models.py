from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.clinic.data import MINUTOS_DIA, minutos_a_hora
from apps.clinic.documentos import documento_valido
from apps.clinic.forms import HoraFormField
from apps.clinic.keys import centro_key
from apps.common.history import tracked_history


class Registro(models.Model):
    creado = models.DateTimeField(auto_now_add=True)
    actualizado = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PerfilDeUsuario(Registro):
    """A registry record that may have a login: the doctor's or the patient's own user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s",
        db_column="id_user",
    )

    class Meta:
        abstract = True


# Bounds of a centro's booking settings; their defaults are the network's, from settings.
INTERVALO_MINIMO, INTERVALO_MAXIMO = 5, 120
ANTELACION_MAXIMA_MINUTOS = 60 * 24 * 90
HORIZONTE_MAXIMO_DIAS = 3650


def antelacion_por_defecto() -> int:
    return settings.AGENDA_ANTELACION_MINIMA_MINUTOS


def horizonte_por_defecto() -> int:
    return settings.AGENDA_HORIZONTE_DIAS


def intervalo_por_defecto() -> int:
    return settings.AGENDA_INTERVALO_MINUTOS


class Centro(Registro):
    id_centro = models.BigAutoField(primary_key=True)
    nombre = models.CharField(max_length=200)
    direccion = models.CharField("dirección", max_length=300)
    # Unique in the database; computed here because SQLite folds the case of ASCII letters only.
    clave = models.CharField(max_length=64, unique=True, editable=False)
    activo = models.BooleanField(default=True, help_text="An inactive centro takes no new citas.")
    history = tracked_history()
    antelacion_minima_minutos = models.PositiveIntegerField(
        "antelación mínima (minutos)",
        default=antelacion_por_defecto,
        validators=[MaxValueValidator(ANTELACION_MAXIMA_MINUTOS)],
        help_text="How long before its start a cita may be booked at the latest.",
    )
    horizonte_dias = models.PositiveSmallIntegerField(
        "horizonte (días)",
        default=horizonte_por_defecto,
        validators=[MinValueValidator(1), MaxValueValidator(HORIZONTE_MAXIMO_DIAS)],
        help_text="How far ahead citas may be booked.",
    )
    intervalo_minutos = models.PositiveSmallIntegerField(
        "intervalo (minutos)",
        default=intervalo_por_defecto,
        validators=[MinValueValidator(INTERVALO_MINIMO), MaxValueValidator(INTERVALO_MAXIMO)],
        help_text="The step between the free slots offered, from the start of each horario range.",
    )

    class Meta:
        ordering = ["id_centro"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(antelacion_minima_minutos__lte=ANTELACION_MAXIMA_MINUTOS)
                & models.Q(horizonte_dias__gte=1, horizonte_dias__lte=HORIZONTE_MAXIMO_DIAS)
                & models.Q(intervalo_minutos__gte=INTERVALO_MINIMO, intervalo_minutos__lte=INTERVALO_MAXIMO),
                name="clinic_centro_reservas_acotadas",
            ),
        ]

    def __str__(self) -> str:
        return self.nombre

    def save(self, *args, **kwargs):
        self.clave = centro_key(self.nombre, self.direccion)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "clave"}
        super().save(*args, **kwargs)


class Doctor(PerfilDeUsuario):
    id_doctor = models.BigAutoField(primary_key=True)
    nombre = models.CharField(max_length=200)
    especialidad = models.CharField(max_length=100, db_index=True)
    activo = models.BooleanField(default=True, help_text="An inactive doctor takes no new citas.")
    history = tracked_history()

    class Meta:
        verbose_name_plural = "doctores"
        ordering = ["id_doctor"]

    def __str__(self) -> str:
        return self.nombre


class EstadoPaciente(models.TextChoices):
    ACTIVO = "ACTIVO", "Activo"
    INACTIVO = "INACTIVO", "Inactivo"


def documento_validator(value: str) -> None:
    if not documento_valido(value):
        raise ValidationError(
            _("Enter a valid DNI or NIE, with its check letter."), code="documento_invalido"
        )


telefono_validator = RegexValidator(
    r"^\+?[0-9][0-9 ]{6,18}[0-9]$", _("Enter a phone number: digits and spaces, optionally starting with +.")
)


class Paciente(PerfilDeUsuario):
    """A patient, with or without a login of its own (a walk-in, a child, an elderly patient)."""

    id_paciente = models.BigAutoField(primary_key=True)
    nombre = models.CharField(max_length=200)
    telefono = models.CharField("teléfono", max_length=20, validators=[telefono_validator])
    estado = models.CharField(
        max_length=8, choices=EstadoPaciente.choices, default=EstadoPaciente.ACTIVO, db_index=True
    )
    # A DNI or NIE, normalized (upper case, no separators); unique when given.
    documento = models.CharField(
        max_length=9, unique=True, null=True, blank=True, validators=[documento_validator]
    )
    fecha_nacimiento = models.DateField("fecha de nacimiento", null=True, blank=True)
    email = models.EmailField(blank=True)
    history = tracked_history()

    class Meta:
        ordering = ["id_paciente"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estado__in=EstadoPaciente.values), name="clinic_paciente_estado_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.nombre


class DiaSemana(models.IntegerChoices):
    """ISO weekdays: 1 is lunes."""

    LUNES = 1, "lunes"
    MARTES = 2, "martes"
    MIERCOLES = 3, "miércoles"
    JUEVES = 4, "jueves"
    VIERNES = 5, "viernes"
    SABADO = 6, "sábado"
    DOMINGO = 7, "domingo"


class HoraField(models.PositiveSmallIntegerField):
    """A local wall time as minutes since midnight, up to 1440 (24:00, the end of the day).

    An integer column, so that overlaps are integer comparisons on every database; ``HH:MM`` in forms.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MaxValueValidator(MINUTOS_DIA)])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return models.Field.formfield(self, form_class=HoraFormField, **kwargs)


class Horario(Registro):
    """A weekly range of local wall time in which a doctor works at a centro, half-open."""

    id_horario = models.BigAutoField(primary_key=True)
    doctor = models.ForeignKey(
        Doctor, on_delete=models.CASCADE, related_name="horarios", db_column="id_doctor"
    )
    centro = models.ForeignKey(
        Centro, on_delete=models.CASCADE, related_name="horarios", db_column="id_centro"
    )
    dia_semana = models.PositiveSmallIntegerField("día de la semana", choices=DiaSemana.choices)
    hora_inicio = HoraField("hora de inicio")
    hora_fin = HoraField("hora de fin")
    vigente_desde = models.DateField(null=True, blank=True, help_text="First day in force (inclusive).")
    vigente_hasta = models.DateField(null=True, blank=True, help_text="Last day in force (inclusive).")
    history = tracked_history()

    class Meta:
        ordering = ["id_horario"]
        indexes = [
            models.Index(fields=["doctor", "dia_semana"], name="horario_doctor_dia"),
            models.Index(fields=["centro", "dia_semana"], name="horario_centro_dia"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dia_semana__gte=1, dia_semana__lte=7), name="horario_dia_valido"
            ),
            models.CheckConstraint(
                condition=models.Q(hora_inicio__lt=models.F("hora_fin"), hora_fin__lte=MINUTOS_DIA),
                name="horario_horas_validas",
            ),
            models.CheckConstraint(
                condition=models.Q(vigente_desde__isnull=True)
                | models.Q(vigente_hasta__isnull=True)
                | models.Q(vigente_desde__lte=models.F("vigente_hasta")),
                name="horario_vigencia_valida",
            ),
        ]

    def __str__(self) -> str:
        horas = f"{minutos_a_hora(self.hora_inicio)}-{minutos_a_hora(self.hora_fin)}"
        return f"{self.doctor} · {self.get_dia_semana_display()} {horas}"


class Ausencia(Registro):
    """Time in which a doctor (leave, training) or a whole centro (holiday, closure) takes no citas."""

    id_ausencia = models.BigAutoField(primary_key=True)
    doctor = models.ForeignKey(
        Doctor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ausencias",
        db_column="id_doctor",
    )
    centro = models.ForeignKey(
        Centro,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ausencias",
        db_column="id_centro",
    )
    inicio = models.DateTimeField()
    fin = models.DateTimeField(help_text="Exclusive.")
    motivo = models.CharField(max_length=200, blank=True)
    history = tracked_history()

    class Meta:
        ordering = ["id_ausencia"]
        indexes = [
            models.Index(fields=["doctor", "fin"], name="ausencia_doctor_fin"),
            models.Index(fields=["centro", "fin"], name="ausencia_centro_fin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(doctor__isnull=False, centro__isnull=True)
                | models.Q(doctor__isnull=True, centro__isnull=False),
                name="ausencia_de_doctor_o_de_centro",
            ),
            models.CheckConstraint(
                condition=models.Q(fin__gt=models.F("inicio")), name="ausencia_fin_tras_inicio"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doctor or self.centro}: {self.inicio:%Y-%m-%d %H:%M} - {self.fin:%Y-%m-%d %H:%M}"
