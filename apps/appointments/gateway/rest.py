"""The gestion port over REST: the only module of citas that speaks HTTP.

It speaks it with urllib3 (what requests is built on) directly: a booking makes one call, and requests'
sessions, hooks, cookie jar and environment lookups on it cost about a tenth of citas' CPU per booking.
"""

import json
import logging
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import urllib3
from urllib3.exceptions import HTTPError
from urllib3.util import Retry, Timeout

from apps.appointments.gateway.port import (
    AccesoBloqueado,
    Agenda,
    CentroRef,
    GestionNoDisponible,
    PacienteRef,
    Referencias,
    Revocaciones,
    UsuarioRef,
)
from apps.common.request_id import REQUEST_ID_HEADER, current_request_id

logger = logging.getLogger(__name__)

# Renew the service token this long before gestion would refuse it.
TOKEN_MARGIN_SECONDS = 30
# Patients offered for one search at the front desk.
PAGE_SIZE = 20


def _refuses_the_token(response: urllib3.BaseHTTPResponse) -> bool:
    """Whether a 401 is about the service's token, not about the credentials it asked about."""
    try:
        codes = {error.get("code") for error in response.json().get("errors") or []}
    except (ValueError, AttributeError):
        return True
    return "no_active_account" not in codes


@contextmanager
def _reading(what: str):
    """Reading gestion's answer: one that is not the JSON it documents means gestion is failing."""
    try:
        yield
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # JSONDecodeError is a ValueError
        raise GestionNoDisponible(f"{what}: unexpected answer ({exc.__class__.__name__})") from exc


class RestGestion:
    """Asks gestion as the read-only service account.

    One instance per process: its connection pool keeps connections to gestion alive across requests (up
    to 16 idle at once), and its token is shared by every thread until it is about to expire.
    """

    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        password: str,
        connect_timeout: float,
        read_timeout: float,
    ):
        base_url = base_url.rstrip("/")
        self._credentials = {"username": username, "password": password}
        # Only idempotent GETs are retried, briefly: a user is waiting for the answer. A read that timed
        # out is not retried, so that a slow gestion costs the caller one read timeout at most.
        retry = Retry(
            total=2,
            connect=2,
            read=0,
            status=2,
            backoff_factor=0.1,
            status_forcelist=(502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
            respect_retry_after_header=False,  # a Retry-After of an hour must not hold the caller
        )
        # gestion is reached directly, as GESTION_URL says (no proxy from the environment).
        self._pool = urllib3.connection_from_url(
            base_url,
            maxsize=16,
            retries=retry,
            timeout=Timeout(connect=connect_timeout, read=read_timeout),
        )
        self._prefix = urlsplit(base_url).path  # gestion served under a path, behind a proxy
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lock = threading.Lock()

    def referencias(
        self, *, id_doctor: int, id_centro: int, id_paciente: int, desde: datetime, hasta: datetime
    ) -> Referencias:
        params = {
            "id_doctor": id_doctor,
            "id_centro": id_centro,
            "id_paciente": id_paciente,
            "desde": desde.isoformat(),
            "hasta": hasta.isoformat(),
        }
        response = self._get("/interno/referencias", params)
        with _reading("GET /interno/referencias"):
            return Referencias.from_json(response.json())

    def agenda(
        self,
        *,
        id_centro: int,
        desde: datetime,
        hasta: datetime,
        id_doctor: int | None = None,
        especialidad: str | None = None,
    ) -> Agenda:
        params = {"id_centro": id_centro, "desde": desde.isoformat(), "hasta": hasta.isoformat()}
        if id_doctor is not None:
            params["id_doctor"] = id_doctor
        if especialidad:
            params["especialidad"] = especialidad
        response = self._get("/interno/agenda", params)
        with _reading("GET /interno/agenda"):
            return Agenda.from_json(response.json())

    def autenticar(self, *, username: str, password: str, direccion: str) -> UsuarioRef | None:
        body = {"username": username, "password": password, "direccion": direccion}
        response = self._call("POST", "/interno/credenciales", payload=body)
        if response.status == 429:
            raise AccesoBloqueado(int(response.headers.get("Retry-After") or 60))
        if response.status in (400, 401):  # malformed or wrong: not signed in
            return None
        if response.status != 200:
            raise GestionNoDisponible(f"POST /interno/credenciales answered {response.status}")
        with _reading("POST /interno/credenciales"):
            return UsuarioRef.from_json(response.json())

    def pacientes(self, *, buscar: str) -> tuple[PacienteRef, ...]:
        response = self._get("/admin/pacientes", {"search": buscar, "page_size": PAGE_SIZE})
        with _reading("GET /admin/pacientes"):
            return tuple(PacienteRef.from_json(item) for item in response.json()["results"])

    def centros(self) -> tuple[CentroRef, ...]:
        response = self._get("/admin/centros", {"page_size": 200})
        with _reading("GET /admin/centros"):
            return tuple(CentroRef.from_json(item) for item in response.json()["results"])

    def revocaciones(self, *, desde: datetime) -> Revocaciones:
        response = self._get("/interno/revocaciones", {"desde": desde.isoformat()})
        with _reading("GET /interno/revocaciones"):
            return Revocaciones.from_json(response.json())

    def _get(self, path: str, params: dict[str, Any]) -> urllib3.BaseHTTPResponse:
        response = self._call("GET", f"{path}?{urlencode(params)}")
        if response.status != 200:
            raise GestionNoDisponible(f"GET {path} answered {response.status}")
        return response

    def _call(self, method: str, path: str, payload: dict | None = None) -> urllib3.BaseHTTPResponse:
        """A call as the service account; when gestion refuses its token (revoked, keys rotated), it logs in
        again and makes the call once more."""
        token = self._service_token()
        response = self._send(method, path, token=token, payload=payload)
        if response.status == 401 and _refuses_the_token(response):
            self._forget_token(token)
            response = self._send(method, path, token=self._service_token(), payload=payload)
        return response

    def _send(
        self, method: str, path: str, *, token: str | None = None, payload: dict | None = None
    ) -> urllib3.BaseHTTPResponse:
        """One exchange; ``payload`` is sent as JSON."""
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if request_id := current_request_id():
            headers[REQUEST_ID_HEADER] = request_id
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        try:
            return self._pool.urlopen(method, self._prefix + path, body=body, headers=headers)
        except HTTPError as exc:
            raise GestionNoDisponible(f"{method} {path}: {exc.__class__.__name__}") from exc

    def _service_token(self) -> str:
        with self._token_lock:
            if self._token is None or time.monotonic() >= self._token_expires_at:
                self._token, lifetime = self._login()
                self._token_expires_at = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, 0)
            return self._token

    def _forget_token(self, rejected: str) -> None:
        with self._token_lock:
            if self._token == rejected:  # another thread may have renewed it already
                self._token = None

    def _login(self) -> tuple[str, float]:
        response = self._send("POST", "/auth/login", payload=self._credentials)
        if response.status != 200:
            logger.error("gestion refused the service account's login: %s", response.status)
            raise GestionNoDisponible(f"login answered {response.status}")
        with _reading("POST /auth/login"):
            body = response.json()
            return str(body["access"]), float(body["expires_in"])
