from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.clinic.keys import centro_key


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


class Centro(Registro):
    id_centro = models.BigAutoField(primary_key=True)
    nombre = models.CharField(max_length=200)
    direccion = models.CharField("dirección", max_length=300)
    # Unique in the database; computed here because SQLite folds the case of ASCII letters only.
    clave = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["id_centro"]

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

    class Meta:
        verbose_name_plural = "doctores"
        ordering = ["id_doctor"]

    def __str__(self) -> str:
        return self.nombre


class EstadoPaciente(models.TextChoices):
    ACTIVO = "ACTIVO", "Activo"
    INACTIVO = "INACTIVO", "Inactivo"


telefono_validator = RegexValidator(
    r"^\+?[0-9][0-9 ]{6,18}[0-9]$", _("Enter a phone number: digits and spaces, optionally starting with +.")
)


class Paciente(PerfilDeUsuario):
    id_paciente = models.BigAutoField(primary_key=True)
    nombre = models.CharField(max_length=200)
    telefono = models.CharField("teléfono", max_length=20, validators=[telefono_validator])
    estado = models.CharField(
        max_length=8, choices=EstadoPaciente.choices, default=EstadoPaciente.ACTIVO, db_index=True
    )

    class Meta:
        ordering = ["id_paciente"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estado__in=EstadoPaciente.values), name="clinic_paciente_estado_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.nombre
