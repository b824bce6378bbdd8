import factory

from apps.accounts.tests.factories import UserFactory
from apps.clinic.models import Centro, Doctor, EstadoPaciente, Paciente
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
