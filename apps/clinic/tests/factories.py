from datetime import timedelta

import factory
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.clinic.models import Ausencia, Centro, Doctor, EstadoPaciente, Horario, Paciente
from apps.common.roles import Rol


class CentroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centro

    nombre = factory.Sequence(lambda n: f"Clínica Dental {n}")
    direccion = factory.Sequence(lambda n: f"Calle Mayor {n}, Madrid")


class DoctorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Doctor

    user = factory.SubFactory(UserFactory, rol=Rol.MEDICO)
    nombre = factory.Sequence(lambda n: f"Dra. Doctora {n}")
    especialidad = "Ortodoncia"


class PacienteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paciente

    user = factory.SubFactory(UserFactory, rol=Rol.PACIENTE)
    nombre = factory.Sequence(lambda n: f"Paciente {n}")
    telefono = "+34 612 345 678"
    estado = EstadoPaciente.ACTIVO


class HorarioFactory(factory.django.DjangoModelFactory):
    """Mondays 09:00-14:00, unless told otherwise (hours as minutes since midnight)."""

    class Meta:
        model = Horario

    doctor = factory.SubFactory(DoctorFactory)
    centro = factory.SubFactory(CentroFactory)
    dia_semana = 1
    hora_inicio = 9 * 60
    hora_fin = 14 * 60


class AusenciaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ausencia

    doctor = factory.SubFactory(DoctorFactory)
    centro = None
    inicio = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    fin = factory.LazyAttribute(lambda ausencia: ausencia.inicio + timedelta(days=1))
    motivo = "Formación"
