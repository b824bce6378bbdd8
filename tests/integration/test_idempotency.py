"""Idempotency-Key across real processes: two identical bookings in flight at once, and a replay."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.integration.harness import free_port
from tests.integration.registry import futuro, registrar

pytestmark = pytest.mark.integration
DELAY = 1.5


def delaying_proxy(target: str) -> ThreadingHTTPServer:
    """gestion, reached through a proxy that holds each internal question for a while."""

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self, method: str):
            if self.path.startswith("/interno/"):
                time.sleep(DELAY)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            answer = requests.request(method, f"{target}{self.path}", data=body, headers=headers, timeout=30)
            self.send_response(answer.status_code)
            self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def do_GET(self):
            self._forward("GET")

        def do_POST(self):
            self._forward("POST")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Proxy)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_two_identical_bookings_in_flight_give_one_201_and_one_409_then_a_replay(deployables, admin_headers):
    made = registrar(deployables.gestion_url, admin_headers)
    proxy = delaying_proxy(deployables.gestion_url)
    try:
        # Revocations asked for once, at the warm-up below: no request of the test waits for them.
        citas = deployables.start_citas(
            GESTION_URL=f"http://127.0.0.1:{proxy.server_address[1]}", REVOCACIONES_REFRESCO_SEGUNDOS="3600"
        )
        warm = requests.get(f"{citas.url}/citas", headers=admin_headers, timeout=30)  # a fresh process loads
        assert warm.status_code == 200, warm.text
        body = {
            "fecha": futuro(days=12),
            "id_doctor": made.id_doctor,
            "id_centro": made.id_centro,
            "id_paciente": made.id_paciente,
        }
        headers = {**admin_headers, "Idempotency-Key": "reserva-en-vuelo"}

        def book(delay: float) -> requests.Response:
            time.sleep(delay)
            return requests.post(f"{citas.url}/citas", json=body, headers=headers, timeout=30)

        with ThreadPoolExecutor(max_workers=2) as pool:
            first, second = pool.map(book, [0, DELAY / 3])
        assert (first.status_code, second.status_code) == (201, 409), (first.text, second.text)
        assert second.json()["errors"][0]["code"] == "idempotency_key_en_curso"
        replay = book(0)
        assert (replay.status_code, replay.json(), replay.headers["Idempotent-Replayed"]) == (
            201,
            first.json(),
            "true",
        )
        other_body = requests.post(
            f"{citas.url}/citas", json={**body, "motivo": "otro"}, headers=headers, timeout=30
        )
        assert other_body.status_code == 422
        listed = requests.get(
            f"{citas.url}/citas?id_paciente={made.id_paciente}", headers=admin_headers, timeout=30
        )
        assert listed.json()["count"] == 1
    finally:
        proxy.shutdown()
