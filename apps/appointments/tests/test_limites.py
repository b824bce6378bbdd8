"""A paciente booking for itself is capped and rate-limited; staff are not."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.appointments.models import Cita
from apps.appointments.tests.conftest import book

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_earlier_counts(settings):
    cache.clear()
    settings.RESERVAS_PACIENTE_RATE = "100/min"


def at_hour(cita_body, n: int) -> dict:
    day = timezone.localdate() + timedelta(days=3 + n // 8)
    return {**cita_body, "fecha": f"{day.isoformat()}T{9 + n % 8:02d}:00:00"}


def test_a_patients_seventh_cita_to_come_is_refused_and_a_secretaria_still_books_it(
    as_role, gestion_fake, cita_body, settings
):
    paciente = as_role("paciente")
    for n in range(settings.MAX_CITAS_ACTIVAS_PACIENTE):
        assert book(paciente, at_hour(cita_body, n)).status_code == 201
    seventh = book(paciente, at_hour(cita_body, 6))
    assert seventh.status_code == 409
    assert seventh.json()["errors"][0]["code"] == "demasiadas_citas"
    assert Cita.objects.count() == settings.MAX_CITAS_ACTIVAS_PACIENTE
    assert book(as_role("secretaria"), at_hour(cita_body, 6)).status_code == 201


def test_a_cancelled_cita_makes_room(as_role, gestion_fake, cita_body, settings):
    paciente = as_role("paciente")
    made = [book(paciente, at_hour(cita_body, n)).json() for n in range(settings.MAX_CITAS_ACTIVAS_PACIENTE)]
    paciente.put(f"/citas/{made[0]['id_cita']}", {"estado": "CANCELADA"}, format="json")
    assert book(paciente, at_hour(cita_body, 6)).status_code == 201


def test_a_burst_of_bookings_by_a_patient_is_429_json(as_role, gestion_fake, cita_body, settings):
    settings.RESERVAS_PACIENTE_RATE = "3/min"
    paciente = as_role("paciente")
    statuses = [book(paciente, at_hour(cita_body, n)).status_code for n in range(4)]
    assert statuses == [201, 201, 201, 429]
    response = book(paciente, at_hour(cita_body, 5))
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0
    assert all(book(as_role("secretaria"), at_hour(cita_body, n)).status_code == 201 for n in range(8, 12))
