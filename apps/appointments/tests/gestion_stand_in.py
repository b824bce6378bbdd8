"""A tiny HTTP server that answers like gestion's login and internal read paths, and can be slow or
failing on purpose: the REST adapter is tested against real sockets, not a patched requests.

Its answers are built from the crossing data, as gestion builds them; ``reshape`` lets a test bend them
into what another version of gestion would send.
"""

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from apps.appointments.gateway.port import Agenda, CentroRef, DoctorRef, PacienteRef, Referencias, Tramo

ROUND_THE_CLOCK = tuple(range(1, 8))


class GestionStandIn:
    def __init__(self) -> None:
        self.delay = 0.0
        self.status = 200  # what /interno/referencias answers
        self.expires_in = 900
        self.tokens_valid = True
        self.paciente_estado = "ACTIVO"
        self.retry_after: str | None = None  # sent with a status other than 200
        self.raw_login: bytes | None = None  # sent instead of the login's JSON
        self.raw_referencias: bytes | None = None  # sent instead of the references' JSON
        self.reshape: Callable[[dict], dict] = lambda body: body  # applied to every JSON answer
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.logins = 0
        self.client_ports: set[int] = set()
        self.connections: list[socket.socket] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "GestionStandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop as a real server does: no new connections, and the open keep-alive ones closed."""
        self.server.shutdown()
        self.server.server_close()
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def paths(self) -> list[str]:
        return [f"{method} {path}" for method, path, _ in self.requests]

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                stand_in.connections.append(self.connection)

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                self._record()
                if self.path != "/auth/login":
                    return self._answer(404, {})
                stand_in.logins += 1
                token = f"token-{stand_in.logins}-{body.get('username')}"
                if stand_in.raw_login is not None:
                    return self._answer(200, stand_in.raw_login)
                self._answer(
                    200,
                    {
                        "access": token,
                        "refresh": "r",
                        "token_type": "Bearer",
                        "expires_in": stand_in.expires_in,
                    },
                )

            def do_GET(self):
                self._record()
                url = urlsplit(self.path)
                if url.path not in ("/interno/referencias", "/interno/agenda"):
                    return self._answer(404, {})
                if not stand_in.tokens_valid or not self.headers.get("Authorization", "").startswith(
                    "Bearer token-"
                ):
                    stand_in.tokens_valid = True  # valid again after the next login
                    return self._answer(401, {"errors": [{"code": "token_not_valid"}]})
                if stand_in.status != 200:
                    return self._answer(stand_in.status, {})
                if stand_in.raw_referencias is not None:
                    return self._answer(200, stand_in.raw_referencias)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                answer = agenda(query) if url.path == "/interno/agenda" else referencias(query)
                self._answer(200, stand_in.reshape(answer.to_json()))

            def _record(self):
                stand_in.requests.append((self.command, self.path, dict(self.headers)))
                stand_in.client_ports.add(self.client_address[1])
                if stand_in.delay:
                    time.sleep(stand_in.delay)

            def _answer(self, status: int, body: dict | bytes) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    if status != 200 and stand_in.retry_after is not None:
                        self.send_header("Retry-After", stand_in.retry_after)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

        def doctor(id_doctor: int) -> DoctorRef | None:
            return DoctorRef(id_doctor, "Dra. Ruiz", "Orto") if id_doctor < 100 else None

        def horario(id_doctor: int, id_centro: int) -> tuple[Tramo, ...]:
            return tuple(Tramo(id_doctor, id_centro, dia, 0, 24 * 60) for dia in ROUND_THE_CLOCK)

        def referencias(query: dict[str, str]) -> Referencias:
            id_doctor, id_centro = int(query["id_doctor"]), int(query["id_centro"])
            return Referencias(
                doctor=doctor(id_doctor),
                centro=CentroRef(id_centro, "Centro"),
                paciente=PacienteRef(int(query["id_paciente"]), "Ana", stand_in.paciente_estado),
                horarios=horario(id_doctor, id_centro),
            )

        def agenda(query: dict[str, str]) -> Agenda:
            id_centro = int(query["id_centro"])
            return Agenda(
                centro=CentroRef(id_centro, "Centro"),
                doctores=(doctor(1),),
                horarios=horario(1, id_centro),
            )

        return Handler
