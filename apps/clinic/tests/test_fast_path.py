"""``GET /interno/referencias`` answered before DRF when the call is well formed, by the view otherwise."""

from datetime import UTC, datetime

import pytest
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext

from apps.clinic.tests.factories import (
    AusenciaFactory,
    CentroFactory,
    DoctorFactory,
    HorarioFactory,
    PacienteFactory,
)
from apps.clinic.views_interno import ReferenciasView

pytestmark = pytest.mark.django_db

CITA = datetime(2031, 3, 3, 10, tzinfo=UTC)  # a Monday


@pytest.fixture
def query():
    doctor, centro = DoctorFactory(nombre="Dra. Núñez"), CentroFactory(nombre="Clínica Peñalara")
    paciente = PacienteFactory(nombre="José Ángel")
    HorarioFactory(doctor=doctor, centro=centro, dia_semana=1, hora_inicio=9 * 60, hora_fin=14 * 60)
    AusenciaFactory(doctor=doctor, inicio=CITA.replace(hour=9), fin=CITA.replace(hour=11))
    AusenciaFactory(doctor=None, centro=centro, inicio=CITA.replace(day=2), fin=CITA.replace(day=4))
    return (
        f"id_doctor={doctor.pk}&id_centro={centro.pk}&id_paciente={paciente.pk}"
        "&desde=2031-03-03T10:00:00Z&hasta=2031-03-03T10:30:00Z"
    )


@pytest.fixture
def view_reached(monkeypatch):
    """Which calls reached the DRF view's handler."""
    reached = []
    original = ReferenciasView.get

    def get(self, request):
        reached.append(request.get_full_path())
        return original(self, request)

    monkeypatch.setattr(ReferenciasView, "get", get)
    return reached


def test_a_well_formed_call_is_answered_before_the_view(as_role, query, view_reached):
    response = as_role("servicio").get(f"/interno/referencias?{query}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert int(response["Content-Length"]) == len(response.content)
    body = response.json()
    assert body["doctor"]["nombre"] == "Dra. Núñez" and len(body["ausencias"]) == 2
    assert view_reached == []


def test_its_answer_is_the_views_byte_for_byte(as_role, query, view_reached):
    client = as_role("servicio")
    fast = client.get(f"/interno/referencias?{query}")
    # DRF's own ?format= is a parameter the fast path leaves to the view.
    framework = client.get(f"/interno/referencias?{query}&format=json")
    assert view_reached == [f"/interno/referencias?{query}&format=json"]
    assert fast.content == framework.content
    assert fast["Content-Type"] == framework["Content-Type"]


@pytest.mark.parametrize(
    ("rol", "path", "accept", "status"),
    [
        (None, "/interno/referencias?id_doctor=1&id_centro=1&id_paciente=1", "*/*", 401),
        ("paciente", "/interno/referencias?id_doctor=1&id_centro=1&id_paciente=1", "*/*", 403),
        ("servicio", "/interno/referencias?id_doctor=x&id_centro=1&id_paciente=1", "*/*", 400),
        ("servicio", "/interno/referencias?id_doctor=1&id_centro=1", "*/*", 400),
        ("servicio", "/interno/referencias?id_doctor=1&id_centro=1&id_paciente=1", "text/html", 200),
    ],
)
def test_any_other_call_is_the_views_to_answer(as_role, rol, path, accept, status):
    response = as_role(rol).get(path, HTTP_ACCEPT=accept)
    assert response.status_code == status
    if accept == "text/html":
        assert response["Content-Type"].startswith("text/html")  # the browsable API
    else:
        assert response.json()["errors"]


def test_a_bad_token_is_the_views_to_refuse(client):
    response = client.get(
        "/interno/referencias?id_doctor=1&id_centro=1&id_paciente=1", HTTP_AUTHORIZATION="Bearer not.a.token"
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_not_valid"


def test_the_database_is_asked_once(as_role, query):
    client = as_role("servicio")
    client.get(f"/interno/referencias?{query}")  # the token is verified (and its revocation read) once
    with CaptureQueriesContext(connection) as asked:
        assert client.get(f"/interno/referencias?{query}").status_code == 200
    assert len(asked) == 1


def test_its_read_goes_without_a_health_check_before_it(as_role, query, monkeypatch):
    client = as_role("servicio")
    client.get(f"/interno/referencias?{query}")  # the token is verified (and its revocation read) once
    checked = []
    database = connections["default"]  # the wrapper itself: monkeypatch cannot undo through the proxy
    monkeypatch.setattr(database, "health_check_enabled", True)  # CONN_HEALTH_CHECKS, on either engine
    monkeypatch.setattr(database, "is_usable", lambda: checked.append(True) or True)
    database.health_check_done = False  # as when a request begins on a reused connection
    assert client.get(f"/interno/referencias?{query}").status_code == 200
    assert checked == []


def test_a_database_that_fails_gets_the_views_answer_503(as_role, query, monkeypatch):
    client = as_role("servicio")  # signed in before the database goes

    def broken_cursor(*args, **kwargs):
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(f"/interno/referencias?{query}")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "servicio_no_disponible"
    assert response.content == client.get(f"/interno/referencias?{query}&format=json").content


def test_a_host_not_allowed_is_refused_as_anywhere_else(as_role, query, view_reached):
    response = as_role("servicio").get(f"/interno/referencias?{query}", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert view_reached == []
