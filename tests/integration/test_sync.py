"""A client that keeps a copy of the citas in step by polling ?actualizada_desde=, while others write."""

import threading
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.integration.registry import PASSWORD, ROUND_THE_CLOCK

pytestmark = pytest.mark.integration
WRITERS, BOOKINGS_EACH = 4, 8
MADRID = ZoneInfo("Europe/Madrid")


def test_a_poller_following_the_last_change_it_saw_misses_nothing(deployables, admin_headers):
    gestion, citas = deployables.gestion_url, deployables.citas_url
    tag = uuid.uuid4().hex[:8]

    def post(path, body):
        response = requests.post(f"{gestion}{path}", json=body, headers=admin_headers, timeout=60)
        assert response.status_code == 201, response.text
        return response.json()

    centro = post("/admin/centros", {"nombre": f"Clínica {tag}", "direccion": "Calle 1"})["id_centro"]
    doctores = [
        d["id_doctor"]
        for d in post(
            "/admin/doctores",
            [
                {
                    "nombre": f"Dr. {tag} {n}",
                    "especialidad": "Ortodoncia",
                    "username": f"dr.{tag}.{n}",
                    "password": PASSWORD,
                    "horarios": [{"id_centro": centro, **rango} for rango in ROUND_THE_CLOCK],
                }
                for n in range(WRITERS)
            ],
        )
    ]
    pacientes = [
        p["id_paciente"]
        for p in post(
            "/admin/pacientes",
            [{"nombre": f"P {tag} {n}", "telefono": "+34 600 000 000"} for n in range(WRITERS)],
        )
    ]
    start = datetime.now(MADRID).isoformat()
    done = threading.Event()
    seen: dict[int, str] = {}
    errors: list[str] = []

    def write(n: int) -> None:
        day = date.today() + timedelta(days=20 + n)
        for i in range(BOOKINGS_EACH):
            fecha = datetime.combine(day, clock(8 + i), tzinfo=MADRID).isoformat()
            body = {
                "fecha": fecha,
                "id_doctor": doctores[n],
                "id_centro": centro,
                "id_paciente": pacientes[n],
            }
            booked = requests.post(f"{citas}/citas", json=body, headers=admin_headers, timeout=60)
            if booked.status_code != 201:
                errors.append(booked.text)
                continue
            if i % 2:
                cita = booked.json()["id_cita"]
                requests.put(
                    f"{citas}/citas/{cita}", json={"estado": "CANCELADA"}, headers=admin_headers, timeout=60
                )

    def poll_once(desde: str) -> str:
        params = {"id_centro": centro, "actualizada_desde": desde, "page_size": 200}
        page = requests.get(f"{citas}/citas", params=params, headers=admin_headers, timeout=60).json()[
            "results"
        ]
        for cita in page:
            seen[cita["id_cita"]] = cita["estado"]
        return page[-1]["actualizada"] if page else desde

    def poll() -> None:
        desde = start
        while not done.is_set():
            desde = poll_once(desde)
            time.sleep(0.05)
        # Once the writers are done, the newest changes settle and show: follow them to the end.
        settle = time.monotonic() + 9  # SYNC_MARGEN_SEGUNDOS (5) and some
        while time.monotonic() < settle:
            desde = poll_once(desde)
            time.sleep(0.5)

    poller = threading.Thread(target=poll)
    poller.start()
    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    done.set()
    poller.join()

    assert errors == []
    everything = requests.get(
        f"{citas}/citas", params={"id_centro": centro, "page_size": 200}, headers=admin_headers, timeout=60
    ).json()
    assert everything["count"] == WRITERS * BOOKINGS_EACH
    assert seen == {cita["id_cita"]: cita["estado"] for cita in everything["results"]}
    assert sorted(seen.values()).count("CANCELADA") == WRITERS * BOOKINGS_EACH // 2
