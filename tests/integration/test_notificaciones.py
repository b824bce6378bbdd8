"""Messages to patients, end to end: citas and gestion as gunicorn processes, the worker as real
``manage.py run_huey`` processes, and a real SMTP server on loopback (aiosmtpd) that goes down and comes
back, holds a message mid-send, or takes two workers' sends at once."""

import asyncio
import email
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller

from tests.integration.harness import ROOT, free_port, stop_process
from tests.integration.registry import ROUND_THE_CLOCK, futuro


class Buzon:
    """What the SMTP server received: each message's Message-ID and recipients. ``retener`` holds the
    answer to the first message's DATA that long (the client waits mid-send), and sets ``reteniendo``."""

    def __init__(self, retener: float = 0):
        self.recibidos: list[tuple[str, tuple[str, ...]]] = []
        self.retener = retener
        self.reteniendo = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        mensaje = email.message_from_bytes(envelope.content)
        with self._lock:
            self.recibidos.append((mensaje["Message-ID"], tuple(envelope.rcpt_tos)))
            primero = len(self.recibidos) == 1
        if primero and self.retener:
            self.reteniendo.set()
            await asyncio.sleep(self.retener)
        return "250 OK"

    def para(self, direcciones: set[str]) -> Counter:
        with self._lock:
            return Counter(mid for mid, rcpt in self.recibidos if set(rcpt) & direcciones)


class Smtp:
    def __init__(self, buzon: Buzon, port: int):
        self.controller = Controller(buzon, hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class Worker:
    """``manage.py run_huey`` with citas' settings and the SMTP server at ``smtp_port``."""

    def __init__(self, deployables, smtp_port: int, log: Path, **env: str):
        process_env = {
            **deployables.citas_env,
            "DJANGO_SETTINGS_MODULE": "odontocare.settings.citas",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "NOTIFICACIONES_REINTENTO_SEGUNDOS": "0.5",
            "NOTIFICACIONES_REINTENTO_MAXIMO_SEGUNDOS": "2",
            "NOTIFICACIONES_INTENTOS": "100",
            **env,
        }
        with log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "run_huey"],
                cwd=ROOT,
                env=process_env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture
