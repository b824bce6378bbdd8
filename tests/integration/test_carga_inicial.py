"""scripts/carga_inicial.py against both deployables running as gunicorn processes."""

import csv
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.integration.harness import BACKENDS
from tests.integration.harness import deployables as start_deployables

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "scripts" / "carga_inicial.py"
FIXTURES = ROOT / "fixtures"
FILES = ("usuarios.csv", "centros.csv", "doctores.csv", "pacientes.csv", "horarios.csv")

pytestmark = pytest.mark.integration


def run_client(deployables, fixtures: Path, *options: str) -> subprocess.CompletedProcess:
    return run_client_at(deployables.gestion_url, deployables.citas_url, fixtures, *options)


def run_client_at(
    gestion_url: str, citas_url: str, fixtures: Path, *options: str
) -> subprocess.CompletedProcess:
    command = [sys.executable, str(CLIENT), "--gestion-url", gestion_url, "--citas-url", citas_url]
    command += ["--fixtures", str(fixtures), *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, header: str, *lines: str) -> None:
    path.write_text("\n".join((header, *lines)) + "\n", encoding="utf-8")


def fixtures_logging_in_as(deployables, folder: Path) -> Path:
    """The committed fixtures, with the first row of usuarios.csv set to this test run's admin."""
    for name in FILES:
        folder.joinpath(name).write_bytes(FIXTURES.joinpath(name).read_bytes())
    usuarios = read_csv(folder / "usuarios.csv")
    usuarios[0].update(username=deployables.admin_username, password=deployables.admin_password)
    with folder.joinpath("usuarios.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["username", "password", "rol"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(usuarios)
    return folder


class Gestion:
    def __init__(self, deployables):
        self.url = deployables.gestion_url
        login = requests.post(
            f"{self.url}/auth/login",
            json={"username": deployables.admin_username, "password": deployables.admin_password},
            timeout=10,
        )
        login.raise_for_status()
        self.headers = {"Authorization": f"Bearer {login.json()['access']}"}

    def count(self, path: str, **params) -> int:
        response = requests.get(f"{self.url}{path}", params=params, headers=self.headers, timeout=10)
        response.raise_for_status()
        return response.json()["count"]

    def counts(self) -> dict[str, int]:
        return {
            "admin": self.count("/admin/usuario", rol="admin"),
            "secretaria": self.count("/admin/usuario", rol="secretaria"),
            "centros": self.count("/admin/centros"),
            "doctores": self.count("/admin/doctores"),
            "pacientes": self.count("/admin/pacientes"),
            "inactivos": self.count("/admin/pacientes", estado="INACTIVO"),
            "horarios": self.count("/admin/horarios"),
        }


@pytest.fixture(params=BACKENDS)
def fresh_stack(request, tmp_path_factory):
    """Both deployables on empty databases of their own: what a new user starts the load on."""
    with start_deployables(request.param, tmp_path_factory.mktemp(f"fresh-{request.param}")) as running:
        yield running


def test_the_fixtures_load_once_and_a_second_run_skips_everything(fresh_stack, tmp_path):
    deployables = fresh_stack
    fixtures = fixtures_logging_in_as(deployables, tmp_path)
    usuarios, centros, doctores, pacientes, horarios = (read_csv(fixtures / name) for name in FILES)
    gestion = Gestion(deployables)
    before = gestion.counts()

    first = run_client(deployables, fixtures, "--workers", "4")

    assert first.returncode == 0, first.stderr
    after = gestion.counts()
    loaded = {key: after[key] - before[key] for key in after}
    assert loaded == {
        "admin": sum(row["rol"] == "admin" for row in usuarios) - 1,  # the first one logs in: it exists
        "secretaria": sum(row["rol"] == "secretaria" for row in usuarios),
        "centros": len(centros),
        "doctores": len(doctores),
        "pacientes": len(pacientes),
        "inactivos": sum(row["estado"] == "INACTIVO" for row in pacientes),
        "horarios": len(horarios),
    }
    cita = json.loads(first.stdout)
    assert cita["estado"] == "PROGRAMADA"
    assert {"id_cita", "fecha", "id_doctor", "id_centro", "id_paciente"} <= cita.keys()
    # Booked in a slot that the availability of its doctor at its centro lists as free, from tomorrow on.
    fecha = datetime.fromisoformat(cita["fecha"])
    day = fecha.date()
    query = {"id_centro": cita["id_centro"], "id_doctor": cita["id_doctor"], "desde": day, "hasta": day}
    requests.put(
        f"{deployables.citas_url}/citas/{cita['id_cita']}",
        json={"estado": "CANCELADA"},
        headers=gestion.headers,
        timeout=10,
    ).raise_for_status()
    free = requests.get(
        f"{deployables.citas_url}/citas/disponibilidad", params=query, headers=gestion.headers, timeout=10
    )
    assert cita["fecha"] in free.json()["doctores"][0]["huecos"], (cita, free.json())
    assert day > date.today()
    rebooked = requests.post(
        f"{deployables.citas_url}/citas",
        json={key: cita[key] for key in ("fecha", "id_doctor", "id_centro", "id_paciente", "motivo")},
        headers=gestion.headers,
        timeout=10,
    )
    assert rebooked.status_code == 201, rebooked.text
    cita = rebooked.json()

    second = run_client(deployables, fixtures)

    assert second.returncode == 0, second.stderr
    assert gestion.counts() == after
    for name, rows in zip(FILES, (usuarios, centros, doctores, pacientes, horarios), strict=True):
        assert f"{name:<14} created {0:>6}   skipped {len(rows):>6}   failed {0:>6}" in second.stderr
    assert json.loads(second.stdout) == cita  # the cita of the first run, not a second one
    assert f"cita {cita['id_cita']}: already booked, skipped" in second.stderr


def test_the_client_never_prints_a_password(deployables, tmp_path):
    fixtures = fixtures_logging_in_as(deployables, tmp_path)
    passwords = [row["password"] for name in FILES for row in read_csv(fixtures / name) if "password" in row]

    result = run_client(deployables, fixtures, "--no-cita")

    assert result.returncode == 0, result.stderr
    assert not [password for password in passwords if password in result.stdout + result.stderr]


def test_bad_rows_are_reported_by_line_and_the_good_rows_are_loaded(deployables, tmp_path):
    tag = uuid.uuid4().hex[:8]
    write_csv(
        tmp_path / "usuarios.csv",
        "username,password,rol",
        f"{deployables.admin_username},{deployables.admin_password},admin",
        f"sec.{tag},Clave-Segura-{tag},secretaria",
        f"jefe.{tag},Clave-Segura-{tag},jefe",
        f"sec.{tag},Otra-Clave-{tag},secretaria",
    )
    write_csv(tmp_path / "centros.csv", "nombre", f"Clínica {tag}")
    write_csv(
        tmp_path / "doctores.csv",
        "nombre,especialidad,username,password",
        f"Dra. Ana {tag},Ortodoncia,dr.{tag},Clave-Segura-{tag}",
        f"Dr. Corto {tag},Endodoncia",  # a row short of its username and password
    )
    write_csv(
        tmp_path / "pacientes.csv",
        "nombre,telefono,estado,username,password",
        f"Paciente Bueno {tag},+34 600 111 222,,bueno.{tag},Clave-Segura-{tag}",
        f"Paciente Malo {tag},+34 600 111 223,BAJA,malo.{tag},Clave-Segura-{tag}",
        f"Paciente Repetido {tag},+34 600 111 224,ACTIVO,dr.{tag},Clave-Segura-{tag}",
    )
    write_csv(
        tmp_path / "horarios.csv",
        "doctor,centro,dia_semana,hora_inicio,hora_fin,vigente_desde,vigente_hasta",
        f"nadie.{tag},Clínica {tag},1,09:00,14:00,,",
        f"dr.{tag},Clínica {tag},8,09:00,14:00,,",
    )
    gestion = Gestion(deployables)

    result = run_client(deployables, tmp_path, "--no-cita")

    assert result.returncode == 1
    report = result.stderr
    assert "usuarios.csv, line 4: rol" in report
    assert "usuarios.csv, line 5: username" in report
    assert "centros.csv" in report and "direccion" in report
    assert "doctores.csv, line 3: username is empty" in report
    assert "pacientes.csv, line 3: estado" in report
    assert "pacientes.csv, line 4: username" in report
    assert f"horarios.csv, line 2: no doctor has the username 'nadie.{tag}'" in report
    assert "horarios.csv, line 3: dia_semana must be a weekday" in report
    assert gestion.count("/admin/usuario", search=f"sec.{tag}") == 1
    assert gestion.count("/admin/usuario", search=f"jefe.{tag}") == 0
    assert gestion.count("/admin/doctores", search=f"Ana {tag}") == 1
    assert gestion.count("/admin/doctores", search=f"Corto {tag}") == 0
    assert gestion.count("/admin/pacientes", search=f"Bueno {tag}") == 1
    assert gestion.count("/admin/pacientes", search=tag) == 1
    assert gestion.count("/admin/centros", search=tag) == 0


class GestionStandIn(BaseHTTPRequestHandler):
    """A server in gestion's place that misbehaves on purpose; subclasses say how."""

    protocol_version = "HTTP/1.1"

    def answer(self, content_type: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def standing_in_for_gestion(handler: type[GestionStandIn]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class HtmlEverywhere(GestionStandIn):
    """Answers every request with a proxy's HTML page."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.answer("text/html", b"<html><body>Bad gateway</body></html>")


def test_an_answer_that_is_not_json_stops_the_client_with_one_line_not_a_traceback():
    with standing_in_for_gestion(HtmlEverywhere) as url:
        result = run_client_at(url, url, FIXTURES)
    assert result.returncode == 2
    assert result.stderr.strip() == "carga_inicial: POST /auth/login answered HTTP 200 without JSON"


class LoginThenSilence(GestionStandIn):
    """Lets the admin log in, then drops every connection without an answer."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/auth/login":
            self.close_connection = True
            return
        self.answer("application/json", json.dumps({"access": "a", "refresh": "r"}).encode())


def test_the_client_gives_up_when_gestion_stops_answering(tmp_path):
    rows = [f"Centro {n},Calle {n}" for n in range(50)]
    write_csv(tmp_path / "usuarios.csv", "username,password,rol", "admin,clave-segura-2026,admin")
    write_csv(tmp_path / "centros.csv", "nombre,direccion", *rows)
    with standing_in_for_gestion(LoginThenSilence) as url:
        result = run_client_at(url, url, tmp_path)
    assert result.returncode == 2
    assert "carga_inicial: gestion stopped answering at centros.csv, line 6" in result.stderr
    assert "centros.csv, line 5: gestion did not answer" in result.stderr
    assert "centros.csv, line 7" not in result.stderr  # the fifth unanswered row in a row stops the load


def test_the_client_killed_mid_load_and_run_again_creates_nothing_twice(fresh_stack, tmp_path):
    deployables = fresh_stack
    fixtures = fixtures_logging_in_as(deployables, tmp_path)
    _, centros, doctores, pacientes, horarios = (read_csv(fixtures / name) for name in FILES)
    gestion = Gestion(deployables)
    before = gestion.counts()
    command = [sys.executable, str(CLIENT), "--gestion-url", deployables.gestion_url]
    command += ["--citas-url", deployables.citas_url, "--fixtures", str(fixtures), "--workers", "4"]
    client = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while gestion.count("/admin/doctores") == before["doctores"] and time.monotonic() < deadline:
        time.sleep(0.01)  # killed while the doctors load, some requests still in flight
    client.kill()
    client.wait()
    assert gestion.count("/admin/horarios") < len(horarios), "the client was killed too late to tell"

    rerun = run_client(deployables, fixtures, "--workers", "4")

    assert rerun.returncode == 0, rerun.stderr
    after = gestion.counts()
    assert {key: after[key] - before[key] for key in ("centros", "doctores", "pacientes", "horarios")} == {
        "centros": len(centros),
        "doctores": len(doctores),
        "pacientes": len(pacientes),
        "horarios": len(horarios),
    }
