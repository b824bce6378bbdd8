"""The private calendar feeds: iCalendar of exactly the caller's citas, behind a signed, revocable URL."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from apps.appointments import revocaciones
from apps.appointments.models import Cita
from apps.appointments.tests.conftest import OTRO_DOCTOR, OTRO_PACIENTE, PACIENTE, book, en
from apps.notifications.models import Calendario

pytestmark = pytest.mark.django_db


def feed_path(client) -> str:
    response = client.get("/citas/calendario")
    assert response.status_code == 200
    return urlsplit(response.json()["url"]).path


def uids(path: str) -> set[str]:
    response = APIClient().get(path)  # no bearer token: the URL is the credential
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(event["uid"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.fixture
def citas(as_role, gestion_fake, cita_body):
    admin = as_role("admin")
    mia = book(admin, cita_body).json()["id_cita"]
    de_otro = book(admin, cita_body, id_paciente=OTRO_PACIENTE, id_doctor=OTRO_DOCTOR).json()["id_cita"]
    return mia, de_otro


def test_a_patients_feed_has_exactly_its_citas(as_role, citas):
    mia, de_otro = citas
    assert uids(feed_path(as_role("paciente", id_paciente=PACIENTE))) == {f"cita-{mia}@odontocare"}
    assert uids(feed_path(as_role("paciente", id_paciente=OTRO_PACIENTE))) == {f"cita-{de_otro}@odontocare"}


def test_a_doctors_feed_is_its_agenda_and_an_admins_has_all(as_role, citas):
    mia, de_otro = citas
    assert uids(feed_path(as_role("medico", id_doctor=OTRO_DOCTOR))) == {f"cita-{de_otro}@odontocare"}
    assert uids(feed_path(as_role("admin"))) == {f"cita-{mia}@odontocare", f"cita-{de_otro}@odontocare"}


def test_the_feed_shows_the_citas_times_and_a_cancelled_one_as_cancelled(as_role, gestion_fake, cita_body):
    admin = as_role("admin", user_id=7)
    cita = book(admin, cita_body, fecha=en(days=4, hour=9, minute=30)).json()
    admin.put(f"/citas/{cita['id_cita']}", {"estado": "CANCELADA"}, format="json")
    response = APIClient().get(feed_path(admin))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    stored = Cita.objects.get(pk=cita["id_cita"])
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (stored.fecha, stored.fin)
    assert str(event["status"]) == "CANCELLED"


def test_the_same_url_until_revoked_then_404(as_role, citas):
    paciente = as_role("paciente", id_paciente=PACIENTE, user_id=41)
    first = feed_path(paciente)
    assert feed_path(paciente) == first
    assert paciente.delete("/citas/calendario").status_code == 204
    assert APIClient().get(first).status_code == 404
    again = feed_path(paciente)
    assert again != first and APIClient().get(again).status_code == 200


def test_a_forged_or_altered_token_gets_404(as_role, citas):
    path = feed_path(as_role("paciente", id_paciente=PACIENTE))
    assert APIClient().get(path[:-2] + ("xy" if not path.endswith("xy") else "zz")).status_code == 404
    assert APIClient().get("/citas/calendario/not-a-token").status_code == 404


def test_a_feed_ends_when_gestion_revokes_its_owners_tokens(as_role, citas, gestion_fake, settings):
    settings.REVOCACIONES_REFRESCO_SEGUNDOS = 0
    revocaciones.reset()  # what the bookings above learnt, with the usual refresh interval
    path = feed_path(as_role("paciente", id_paciente=PACIENTE, user_id=55))
    assert APIClient().get(path).status_code == 200
    Calendario.objects.update(creado=timezone.now() - timedelta(minutes=1))  # made before the logout
    gestion_fake.revocar(55)
    assert APIClient().get(path).status_code == 404