def workers(deployables):
    started: list[Worker] = []

    def start(smtp_port: int, **env: str) -> Worker:
        log = deployables.workdir / f"worker-{len(started)}.log"
        started.append(Worker(deployables, smtp_port, log, **env))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def reservar(deployables, admin_headers):
    """``reservar(n)``: n citas with one doctor, each for a new patient with an email address (no login),
    booked over the API; their ids and the addresses."""

    def post(url: str, body) -> dict | list:
        response = requests.post(url, json=body, headers=admin_headers, timeout=60)
        assert response.status_code == 201, response.text
        return response.json()

    def reservar(n: int) -> tuple[list[int], set[str]]:
        tag = uuid.uuid4().hex[:8]
        gestion = deployables.gestion_url
        centro = post(f"{gestion}/admin/centros", {"nombre": f"Clínica {tag}", "direccion": "Calle 1"})
        doctor = post(
            f"{gestion}/admin/doctores",
            {
                "nombre": f"Dra. {tag}",
                "especialidad": "General",
                "username": f"dr.{tag}",
                "password": "clave-de-prueba-2026",
                "horarios": [{"id_centro": centro["id_centro"], **rango} for rango in ROUND_THE_CLOCK],
            },
        )
        direcciones = [f"p{i}.{tag}@example.org" for i in range(n)]
        pacientes = post(
            f"{gestion}/admin/pacientes",
            [
                {"nombre": f"P{i} {tag}", "telefono": "+34 600 000 000", "email": d}
                for i, d in enumerate(direcciones)
            ],
        )
        citas = [
            post(
                f"{deployables.citas_url}/citas",
                {
                    "fecha": futuro(days=3, hour=8 + i // 2, minute=30 * (i % 2)),
                    "id_doctor": doctor["id_doctor"],
                    "id_centro": centro["id_centro"],
                    "id_paciente": paciente["id_paciente"],
                },
            )["id_cita"]
            for i, paciente in enumerate(pacientes)
        ]
        return citas, set(direcciones)

    return reservar


def notificaciones(deployables, admin_headers, id_cita: int) -> list[dict]:
    url = f"{deployables.citas_url}/citas/{id_cita}/notificaciones"
    response = requests.get(url, headers=admin_headers, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["results"]


def esperar(condicion, timeout: float = 60, intervalo: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condicion():
            return True
        time.sleep(intervalo)
    return False


def test_with_the_mail_server_down_twenty_bookings_are_delivered_once_it_returns(
    deployables, admin_headers, workers, reservar
):
    port = free_port()  # nothing listens there yet: the mail server is down
    buzon = Buzon()
    workers(port)
    citas, direcciones = reservar(20)

    def intentadas():
        return all(notificaciones(deployables, admin_headers, c)[0]["intentos"] >= 1 for c in citas)

    assert esperar(intentadas), "the worker did not try them all"
    estados = [notificaciones(deployables, admin_headers, c)[0] for c in citas]
    assert {e["estado"] for e in estados} <= {"PENDIENTE", "ENVIANDO"}
    assert any("Connection" in e["ultimo_error"] or "refused" in e["ultimo_error"] for e in estados)
    with Smtp(buzon, port):
        assert esperar(lambda: len(buzon.para(direcciones)) == 20), buzon.para(direcciones)
        time.sleep(3)  # any late duplicate would show now
    recibidos = buzon.para(direcciones)
    assert len(recibidos) == 20 and set(recibidos.values()) == {1}
    enviadas = [notificaciones(deployables, admin_headers, c)[0] for c in citas]
    assert {(e["tipo"], e["estado"]) for e in enviadas} == {("RESERVA", "ENVIADA")}
    assert {e["destinatario"] for e in enviadas} == direcciones


def barrer(deployables) -> None:
    """One pass of the worker's sweep, from outside the workers: every message due is queued again."""
    env = {**deployables.citas_env, "DJANGO_SETTINGS_MODULE": "odontocare.settings.citas"}
    code = "from apps.notifications.services import notificaciones_sweep; notificaciones_sweep()"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=60
    )


def test_two_workers_handed_the_same_messages_again_and_again_send_each_once(
    deployables, admin_headers, workers, reservar
):
    port = free_port()
    buzon = Buzon()
    workers(port)
    workers(port)
    citas, direcciones = reservar(20)
    assert esperar(
        lambda: all(notificaciones(deployables, admin_headers, c)[0]["intentos"] >= 1 for c in citas)
    )
    for _ in range(3):  # each sweep queues every due message once more, next to the workers' own retries
        barrer(deployables)
    with Smtp(buzon, port):
        assert esperar(lambda: len(buzon.para(direcciones)) == 20), buzon.para(direcciones)
        time.sleep(3)
    assert set(buzon.para(direcciones).values()) == {1}
    assert {notificaciones(deployables, admin_headers, c)[0]["estado"] for c in citas} == {"ENVIADA"}


def test_a_worker_killed_mid_send_and_started_again_sends_nothing_twice(
    deployables, admin_headers, workers, reservar
):
    port = free_port()
    buzon = Buzon(retener=4)
    with Smtp(buzon, port):
        worker = workers(port, NOTIFICACIONES_HILOS="1")
        citas, direcciones = reservar(5)
        assert buzon.reteniendo.wait(60), "no send reached the server"
        worker.kill()  # while the server holds the first message's answer
        workers(port)
        assert esperar(lambda: len(buzon.para(direcciones)) == 5), buzon.para(direcciones)
        time.sleep(5)  # past the held answer: a resend of it would show now
    recibidos = buzon.para(direcciones)
    assert len(recibidos) == 5 and set(recibidos.values()) == {1}
    estados = Counter(notificaciones(deployables, admin_headers, c)[0]["estado"] for c in citas)
    # The interrupted one stays with its dead worker (then a dead letter for staff), never sent again.
    assert estados == Counter({"ENVIADA": 4, "ENVIANDO": 1})


def worker_health(deployables, latido: Path) -> subprocess.CompletedProcess:
    env = {
        **deployables.citas_env,
        "DJANGO_SETTINGS_MODULE": "odontocare.settings.citas",
        "NOTIFICACIONES_LATIDO": str(latido),
    }
    command = [sys.executable, "manage.py", "worker_health"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_the_workers_healthcheck_follows_its_heartbeat(deployables, workers, tmp_path):
    latido = tmp_path / "latido"
    assert worker_health(deployables, latido).returncode != 0  # no worker yet
    workers(free_port(), NOTIFICACIONES_LATIDO=str(latido))
    assert esperar(lambda: worker_health(deployables, latido).returncode == 0, timeout=60)
    hace_rato = time.time() - 600
    os.utime(latido, (hace_rato, hace_rato))  # a worker that stopped beating
    assert worker_health(deployables, latido).returncode != 0
