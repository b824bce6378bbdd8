"""The REST adapter against a real local HTTP server standing in for gestion."""

import socket
import time

import pytest

from apps.appointments.gateway.port import CentroRef, DoctorRef, GestionNoDisponible, PacienteRef
from apps.appointments.gateway.rest import RestGestion
from apps.appointments.tests.gestion_stand_in import GestionStandIn

IDS = {"id_doctor": 1, "id_centro": 2, "id_paciente": 3}


@pytest.fixture
def stand_in():
    with GestionStandIn() as server:
        yield server


def adapter(url: str, read_timeout: float = 2.0) -> RestGestion:
    return RestGestion(
        base_url=url,
        username="servicio-citas",
        password="secreto",
        connect_timeout=0.5,
        read_timeout=read_timeout,
    )


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_answers_become_frozen_references(stand_in):
    refs = adapter(stand_in.url).referencias(**IDS)
    assert refs.doctor == DoctorRef(1, "Dra. Ruiz", "Orto")
    assert refs.centro == CentroRef(2, "Centro")
    assert refs.paciente == PacienteRef(3, "Ana", "ACTIVO") and refs.paciente.activo


def test_a_missing_record_is_none(stand_in):
    assert adapter(stand_in.url).referencias(**{**IDS, "id_doctor": 100}).doctor is None


def test_the_service_logs_in_once_and_reuses_its_token(stand_in):
    gestion = adapter(stand_in.url)
    for _ in range(3):
        gestion.referencias(**IDS)
    assert stand_in.paths().count("POST /auth/login") == 1
    assert all(
        h["Authorization"] == "Bearer token-1-servicio-citas" for m, _, h in stand_in.requests if m == "GET"
    )


def test_a_token_about_to_expire_is_renewed_first(stand_in):
    stand_in.expires_in = 10  # inside the renewal margin
    gestion = adapter(stand_in.url)
    gestion.referencias(**IDS)
    gestion.referencias(**IDS)
    assert stand_in.logins == 2


def test_a_rejected_token_is_renewed_and_the_call_retried_once(stand_in):
    gestion = adapter(stand_in.url)
    gestion.referencias(**IDS)
    stand_in.tokens_valid = False
    assert gestion.referencias(**IDS).paciente is not None
    assert stand_in.logins == 2


def test_keep_alive_connections_are_reused(stand_in):
    gestion = adapter(stand_in.url)
    for _ in range(3):
        gestion.referencias(**IDS)
    assert len(stand_in.requests) == 4 and len(stand_in.client_ports) == 1


def test_a_gateway_error_on_a_get_is_retried_then_unavailable(stand_in):
    stand_in.status = 503
    with pytest.raises(GestionNoDisponible):
        adapter(stand_in.url).referencias(**IDS)
    assert stand_in.paths().count("GET /interno/referencias?id_doctor=1&id_centro=2&id_paciente=3") == 3


def test_a_retry_after_from_gestion_does_not_hold_the_caller(stand_in):
    stand_in.status, stand_in.retry_after = 503, "3600"
    started = time.monotonic()
    with pytest.raises(GestionNoDisponible):
        adapter(stand_in.url).referencias(**IDS)
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    "answer",
    [
        b"<html>Maintenance</html>",
        b'{"doctor": null}',
        b'{"doctor": {"id_doctor": 1}, "centro": null, "paciente": null}',
        b"[]",
    ],
)
def test_a_200_that_is_not_the_expected_json_is_unavailable(stand_in, answer):
    stand_in.raw_referencias = answer
    with pytest.raises(GestionNoDisponible):
        adapter(stand_in.url).referencias(**IDS)


@pytest.mark.parametrize(
    "answer", [b"<html>Proxy</html>", b'{"access": "t"}', b'{"access": "t", "expires_in": "x"}']
)
def test_a_login_answer_that_is_not_the_expected_json_is_unavailable(stand_in, answer):
    stand_in.raw_login = answer
    with pytest.raises(GestionNoDisponible):
        adapter(stand_in.url).referencias(**IDS)


def test_a_server_error_is_unavailable(stand_in):
    stand_in.status = 500
    with pytest.raises(GestionNoDisponible):
        adapter(stand_in.url).referencias(**IDS)


def test_a_slow_gestion_is_unavailable_within_the_read_timeout_without_a_retry(stand_in):
    gestion = adapter(stand_in.url, read_timeout=0.5)
    gestion.referencias(**IDS)  # logged in while fast
    stand_in.delay = 1.5
    started = time.monotonic()
    with pytest.raises(GestionNoDisponible):
        gestion.referencias(**IDS)
    assert time.monotonic() - started < 1.2
    assert stand_in.paths().count("GET /interno/referencias?id_doctor=1&id_centro=2&id_paciente=3") == 2


def test_a_stopped_gestion_is_unavailable_at_once():
    started = time.monotonic()
    with pytest.raises(GestionNoDisponible):
        adapter(closed_port_url()).referencias(**IDS)
    assert time.monotonic() - started < 1.0


def test_refused_service_credentials_are_unavailable(stand_in):
    gestion = adapter(stand_in.url)
    gestion.base_url = f"{stand_in.url}/nowhere"  # login answers 404
    with pytest.raises(GestionNoDisponible):
        gestion.referencias(**IDS)


def test_the_request_id_of_the_booking_is_forwarded_to_gestion(stand_in):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from apps.common.request_id import RequestIdMiddleware

    gestion = adapter(stand_in.url)

    def booking(request):
        gestion.referencias(**IDS)
        return HttpResponse()

    RequestIdMiddleware(booking)(RequestFactory().get("/citas", HTTP_X_REQUEST_ID="reserva-7"))
    assert [headers.get("X-Request-ID") for _, _, headers in stand_in.requests] == ["reserva-7"] * 2
