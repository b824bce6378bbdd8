#!/usr/bin/env python
"""Load the demo data into OdontoCare through its REST API, one record per request, then book one cita.

    .venv/bin/python scripts/carga_inicial.py [--fixtures DIR] [--workers N] [--no-cita]
                                              [--gestion-url URL] [--citas-url URL]

Logs in to gestion as the first admin of usuarios.csv, then sends usuarios.csv, centros.csv, doctores.csv,
pacientes.csv and horarios.csv, in that order, each row to its endpoint (POST /admin/usuario, /admin/centros,
/admin/doctores, /admin/pacientes, /admin/horarios; a horario's doctor, given by username, and centro, given
by name, are looked up first). A record that already exists is counted as skipped, so a second run changes
nothing; a bad row is reported with its file and line and the load goes on. Each request carries an
Idempotency-Key made from its row, so that a row sent again (a retry, a rerun after the client was stopped)
is answered as the first time and created once. Finally it books a cita on citas for the first active
patient with the first doctor, at a centro where that doctor works, in the first slot that
GET /citas/disponibilidad lists from tomorrow on, and prints its JSON; when such a cita is already booked
(a second run), it prints that one instead.

stdout carries only that JSON; progress, problems and the summary go to stderr. Passwords are never shown.
Exit status: 0 when every row is loaded or already there, 1 when a row or the cita failed, 2 when the load
cannot start (no admin row, login refused, gestion unreachable) or gestion stops answering.

Needs only `requests` and the standard library (it reads the CSVs with apps/clinic/csv_rows.py, which
does not need Django).
"""

import argparse
import datetime as dt
import hashlib
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from apps.clinic.csv_rows import (  # noqa: E402
    LOAD_ORDER,
    CsvFileError,
    Kind,
    RowResult,
    SeenKeys,
    read_rows,
    username_key,
)

ENDPOINTS = {
    Kind.USUARIOS: "/admin/usuario",
    Kind.CENTROS: "/admin/centros",
    Kind.DOCTORES: "/admin/doctores",
    Kind.PACIENTES: "/admin/pacientes",
    Kind.HORARIOS: "/admin/horarios",
}
DUPLICATE_CODES = frozenset({"usuario_duplicado", "centro_duplicado", "horario_duplicado", "unique"})
PAGE_SIZE = 200
TIMEOUT = (5, 60)  # (connect, read) seconds; creating an account hashes a password
CITA_MOTIVO = "Revisión y limpieza dental"
CITA_DAYS_SEARCHED = 14
UNANSWERED_BEFORE_GIVING_UP = 5  # rows in a row that gestion did not answer: it is down, stop sending


class LoadAborted(Exception):
    """The load cannot go on at all."""


def describe(response: requests.Response) -> str:
    """The API's error answer in one line: "attr: detail; ..." (or the bare status when it is not JSON)."""
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        errors = []
    details = [f"{e['attr']}: {e.get('detail')}" if e.get("attr") else str(e.get("detail")) for e in errors]
    return f"HTTP {response.status_code}" + (f" ({'; '.join(details)})" if details else "")


def json_of(response: requests.Response, what: str) -> Any:
    """The JSON of an answer that must be JSON; a proxy's HTML page or the like aborts the load."""
    try:
        return response.json()
    except ValueError as exc:
        raise LoadAborted(f"{what} answered HTTP {response.status_code} without JSON") from exc


def error_codes(response: requests.Response) -> set[str]:
    try:
        return {error.get("code") for error in response.json().get("errors") or []}
    except (ValueError, AttributeError):
        return set()


