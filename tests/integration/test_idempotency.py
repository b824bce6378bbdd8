"""Idempotency-Key across real processes: two identical bookings in flight at once, and a replay."""

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

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


def test_a_post_cut_off_mid_body_claims_no_key_so_the_complete_retry_is_done(deployables, admin_headers):
    body = json.dumps({"nombre": "Clínica Cortada", "direccion": "Calle del Corte 1"}).encode()
    host, port = urlsplit(deployables.gestion_url).netloc.split(":")
    head = (
        f"POST /admin/centros HTTP/1.1\r\nHost: {host}\r\nAuthorization: {admin_headers['Authorization']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nIdempotency-Key: cortada-1\r\n"
        "Connection: close\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(head.encode() + body[: len(body) // 2])
        raw.shutdown(socket.SHUT_WR)  # the client goes away halfway through its body
        answer = b"".join(iter(lambda: raw.recv(65536), b""))
    status, _, rest = answer.partition(b"\r\n")
    assert status.split()[1] == b"400", answer
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["errors"][0]["code"] == "incomplete"

    retry = requests.post(
        f"{deployables.gestion_url}/admin/centros",
        data=body,
        headers={**admin_headers, "Content-Type": "application/json", "Idempotency-Key": "cortada-1"},
        timeout=30,
    )
    assert retry.status_code == 201, retry.text
    assert "Idempotent-Replayed" not in retry.headers
