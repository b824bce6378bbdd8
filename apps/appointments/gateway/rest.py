"""The gestion port over REST: the only module of citas that speaks HTTP."""

import logging
import threading
import time
from dataclasses import fields
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from apps.appointments.gateway.port import (
    CentroRef,
    DoctorRef,
    GestionNoDisponible,
    PacienteRef,
    Referencias,
)
from apps.common.request_id import REQUEST_ID_HEADER, current_request_id

logger = logging.getLogger(__name__)

# Renew the service token this long before gestion would refuse it.
TOKEN_MARGIN_SECONDS = 30


def _ref(cls, data: dict | None):
    """The dataclass ``cls`` from gestion's JSON object, taking the fields it knows; None for null."""
    return cls(**{field.name: data[field.name] for field in fields(cls)}) if data is not None else None


class RestGestion:
    """Asks gestion as the read-only service account.

    One instance per process: its requests.Session keeps connections to gestion alive across requests,
    and its token is shared by every thread until it is about to expire.
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
        self.base_url = base_url.rstrip("/")
        self._credentials = {"username": username, "password": password}
        self._timeout = (connect_timeout, read_timeout)
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json"})
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
        )
        self._session.mount("http://", HTTPAdapter(max_retries=retry, pool_maxsize=16))
        self._session.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=16))
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lock = threading.Lock()

    def referencias(self, *, id_doctor: int, id_centro: int, id_paciente: int) -> Referencias:
        params = {"id_doctor": id_doctor, "id_centro": id_centro, "id_paciente": id_paciente}
        body = self._get("/interno/referencias", params)
        return Referencias(
            doctor=_ref(DoctorRef, body["doctor"]),
            centro=_ref(CentroRef, body["centro"]),
            paciente=_ref(PacienteRef, body["paciente"]),
        )

    def _get(self, path: str, params: dict[str, Any]) -> dict:
        response = self._send("GET", path, params=params)
        if response.status_code == 401:  # the token was revoked or the keys rotated: log in again, once
            self._forget_token()
            response = self._send("GET", path, params=params)
        if response.status_code != 200:
            raise GestionNoDisponible(f"GET {path} answered {response.status_code}")
        return response.json()

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self._service_token()}"}
        if request_id := current_request_id():
            headers[REQUEST_ID_HEADER] = request_id
        try:
            return self._session.request(
                method, f"{self.base_url}{path}", headers=headers, timeout=self._timeout, **kwargs
            )
        except requests.RequestException as exc:
            raise GestionNoDisponible(f"{method} {path}: {exc.__class__.__name__}") from exc

    def _service_token(self) -> str:
        with self._token_lock:
            if self._token is None or time.monotonic() >= self._token_expires_at:
                self._token, lifetime = self._login()
                self._token_expires_at = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, 0)
            return self._token

    def _forget_token(self) -> None:
        with self._token_lock:
            self._token = None

    def _login(self) -> tuple[str, float]:
        try:
            response = self._session.post(
                f"{self.base_url}/auth/login", json=self._credentials, timeout=self._timeout
            )
        except requests.RequestException as exc:
            raise GestionNoDisponible(f"login: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            logger.error("gestion refused the service account's login: %s", response.status_code)
            raise GestionNoDisponible(f"login answered {response.status_code}")
        body = response.json()
        return body["access"], float(body["expires_in"])
