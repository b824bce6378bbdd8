"""The README's first command: ./scripts/dev serves both deployables and runs citas' worker on SQLite, and
stops on Ctrl-C."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.integration.harness import free_port
from tests.integration.registry import ROUND_THE_CLOCK, futuro

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def wait_until_healthy(url: str, process: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"scripts/dev exited with {process.returncode}")
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or too busy starting to answer in time
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not become healthy")


def book_for_a_patient_with_an_address(gestion: str, citas: str, bearer: dict, email: str) -> None:
    def post(url, body):
        response = requests.post(url, json=body, headers=bearer, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()

    centro = post(f"{gestion}/admin/centros", {"nombre": "Clínica Centro", "direccion": "Calle 1"})
    doctor = post(
        f"{gestion}/admin/doctores",
        {
            "nombre": "Dra. Ruiz",
            "especialidad": "General",
            "username": "dra.ruiz",
            "password": "clave-de-la-doctora",
            "horarios": [{"id_centro": centro["id_centro"], **rango} for rango in ROUND_THE_CLOCK],
        },
    )
    paciente = post(
        f"{gestion}/admin/pacientes", {"nombre": "Ana", "telefono": "+34 600 000 000", "email": email}
    )
    cita = {"fecha": futuro(), "id_doctor": doctor["id_doctor"], "id_centro": centro["id_centro"]}
    post(f"{citas}/citas", {**cita, "id_paciente": paciente["id_paciente"]})


def test_scripts_dev_serves_both_deployables_and_stops_on_ctrl_c(tmp_path):
    gestion_port, citas_port = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ODONTOCARE_ENV", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        ODONTOCARE_DATA_DIR=str(tmp_path / "data"),
        GESTION_PORT=str(gestion_port),
        CITAS_PORT=str(citas_port),
        ODONTOCARE_ADMIN_USERNAME="directora",
        ODONTOCARE_ADMIN_PASSWORD="clave-de-la-directora",
    )
    gestion, citas = f"http://127.0.0.1:{gestion_port}", f"http://127.0.0.1:{citas_port}"
    with (tmp_path / "dev.log").open("w") as log:
        # Its own session, so that SIGINT reaches the script and both gunicorns, as Ctrl-C would.
        dev = subprocess.Popen(
            ["./scripts/dev"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_until_healthy(gestion, dev)
            wait_until_healthy(citas, dev)
            login = requests.post(
                f"{gestion}/auth/login",
                json={"username": "directora", "password": "clave-de-la-directora"},
                timeout=10,
            )
            assert login.status_code == 200, login.text
            bearer = {"Authorization": f"Bearer {login.json()['access']}"}
            me = requests.get(f"{gestion}/auth/me", headers=bearer, timeout=10)
            assert (me.status_code, me.json()["rol"]) == (200, "admin")
            listing = requests.get(f"{citas}/citas", headers=bearer, timeout=10)
            assert (listing.status_code, listing.json()["count"]) == (200, 0)
            # The worker runs too: a booking's message to the patient is printed (the console backend).
            book_for_a_patient_with_an_address(gestion, citas, bearer, "ana@example.org")
            deadline = time.monotonic() + 90
            while "To: ana@example.org" not in (tmp_path / "dev.log").read_text():
                assert time.monotonic() < deadline, "the worker printed no message"
                time.sleep(0.5)
        finally:
            os.killpg(dev.pid, signal.SIGINT)
            dev.wait(timeout=30)  # raises if Ctrl-C did not stop it
    output = (tmp_path / "dev.log").read_text()
    assert f"http://127.0.0.1:{gestion_port}" in output and "directora" in output
    for url in (gestion, citas):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{url}/health", timeout=2)
