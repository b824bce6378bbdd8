from django.db import models


class Rol(models.TextChoices):
    ADMIN = "admin", "Administrador"
    MEDICO = "medico", "Médico"
    SECRETARIA = "secretaria", "Secretaría"
    PACIENTE = "paciente", "Paciente"
    # Internal, read-only account that citas uses to query gestion.
    SERVICIO = "servicio", "Servicio"
