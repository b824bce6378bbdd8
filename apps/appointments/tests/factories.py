from datetime import UTC, datetime, timedelta

import factory

from apps.appointments.models import Cita
from apps.appointments.tests.conftest import CENTRO, DOCTOR, PACIENTE

PRIMERA = datetime(2031, 3, 3, 8, 0, tzinfo=UTC)


class CitaFactory(factory.django.DjangoModelFactory):
    """A cita stored as it is, without a booking's checks: 30 minutes long, right after the one before."""

    class Meta:
        model = Cita

    fecha = factory.Sequence(lambda n: PRIMERA + timedelta(minutes=30 * n))
    duracion_minutos = 30
    id_doctor = DOCTOR
    id_centro = CENTRO
    id_paciente = PACIENTE
    id_user_registrado = 1
    paciente_nombre = factory.Sequence(lambda n: f"Paciente {n}")
    doctor_nombre = "Dra. Prueba"
    centro_nombre = "Clínica Prueba"
