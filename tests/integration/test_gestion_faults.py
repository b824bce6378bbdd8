"""citas when gestion is down or slow: 503 JSON within the configured timeout, and nothing written."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.integration.harness import free_port
from tests.integration.registry import futuro, registrar

pytestmark = pytest.mark.integration

CONNECT_TIMEOUT, READ_TIMEOUT = 0.5, 1.0
# The configured timeouts, plus slack for the request's own round trip.
WITHIN = CONNECT_TIMEOUT + READ_TIMEOUT + 1.0


class SlowGestion(BaseHTTPRequestHandler):
    """Logs the service account in at once, then takes too long to answer anything else."""

    def do_POST(self):
        body = json.dumps({"access": "token", "expires_in": 900}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        time.sleep(READ_TIMEOUT * 3)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_gestion_url():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), SlowGestion)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def count_citas(deployables, headers) -> int:
    return requests.get(f"{deployables.citas_url}/citas", headers=headers, timeout=30).json()["count"]


@pytest.mark.parametrize("gestion", ["stopped", "slow"])
def test_booking_answers_503_in_time_and_writes_nothing(
    deployables, admin_headers, slow_gestion_url, gestion
):
    made = registrar(deployables.gestion_url, admin_headers)
    gestion_url = f"http://127.0.0.1:{free_port()}" if gestion == "stopped" else slow_gestion_url
    cut_off = deployables.start_citas(
        GESTION_URL=gestion_url,
        GESTION_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
        GESTION_READ_TIMEOUT=str(READ_TIMEOUT),
    )
    before = count_citas(deployables, admin_headers)
    body = {
        "fecha": futuro(),
        "id_doctor": made.id_doctor,
        "id_centro": made.id_centro,
        "id_paciente": made.id_paciente,
    }

    started = time.monotonic()
    response = requests.post(f"{cut_off.url}/citas", json=body, headers=admin_headers, timeout=30)
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "servicio_no_disponible"
    assert elapsed < WITHIN
    assert count_citas(deployables, admin_headers) == before
    cut_off.stop()
