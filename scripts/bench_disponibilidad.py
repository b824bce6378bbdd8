#!/usr/bin/env python
"""Benchmark the free slots of a busy centro, and count what availability and booking ask of gestion.

    .venv/bin/python scripts/bench_disponibilidad.py [--doctores 20] [--citas 10000] [--rounds 30]
    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_disponibilidad.py    # on PostgreSQL

In-process, on citas' own stack (Django, DRF, the view, the selector, the database): a centro with 20 doctors
working Mon-Fri 09:00-14:00 and 16:00-20:00, 10,000 citas in citas' database (a week of them at the centro,
the rest spread over other weeks and doctors), and GET /citas/disponibilidad for one week. gestion is the
in-memory port, counting its calls: what is measured is citas' own cost, plus the number of round trips that
a real gestion would serve. Prints the latency (median and p95 of the rounds), the SQL statements per
request, the gateway calls per request, the same for one booking, and, as the floor, the one SQL query that
reads the week's citas, timed alone: the ratio says what the rest of the request costs on top of it.
Everything lives in a temporary folder (SQLite) or a temporary database (PostgreSQL), removed afterwards.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--doctores", type=int, default=20)
    parser.add_argument("--citas", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-disponibilidad-")
    os.environ.update(
        ODONTOCARE_ENV="test",
        ODONTOCARE_DATA_DIR=workdir,
        DJANGO_SETTINGS_MODULE="odontocare.settings.citas",
        # Revocations are asked for every few seconds, not per request: kept out of the per-request count.
        REVOCACIONES_REFRESCO_SEGUNDOS="3600",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    engine = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(args, engine)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args: argparse.Namespace, engine: str) -> None:
    import jwt
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from apps.appointments.gateway import use_gestion
    from apps.appointments.gateway.fake import FakeGestion
    from apps.appointments.models import Cita

    madrid = ZoneInfo(settings.TIME_ZONE)
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())
    centro, paciente = 1, 1
    fake = FakeGestion()
    fake.add_centro(centro, nombre="Clínica Banco de Pruebas")
    fake.add_paciente(paciente)
    doctores = list(range(1, args.doctores + 1))
    for doctor in doctores:
        fake.add_doctor(doctor, nombre=f"Dra. {doctor}")
        fake.add_horario(doctor, centro, range(1, 6), "09:00", "14:00")
        fake.add_horario(doctor, centro, range(1, 6), "16:00", "20:00")

    # The measured week's mornings at the centro are half full; the other citas follow from two weeks later,
    # one after another for each doctor (no doctor or patient is ever booked twice at once).
    slots = [
        datetime.combine(monday + timedelta(days=day), clock(9), tzinfo=madrid) + timedelta(minutes=60 * n)
        for day in range(5)
        for n in range(5)
    ]
    later = datetime.combine(monday + timedelta(weeks=2), clock(), tzinfo=madrid)
    citas = []
    for index in range(args.citas):
        doctor, turn = doctores[index % len(doctores)], index // len(doctores)
        fecha = slots[turn] if turn < len(slots) else later + timedelta(minutes=30 * (turn - len(slots)))
        citas.append(
            Cita(
                fecha=fecha,
                fin=fecha + timedelta(minutes=30),
                id_doctor=doctor,
                id_centro=centro,
                id_paciente=10 + index,
                id_user_registrado=1,
                estado="PROGRAMADA" if index % 10 else "CANCELADA",
            )
        )
    Cita.objects.bulk_create(citas, batch_size=1000)
    stored = Cita.objects.count()

    private_key = Path(settings.JWT_PRIVATE_KEY_PATH).read_text()
    now = int(time.time())
    claims = {
        "token_type": "access",
        "exp": now + 3600,
        "iat": now,
        "jti": "bench",
        "iss": settings.JWT_ISSUER,
    }
    token = jwt.encode(
        {**claims, "user_id": 1, "username": "admin", "rol": "admin"}, private_key, algorithm="RS256"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    query = f"/citas/disponibilidad?id_centro={centro}&desde={monday}&hasta={monday + timedelta(days=6)}"

    with use_gestion(fake):
        client.get(query)  # warm up
        timings = []
        for _ in range(args.rounds):
            calls = fake.calls
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(query)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content
            round_trips = fake.calls - calls
        slots_listed = sum(len(d["huecos"]) for d in response.json()["doctores"])

        week_start = datetime.combine(monday, clock(), tzinfo=madrid).astimezone(UTC)
        floor = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            list(
                Cita.objects.activas()
                .solapan(week_start, week_start + timedelta(days=7))
                .filter(id_doctor__in=doctores)
                .values_list("id_doctor", "fecha", "fin")
            )
            floor.append(time.perf_counter() - started)

        free = response.json()["doctores"][0]["huecos"][-1]
        calls = fake.calls
        with CaptureQueriesContext(connection) as booking_queries:
            booked = client.post(
                "/citas",
                {"fecha": free, "id_doctor": 1, "id_centro": centro, "id_paciente": paciente},
                format="json",
            )
        assert booked.status_code == 201, booked.content
        booking_round_trips = fake.calls - calls

    median, p95 = statistics.median(timings), sorted(timings)[int(0.95 * (len(timings) - 1))]
    floor_median = statistics.median(floor)
    print(
        f"engine: {engine}; citas stored: {stored}; doctors: {len(doctores)}; window: 7 days; "
        f"rounds: {args.rounds}"
    )
    print(
        f"availability: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"{slots_listed} free slots listed"
    )
    print(f"availability: {len(queries)} SQL statements, {round_trips} gateway round trip(s) per request")
    print(f"floor (the week's citas query alone): median {floor_median * 1000:.2f} ms")
    print(f"ratio availability / floor: {median / floor_median:.1f}x")
    print(f"booking: {len(booking_queries)} SQL statements, {booking_round_trips} gateway round trip(s)")


if __name__ == "__main__":
    main()
