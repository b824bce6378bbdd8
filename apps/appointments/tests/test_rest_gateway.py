"""The REST adapter against a real local HTTP server standing in for gestion."""

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from apps.appointments import services
from apps.appointments.gateway.port import CentroRef, DoctorRef, GestionNoDisponible, PacienteRef, Tramo
from apps.appointments.gateway.rest import RestGestion
from apps.appointments.models import Cita
from apps.appointments.tests.conftest import dentro_de
from apps.appointments.tests.gestion_stand_in import GestionStandIn
from apps.common.authentication import ClaimsUser

CITA = datetime(2031, 3, 3, 10, tzinfo=UTC)
IDS = {
    "id_doctor": 1,
    "id_centro": 2,
    "id_paciente": 3,
    "desde": CITA,
    "hasta": CITA + timedelta(minutes=30),
}


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


def asked_referencias(stand_in: GestionStandIn) -> int:
    return len([path for path in stand_in.paths() if path.startswith("GET /interno/referencias?")])


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
    assert refs.horarios[0] == Tramo(1, 2, 1, 0, 24 * 60)
    assert refs.ausencias == ()
    asked = stand_in.requests[-1][1]
    assert "desde=2031-03-03T10%3A00%3A00%2B00%3A00" in asked and "hasta=2031-03-03T10%3A30" in asked


def test_the_agenda_of_a_centro_is_one_call(stand_in):
    agenda = adapter(stand_in.url).agenda(id_centro=2, desde=CITA, hasta=CITA + timedelta(days=7))
    assert agenda.centro == CentroRef(2, "Centro")
    assert [doctor.id_doctor for doctor in agenda.doctores] == [1]
    assert len(agenda.horarios) == 7
    assert stand_in.paths().count("POST /auth/login") == 1
    assert len([path for path in stand_in.paths() if path.startswith("GET /interno/agenda?")]) == 1


def with_extra_fields(body: dict) -> dict:
    """What a newer gestion might send: fields this citas does not know, at every level."""
    body = {**body, "sala": "2B"}
    body["doctor"] = {**body["doctor"], "colegiado": "28/12345"}
    body["horarios"] = [{**tramo, "sala": 3} for tramo in body["horarios"]]
    return body


def without_optional_fields(body: dict) -> dict:
    """What an older gestion sends: no booking settings, no horario, no ausencias, no especialidad."""
    body = {key: value for key, value in body.items() if key not in ("horarios", "ausencias")}
    body["centro"] = {"id_centro": body["centro"]["id_centro"], "nombre": body["centro"]["nombre"]}
    body["doctor"] = {"id_doctor": body["doctor"]["id_doctor"], "nombre": body["doctor"]["nombre"]}
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("reshape", [with_extra_fields, without_optional_fields])
def test_booking_works_with_a_gestion_of_another_version(stand_in, reshape):
    stand_in.reshape = reshape
    datos = services.DatosCita(fecha=dentro_de(days=2), id_doctor=1, id_centro=2, id_paciente=3)
    actor = ClaimsUser(id_user=1, username="admin", rol="admin")
    cita = services.cita_create(datos=datos, actor=actor, gestion=adapter(stand_in.url))
    assert Cita.objects.get() == cita


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
    assert asked_referencias(stand_in) == 3


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
    assert asked_referencias(stand_in) == 2


def test_a_stopped_gestion_is_unavailable_at_once():
    started = time.monotonic()
    with pytest.raises(GestionNoDisponible):
        adapter(closed_port_url()).referencias(**IDS)
    assert time.monotonic() - started < 1.0


def test_refused_service_credentials_are_unavailable(stand_in):
    gestion = adapter(f"{stand_in.url}/nowhere")  # gestion is not under that path: login answers 404
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