class Api:
    """One requests.Session shared by the sending threads, with the admin's tokens renewed on a 401."""

    def __init__(self, gestion_url: str, citas_url: str, workers: int):
        self.gestion_url = gestion_url.rstrip("/")
        self.citas_url = citas_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": "odontocare-carga-inicial"})
        adapter = HTTPAdapter(pool_maxsize=max(10, workers))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._credentials: dict[str, str] = {}
        self._access = ""
        self._refresh = ""
        self._renewing = threading.Lock()

    def login(self, username: str, password: str) -> None:
        self._credentials = {"username": username, "password": password}
        try:
            response = self.session.post(
                f"{self.gestion_url}/auth/login", json=self._credentials, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            raise LoadAborted(f"gestion at {self.gestion_url} does not answer: {exc}") from exc
        if response.status_code != 200:
            raise LoadAborted(f"gestion refused the login of {username!r}: {describe(response)}")
        self._take_tokens(json_of(response, "POST /auth/login"))

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        token = self._access
        response = self._send(method, url, token, **kwargs)
        if response.status_code == 401:
            self._renew(stale=token)
            response = self._send(method, url, self._access, **kwargs)
        return response

    def results(self, url: str, **params: Any) -> list[dict[str, Any]]:
        """The first page of a list endpoint."""
        try:
            response = self.request("GET", url, params=params)
        except requests.RequestException as exc:
            raise LoadAborted(f"GET {url} did not answer ({exc.__class__.__name__})") from exc
        if response.status_code != 200:
            raise LoadAborted(f"GET {url} answered {describe(response)}")
        body = json_of(response, f"GET {url}")
        if not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise LoadAborted(f"GET {url} answered without a list of results")
        return body["results"]

    def every_result(self, url: str, **params: Any) -> list[dict[str, Any]]:
        """Every page of a list endpoint."""
        results: list[dict[str, Any]] = []
        page = 1
        while True:
            batch = self.results(url, page=page, page_size=PAGE_SIZE, **params)
            results += batch
            if len(batch) < PAGE_SIZE:
                return results
            page += 1

    def _send(
        self, method: str, url: str, token: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = {**(headers or {}), "Authorization": f"Bearer {token}"}
        return self.session.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)

    def _renew(self, *, stale: str) -> None:
        with self._renewing:
            if self._access != stale:
                return  # another thread renewed it meanwhile
            if self._refresh:
                response = self.session.post(
                    f"{self.gestion_url}/auth/refresh", json={"refresh": self._refresh}, timeout=TIMEOUT
                )
                if response.status_code == 200:
                    self._take_tokens(json_of(response, "POST /auth/refresh"))
                    return
            self.login(**self._credentials)

    def _take_tokens(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("access"), str):
            raise LoadAborted("gestion's token answer holds no access token")
        self._access = body["access"]
        self._refresh = body.get("refresh", self._refresh)


@dataclass
class FileSummary:
    file: str
    created: int = 0
    skipped: int = 0
    failed: int = 0
    unreadable: str | None = None

    def line(self) -> str:
        if self.unreadable:
            return f"{self.file:<14} not loaded: {self.unreadable}"
        return (
            f"{self.file:<14} created {self.created:>6}   skipped {self.skipped:>6}   failed {self.failed:>6}"
        )


class Progress:
    """A counter line on stderr, redrawn in place, when stderr is a terminal."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.live = stream.isatty()

    def show(self, file: str, done: int, total: int) -> None:
        if self.live and (done == total or done % 10 == 0):
            self.stream.write(f"\r{file}: {done}/{total}\033[K")
            self.stream.flush()

    def say(self, message: str) -> None:
        if self.live:
            self.stream.write("\r\033[K")
        print(message, file=self.stream, flush=True)


def row_key(kind: Kind, body: dict[str, Any]) -> str:
    """The Idempotency-Key of a row: the same on every run, so that a retry or a rerun never creates twice."""
    digest = hashlib.sha256(json.dumps([kind.value, body], sort_keys=True, ensure_ascii=False).encode())
    return f"carga-{digest.hexdigest()}"


class Directory:
    """The ids of the doctors (by username) and centros (by name) that horarios.csv names."""

    def __init__(self, api: Api):
        users = api.every_result(f"{api.gestion_url}/admin/usuario", rol="medico")
        doctors = {
            d["id_user"]: d["id_doctor"] for d in api.every_result(f"{api.gestion_url}/admin/doctores")
        }
        self.doctores = {u["username"]: doctors[u["id_user"]] for u in users if u["id_user"] in doctors}
        self.centros: dict[str, list[int]] = {}
        for centro in api.every_result(f"{api.gestion_url}/admin/centros"):
            self.centros.setdefault(centro["nombre"], []).append(centro["id_centro"])

    def horario(self, data: dict[str, str]) -> tuple[dict[str, Any] | None, str | None]:
        """The API's body for a row of horarios.csv, or why there is none."""
        id_doctor = self.doctores.get(username_key(data["doctor"]))
        centros = self.centros.get(data["centro"], [])
        if id_doctor is None:
            return None, f"no doctor has the username {data['doctor']!r}"
        if len(centros) != 1:
            return None, f"{'no' if not centros else 'more than one'} centro is called {data['centro']!r}"
        body = {
            "id_doctor": id_doctor,
            "id_centro": centros[0],
            "dia_semana": int(data["dia_semana"]),
            "hora_inicio": data["hora_inicio"],
            "hora_fin": data["hora_fin"],
        }
        return body | {key: data[key] for key in ("vigente_desde", "vigente_hasta") if data[key]}, None


def send_row(
    api: Api, kind: Kind, row: RowResult, directory: Directory | None = None
) -> tuple[str, str | None]:
    """Send one row: ("created" | "skipped" | "failed" | "unanswered", why it failed)."""
    if not row.ok:
        return "failed", row.error
    body: dict[str, Any] | None = row.data
    if kind is Kind.HORARIOS:
        body, problem = directory.horario(row.data)
        if body is None:
            return "failed", problem
    try:
        response = api.request(
            "POST",
            f"{api.gestion_url}{ENDPOINTS[kind]}",
            json=body,
            headers={"Idempotency-Key": row_key(kind, body)},
        )
    except requests.RequestException as exc:
        return "unanswered", f"gestion did not answer ({exc.__class__.__name__})"
    if response.status_code == 201:
        # A replay: a run that was stopped created it, and its answer had not reached us.
        return ("skipped" if response.headers.get("Idempotent-Replayed") else "created"), None
    codes = error_codes(response)
    if response.status_code == 409 or (response.status_code == 400 and codes and codes <= DUPLICATE_CODES):
        return "skipped", None
    return "failed", describe(response)


def load_file(api: Api, kind: Kind, rows: list[RowResult], workers: int, progress: Progress) -> FileSummary:
    summary = FileSummary(kind.filename)
    unanswered_in_a_row = 0
    directory = Directory(api) if kind is Kind.HORARIOS else None
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        outcomes = pool.map(lambda row: (row, *send_row(api, kind, row, directory)), rows)
        for done, (row, outcome, problem) in enumerate(outcomes, start=1):
            unanswered_in_a_row = unanswered_in_a_row + 1 if outcome == "unanswered" else 0
            if unanswered_in_a_row >= UNANSWERED_BEFORE_GIVING_UP:
                raise LoadAborted(f"gestion stopped answering at {row.where()}: {problem}")
            counted = "failed" if outcome == "unanswered" else outcome
            setattr(summary, counted, getattr(summary, counted) + 1)
            if problem:
                progress.say(f"{row.where()}: {problem}")
            progress.show(kind.filename, done, len(rows))
    finally:
        pool.shutdown(cancel_futures=True)
    progress.say(summary.line())
    return summary


def book_cita(api: Api) -> tuple[dict[str, Any], bool]:
    """The demo cita, and whether it is new: a cita already booked for the same doctor and patient is
    kept, so that a second run books nothing."""
    doctores = api.results(f"{api.gestion_url}/admin/doctores", page_size=1)
    pacientes = api.results(f"{api.gestion_url}/admin/pacientes", estado="ACTIVO", page_size=1)
    if not (doctores and pacientes):
        raise LoadAborted("booking a cita needs a doctor and an active patient in gestion")
    id_doctor, id_paciente = doctores[0]["id_doctor"], pacientes[0]["id_paciente"]
    booked = api.results(
        f"{api.citas_url}/citas",
        estado="PROGRAMADA",
        fecha_desde=dt.datetime.now(dt.UTC).isoformat(),
        id_doctor=id_doctor,
        id_paciente=id_paciente,
    )
    if booked:
        return booked[0], False
    horarios = api.results(f"{api.gestion_url}/admin/horarios", id_doctor=id_doctor, page_size=1)
    if not horarios:
        raise LoadAborted("the first doctor has no horario, so no cita can be booked with it")
    id_centro = horarios[0]["id_centro"]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    try:
        response = api.request(
            "GET",
            f"{api.citas_url}/citas/disponibilidad",
            params={
                "id_centro": id_centro,
                "id_doctor": id_doctor,
                "desde": tomorrow.isoformat(),
                "hasta": (tomorrow + dt.timedelta(days=CITA_DAYS_SEARCHED - 1)).isoformat(),
            },
        )
    except requests.RequestException as exc:
        raise LoadAborted(f"citas at {api.citas_url} does not answer: {exc}") from exc
    if response.status_code != 200:
        raise LoadAborted(f"citas did not list the free slots: {describe(response)}")
    huecos = [h for d in json_of(response, "GET /citas/disponibilidad")["doctores"] for h in d["huecos"]]
    body = {"motivo": CITA_MOTIVO, "id_doctor": id_doctor, "id_centro": id_centro, "id_paciente": id_paciente}
    for fecha in huecos:
        try:
            response = api.request("POST", f"{api.citas_url}/citas", json={**body, "fecha": fecha})
        except requests.RequestException as exc:
            raise LoadAborted(f"citas at {api.citas_url} does not answer: {exc}") from exc
        if response.status_code == 201:
            return json_of(response, "POST /citas"), True
        if response.status_code != 409:  # 409: taken since it was listed; try the next one
            raise LoadAborted(f"citas refused the cita: {describe(response)}")
    raise LoadAborted(f"the doctor has no free slot in the next {CITA_DAYS_SEARCHED} days")


def read_file(folder: Path, kind: Kind, seen: SeenKeys) -> list[RowResult]:
    return list(read_rows(folder / kind.filename, kind, seen))


def run(args: argparse.Namespace) -> int:
    progress = Progress()
    api = Api(args.gestion_url, args.citas_url, args.workers)
    seen = SeenKeys()
    try:
        usuarios = read_file(args.fixtures, Kind.USUARIOS, seen)
    except CsvFileError as exc:
        raise LoadAborted(str(exc)) from exc
    admin = next((row for row in usuarios if row.ok and row.data["rol"] == "admin"), None)
    if admin is None:
        raise LoadAborted("usuarios.csv has no valid admin row to log in with")
    api.login(admin.data["username"], admin.data["password"])
    progress.say(f"logged in to {api.gestion_url} as {admin.data['username']}")

    summaries = []
    for kind in LOAD_ORDER:
        try:
            rows = usuarios if kind is Kind.USUARIOS else read_file(args.fixtures, kind, seen)
        except CsvFileError as exc:
            summary = FileSummary(kind.filename, unreadable=exc.message)
            progress.say(summary.line())
        else:
            summary = load_file(api, kind, rows, args.workers, progress)
        summaries.append(summary)

    status = 1 if any(s.failed or s.unreadable for s in summaries) else 0
    if not args.no_cita:
        try:
            cita, new = book_cita(api)
        except LoadAborted as exc:
            progress.say(f"cita: {exc}")
            return 1
        progress.say(f"cita {cita['id_cita']}: {'booked' if new else 'already booked, skipped'}")
        print(json.dumps(cita, ensure_ascii=False, indent=2))
    return status


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    def positive(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError("must be a whole number of at least 1")
        return int(text)

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gestion-url", default="http://127.0.0.1:8000", help="default %(default)s")
    parser.add_argument("--citas-url", default="http://127.0.0.1:8001", help="default %(default)s")
    parser.add_argument("--fixtures", type=Path, default=REPO_ROOT / "fixtures", help="the CSV folder")
    parser.add_argument("--workers", type=positive, default=1, help="requests in flight per file (default 1)")
    parser.add_argument("--no-cita", action="store_true", help="load the files only; book no cita")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    try:
        return run(parse_args(argv))
    except LoadAborted as exc:
        print(f"carga_inicial: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
