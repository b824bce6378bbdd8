import pytest
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.clinic.tests.factories import DoctorFactory, PacienteFactory
from apps.common.roles import Rol

ROLES = ["admin", "secretaria", "medico", "paciente", "servicio"]


@pytest.fixture
def as_role(client_for):
    """An API client for a fresh user of the given role (with its profile for medico/paciente);
    ``as_role(None)`` is an anonymous client."""

    def make(rol: str | None):
        if rol is None:
            return APIClient()
        if rol == Rol.MEDICO:
            user = DoctorFactory().user
        elif rol == Rol.PACIENTE:
            user = PacienteFactory().user
        else:
            user = UserFactory(rol=rol)
        return client_for(user)

    return make
