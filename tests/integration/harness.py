"""Both deployables as real gunicorn processes on loopback, each with its own database.

Used by the cross-deployable tests; nothing here is imported by the applications.
"""

import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests

from odontocare.keys import generate_keypair

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
ADMIN_USERNAME, ADMIN_PASSWORD = "admin", "admin-de-prueba-2026"
SERVICE_USERNAME, SERVICE_PASSWORD = "servicio-citas", "servicio-de-prueba-2026"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_server_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        raise RuntimeError(
            "TEST_POSTGRES_URL is not set: the PostgreSQL tests need a server (see scripts/test)."
        )
    return url


@contextmanager
def database(backend: str, workdir: Path, name: str) -> Iterator[str]:
    """A fresh, empty database for one deployable, as a DATABASE_URL; dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / f'{name}.sqlite3'}"
        return
    server = postgres_server_url()
    db_name = f"odontocare_it_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db_name}"')
    try:
        yield f"{server.rsplit('/', 1)[0]}/{db_name}"
    finally:
        drop_database(server, db_name)


def drop_database(server: str, db_name: str) -> None:
    """Drop a test database once the deployables have left it.

    Not ``WITH (FORCE)``: PostgreSQL 15 refuses it to a role that is not a superuser whenever an
    autovacuum worker happens to be in the database. A plain DROP DATABASE stops autovacuum workers
    itself and waits up to 5 s for other sessions, so only this role's own stragglers are ended first.
    """
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()",
            [db_name],
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{db_name}"')


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL if it has not exited 20 s later."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        stop_process(self.process)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def manage(settings: str, env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": f"odontocare.settings.{settings}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} ({settings}) failed:\n{result.stderr[-3000:]}")


def start(
    settings: str, env: dict[str, str], log: Path, workers: int = 3, app: str = "odontocare.wsgi"
) -> Server:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        str(GUNICORN), app, "-c", "gunicorn.conf.py",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--name", settings,
    ]  # fmt: skip
    module = settings if "." in settings else f"odontocare.settings.{settings}"  # a deployable, or a module
    process_env = {**env, "DJANGO_SETTINGS_MODULE": module}
    with log.open("ab") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=process_env, stdout=sink, stderr=subprocess.STDOUT)
    server = Server(settings, url, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{settings} exited at start:\n{server.output()[-3000:]}")
        try:
            if requests.get(f"{url}/health", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{settings} did not become healthy:\n{server.output()[-3000:]}")


@dataclass
class Deployables:
    backend: str
    workdir: Path
    gestion_env: dict[str, str]
    citas_env: dict[str, str]
    gestion: Server
    citas: Server
    admin_username: str = ADMIN_USERNAME
    admin_password: str = ADMIN_PASSWORD
    _started: list[Server] = field(default_factory=list)

    @property
    def gestion_url(self) -> str:
        return self.gestion.url

    @property
    def citas_url(self) -> str:
        return self.citas.url

    def login(self, username: str | None = None, password: str | None = None) -> str:
        credentials = {
            "username": username or self.admin_username,
            "password": password or self.admin_password,
        }
        response = requests.post(f"{self.gestion_url}/auth/login", json=credentials, timeout=10)
        response.raise_for_status()
        return response.json()["access"]

    @contextmanager
    def _citas_db(self) -> Iterator[tuple[Callable, str]]:
        """citas' own database, reached without its API: ``execute(sql, params)`` and the placeholder."""
        url = self.citas_env["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db, db:
                yield db.execute, "?"
        else:
            with psycopg.connect(url) as db:
                yield db.execute, "%s"

    def citas_stored(self, *, id_doctor: int) -> int:
        """How many citas of the doctor citas' own database holds, counted without its API."""
        query = "SELECT COUNT(*) FROM appointments_cita WHERE id_doctor = %s"
        with self._citas_db() as (execute, mark):
            return execute(query.replace("%s", mark), (id_doctor,)).fetchone()[0]

    def citas_execute(self, sql: str, *params) -> None:
        """Change citas' own database behind its back (``%s`` placeholders), e.g. to stage a dead letter."""
        with self._citas_db() as (execute, mark):
            execute(sql.replace("%s", mark), params)

    def citas_values(self) -> list[str]:
        """Every value of every table of citas' own database, as text."""
        with self._citas_db() as (execute, mark):
            tables_sql = (
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                if mark == "?"
                else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
            tables = [row[0] for row in execute(tables_sql).fetchall()]
            rows = [row for table in tables for row in execute(f'SELECT * FROM "{table}"').fetchall()]  # noqa: S608
        return [str(value) for row in rows for value in row if value is not None]

    def start_citas(self, **env: str) -> Server:
        """Another citas on the same database, e.g. pointed at a gestion that is down or slow."""
        log = self.workdir / f"citas-{len(self._started)}.log"
        server = start("citas", {**self.citas_env, **env}, log, workers=1)
        self._started.append(server)
        return server

    def stop(self) -> None:
        for server in [*self._started, self.citas, self.gestion]:
            server.stop()


@contextmanager
def deployables(backend: str, workdir: Path, workers: int = 3) -> Iterator[Deployables]:
    keys = workdir / "keys"
    generate_keypair(keys / "private.pem", keys / "public.pem")
    common = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_", "JWT_"))},
        "ODONTOCARE_ENV": "test",
        "JWT_PUBLIC_KEY_PATH": str(keys / "public.pem"),
        "SERVICE_ACCOUNT_USERNAME": SERVICE_USERNAME,
        "SERVICE_ACCOUNT_PASSWORD": SERVICE_PASSWORD,
        "GUNICORN_THREADS": os.environ.get("GUNICORN_THREADS", "4"),
    }
    with database(backend, workdir, "gestion") as gestion_db, database(backend, workdir, "citas") as citas_db:
        gestion_env = {
            **common,
            "ODONTOCARE_DATA_DIR": str(workdir / "gestion"),
            "DATABASE_URL": gestion_db,
            "JWT_PRIVATE_KEY_PATH": str(keys / "private.pem"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ODONTOCARE_ADMIN_USERNAME": ADMIN_USERNAME,
            "ODONTOCARE_ADMIN_PASSWORD": ADMIN_PASSWORD,
        }
        for command in (
            ["migrate", "--no-input"],
            ["createcachetable"],
            ["ensure_admin"],
            ["ensure_service_account"],
        ):
            manage("gestion", gestion_env, *command)
        gestion = start("gestion", gestion_env, workdir / "gestion.log", workers=workers)
        citas_env = {
            **common,
            "ODONTOCARE_DATA_DIR": str(workdir / "citas"),
            "DATABASE_URL": citas_db,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "GESTION_URL": gestion.url,
            # Generous here: the concurrency tests queue 50 bookings at once on a small machine.
            "GESTION_READ_TIMEOUT": "10",
        }
        try:
            manage("citas", citas_env, "migrate", "--no-input")
            manage("citas", citas_env, "createcachetable")
            citas = start("citas", citas_env, workdir / "citas.log", workers=workers)
        except BaseException:
            gestion.stop()
            raise
        running = Deployables(backend, workdir, gestion_env, citas_env, gestion, citas)
        try:
            yield running
        finally:
            running.stop()
