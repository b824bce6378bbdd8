import itertools
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.appointments import revocaciones
from apps.appointments.gateway import use_gestion
from apps.appointments.gateway.fake import FakeGestion

DOCTOR, OTRO_DOCTOR, CENTRO, OTRO_CENTRO, PACIENTE, OTRO_PACIENTE, INACTIVO = 3, 4, 1, 2, 12, 13, 14
HORIZONTE_AMPLIO = 3650
ROLES = ["admin", "secretaria", "medico", "paciente", "servicio"]
_user_ids = itertools.count(100)


@pytest.fixture(autouse=True)
def _no_gestion_unless_a_test_brings_one():
    """A test that does not set up gestion gets an empty one, and no revocation known from earlier tests."""
    revocaciones.reset()
    with use_gestion(FakeGestion()):
        yield


@pytest.fixture
def gestion_fake():
    fake = FakeGestion()
    fake.add_doctor(DOCTOR)
    fake.add_doctor(OTRO_DOCTOR, nombre="Dr. Otro")
    # Open round the clock and far ahead, so that the tests of other rules can book whenever they need;
    # the agenda's own tests set narrower horarios and settings.
    fake.add_centro(CENTRO, horizonte_dias=HORIZONTE_AMPLIO)
    fake.add_centro(OTRO_CENTRO, nombre="Clínica Otra", horizonte_dias=HORIZONTE_AMPLIO)
    fake.add_horario(DOCTOR, CENTRO)
    fake.add_horario(OTRO_DOCTOR, CENTRO)
    fake.add_horario(OTRO_DOCTOR, OTRO_CENTRO)
    fake.add_paciente(PACIENTE)
    fake.add_paciente(OTRO_PACIENTE, nombre="Otro Paciente")
    fake.add_paciente(INACTIVO, estado="INACTIVO")
    with use_gestion(fake):
        yield fake


@pytest.fixture
def as_role(make_token):
    """An API client whose token carries this role (and the profile ids of a doctor or patient)."""

    def make(rol: str | None, **claims) -> APIClient:
        client = APIClient()
        if rol is None:
            return client
        if rol == "paciente":
            claims.setdefault("id_paciente", PACIENTE)
        if rol == "medico":
            claims.setdefault("id_doctor", DOCTOR)
        claims.setdefault("user_id", next(_user_ids))
        token = make_token(username=f"{rol}-user", rol=rol, **claims)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make


def dentro_de(days: int = 1, hour: int = 10, minute: int = 0) -> datetime:
    """That time some days from now in the clinics' zone. A fixed hour, not now plus a delay: a cita a few
    hours either side of it stays inside one local day (across midnight it fits no day's horario), whatever
    the time the tests run."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def en(days: int = 1, hour: int = 10, minute: int = 0) -> str:
    """The same, as a request writes it: ISO local time without an offset."""
    return dentro_de(days, hour, minute).replace(tzinfo=None).isoformat()


@pytest.fixture
def cita_body():
    return {
        "fecha": en(days=2),
        "motivo": "Revisión",
        "id_doctor": DOCTOR,
        "id_centro": CENTRO,
        "id_paciente": PACIENTE,
    }


def book(client, body, **changes):
    return client.post("/citas", {**body, **changes}, format="json")


@pytest.fixture
def cita(as_role, gestion_fake, cita_body):
    """A cita the admin booked for PACIENTE with DOCTOR, as the API answered it."""
    return book(as_role("admin"), cita_body).json()
