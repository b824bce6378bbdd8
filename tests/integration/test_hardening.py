"""What a probe from outside tried: answers before Django, an address in use, a database that is gone,
restarted or read-only."""

import os
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import requests

from tests.integration.harness import GUNICORN, ROOT, SERVICE_PASSWORD, SERVICE_USERNAME, manage, start
from tests.integration.registry import futuro, registrar

pytestmark = pytest.mark.integration


def test_what_gunicorn_answers_itself_is_json(deployables):
    for url in (deployables.gestion_url, deployables.citas_url):
        long_line = requests.get(f"{url}/health?x={'a' * 5000}", timeout=10)
        big_header = requests.get(f"{url}/health", headers={"X-Grande": "b" * 9000}, timeout=10)
        for response, status in ((long_line, 414), (big_header, 431)):
            assert response.status_code == status
            assert response.headers["Content-Type"] == "application/json"
            assert response.json()["errors"][0]["code"]


def test_a_server_on_an_address_in_use_refuses_to_start():
    """Its workers listen with SO_REUSEPORT, which would let it share the address with another such server:
    a socket of the same kind, listening there, is that other server."""
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        settings = {"ODONTOCARE_ENV": "test", "DJANGO_SETTINGS_MODULE": "odontocare.settings.gestion"}
        started = subprocess.run(
            [GUNICORN, "odontocare.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, **settings},
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert started.returncode != 0
    assert f"127.0.0.1:{port} is in use" in started.stdout + started.stderr


@contextmanager
def read_only(deployables, database_url: str):
    """citas' database refusing writes: a read-only mount of its folder (SQLite), or a read-only
    database (PostgreSQL)."""
    if database_url.startswith("sqlite:///"):
        folder = str(Path(database_url.removeprefix("sqlite:///")).parent)
        if os.geteuid() == 0:  # root writes through file modes: a read-only mount stops it
            subprocess.run(["mount", "--bind", folder, folder], check=True)
            subprocess.run(["mount", "-o", "remount,ro,bind", folder], check=True)
            try:
                yield
            finally:
                # Writable again (the running citas keeps its files open on this mount), then let go of it.
                subprocess.run(["mount", "-o", "remount,rw,bind", folder], check=True)
                subprocess.run(["umount", "--lazy", folder], check=True)
        else:
            os.chmod(folder, 0o555)  # noqa: S103
            try:
                yield
            finally:
                os.chmod(folder, 0o755)  # noqa: S103
        return
    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"

    def set_read_only(value: str) -> None:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {value}')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )

    set_read_only("on")
    try:
        yield
    finally:
        set_read_only("off")


def test_health_tells_the_truth_and_a_refused_write_is_503(deployables, admin_headers, tmp_path):
    made = registrar(deployables.gestion_url, admin_headers)
    if deployables.backend == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'db' / 'citas.sqlite3'}"
        (tmp_path / "db").mkdir()
    else:
        database_url = deployables.citas_env["DATABASE_URL"]
    env = {**deployables.citas_env, "DATABASE_URL": database_url}
    manage("citas", env, "migrate", "--no-input")
    manage("citas", env, "createcachetable")
    citas = deployables.start_citas(DATABASE_URL=database_url)
    assert requests.get(f"{citas.url}/health", timeout=10).status_code == 200
    body = {
        "fecha": futuro(days=14),
        "id_doctor": made.id_doctor,
        "id_centro": made.id_centro,
        "id_paciente": made.id_paciente,
    }

    with read_only(deployables, database_url):
        health = requests.get(f"{citas.url}/health", timeout=10)
        assert health.status_code == 503, health.text
        assert health.json()["database"] == "error"
        booking = requests.post(f"{citas.url}/citas", json=body, headers=admin_headers, timeout=30)
        assert booking.status_code == 503, booking.text
        assert booking.headers["Content-Type"] == "application/json"

    assert requests.get(f"{citas.url}/health", timeout=10).status_code == 200
    if deployables.backend == "sqlite":
        Path(database_url.removeprefix("sqlite:///")).rename(tmp_path / "moved-away.sqlite3")
        missing = requests.get(f"{citas.url}/health", timeout=10)
        assert missing.status_code == 503
        assert "missing" in missing.json()["detail"]


def test_a_database_that_ended_every_session_costs_no_booking(deployables, admin_headers, tmp_path):
    """As after a database restart: citas checks a reused connection before a booking's first statement when
    the server has said something on it (its farewell); gestion reads citas' question without that check and,
    when the connection turns out dead, answers on a new one."""
    if deployables.backend != "postgres":
        pytest.skip("SQLite has no sessions to end")
    made = registrar(deployables.gestion_url, admin_headers)
    service = {"Authorization": f"Bearer {deployables.login(SERVICE_USERNAME, SERVICE_PASSWORD)}"}
    # One thread each: the booking after the sessions end reuses the connections that ended.
    one_thread = {"GUNICORN_THREADS": "1"}
    gestion = start("gestion", {**deployables.gestion_env, **one_thread}, tmp_path / "gestion.log", workers=1)
    citas_env = {**deployables.citas_env, **one_thread, "GESTION_URL": gestion.url}
    citas = start("citas", citas_env, tmp_path / "citas.log", workers=1)

    def book(days: int) -> requests.Response:
        body = {
            "fecha": futuro(days=days),
            "id_doctor": made.id_doctor,
            "id_centro": made.id_centro,
            "id_paciente": made.id_paciente,
        }
        return requests.post(f"{citas.url}/citas", json=body, headers=admin_headers, timeout=30)

    def referencias() -> requests.Response:  # gestion asked directly: citas' gateway retries a 503
        params = {"id_doctor": made.id_doctor, "id_centro": made.id_centro, "id_paciente": made.id_paciente}
        return requests.get(f"{gestion.url}/interno/referencias", params=params, headers=service, timeout=30)

    try:
        assert book(14).status_code == 201
        assert referencias().status_code == 200  # the token is known: the next call's only read is its own
        databases = [
            psycopg.conninfo.conninfo_to_dict(env["DATABASE_URL"])["dbname"]
            for env in (deployables.gestion_env, deployables.citas_env)
        ]
        with psycopg.connect(deployables.citas_env["DATABASE_URL"], autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                "WHERE datname = ANY(%s) AND pid <> pg_backend_pid() AND usename = current_user",
                (databases,),
            ).fetchone()[0]
        assert ended >= 2  # at least citas' and gestion's
        answer = referencias()
        assert answer.status_code == 200, answer.text
        booking = book(15)
        assert booking.status_code == 201, booking.text
    finally:
        citas.stop()
        gestion.stop()


def wait_until_refused(url: str, token: str, seconds: float = 60) -> float:
    """How long until citas refuses the token (failing after ``seconds``)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        response = requests.get(f"{url}/citas", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        if response.status_code == 401:
            return time.monotonic() - started
        assert response.status_code == 200, response.text
        time.sleep(0.5)
    raise AssertionError(f"citas still took the token after {seconds} s")


@pytest.mark.parametrize("how", ["logout", "deactivation", "deletion"])
def test_a_revoked_access_token_is_refused_by_both_deployables_within_a_minute(
    deployables, admin_headers, how
):
    gestion, citas = deployables.gestion_url, deployables.citas_url
    tag = uuid.uuid4().hex[:8]
    account = {"username": f"sec.{tag}", "password": f"Clave-{tag}-2026", "rol": "secretaria"}
    user = requests.post(f"{gestion}/admin/usuario", json=account, headers=admin_headers, timeout=30).json()
    time.sleep(1.1)  # the token below is issued after the account was created, a second apart
    tokens = requests.post(f"{gestion}/auth/login", json=account, timeout=30).json()
    bearer = {"Authorization": f"Bearer {tokens['access']}"}
    assert requests.get(f"{citas}/citas", headers=bearer, timeout=30).status_code == 200
    time.sleep(1.1)
    if how == "logout":
        requests.post(
            f"{gestion}/auth/logout", json={"refresh": tokens["refresh"]}, headers=bearer, timeout=30
        )
    elif how == "deactivation":
        requests.patch(
            f"{gestion}/admin/usuario/{user['id_user']}",
            json={"is_active": False},
            headers=admin_headers,
            timeout=30,
        )
    else:
        delete = f"from apps.accounts.models import User; User.objects.filter(pk={user['id_user']}).delete()"
        manage("gestion", deployables.gestion_env, "shell", "-c", delete)
    assert wait_until_refused(citas, tokens["access"]) < 60
    assert requests.get(f"{gestion}/auth/me", headers=bearer, timeout=30).status_code == 401
