#!/usr/bin/env python
"""Benchmark GET /citas at a million citas: each role's first page, and what its SQL costs.

    .venv/bin/python scripts/bench_listas.py [--backend sqlite|postgres] [--citas 1000000] [--rounds 40]
        [--blocks 4] [--no-before]

Fills a fresh citas database directly (scripts/bench/carga_citas.py: COPY on PostgreSQL, executemany on
SQLite) and analyzes it, then asks citas' own stack in-process (Django's test client, the middleware, DRF,
the view, a token made as the tests make them) for five lists: an admin's first page of all citas, a
secretaria's day, a doctor's own first page, one doctor's day (an admin's ?id_doctor=&fecha=) and a patient's
own page. For each it prints the median wall time per request and the median SQL time in it (the time spent
in the database driver's execute, summed over the request's statements), the statements per request at
page_size 10 and 100, the count answered, and the plans of the page's and the count's queries. Then the two
ratios the lists aim at: the unfiltered first page against the doctor-and-day page (at most 2x), and the
doctor-and-day page minus its SQL (at most 3 ms). Unless --no-before, the same lists as they were before:
migrations back to 0006 (the old indexes), DRF's paginator (a full COUNT(*)) and a filter form class built
per request; the two states take turns in blocks of rounds, and a last table shows before -> after.

PostgreSQL: TEST_POSTGRES_URL names a server whose role may create databases (scripts/postgres starts one);
the bench creates its own database and drops it at the end. SQLite: a file in a temporary folder.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--citas", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=40, help="requests per list and state, in all")
    parser.add_argument("--blocks", type=int, default=4, help="blocks the rounds of each state come in")
    parser.add_argument("--no-before", dest="before", action="store_false", help="skip the 'before' figures")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-listas-"))
    if args.backend == "postgres":
        server = os.environ.get("TEST_POSTGRES_URL")
        if not server:
            sys.exit("--backend postgres needs TEST_POSTGRES_URL (a server whose role may create databases)")
        database_url = f"{server.rsplit('/', 1)[0]}/odontocare_bench_listas"
    else:
        database_url = f"sqlite:///{workdir / 'citas.sqlite3'}"
    os.environ.update(
        ODONTOCARE_ENV="test",
        ODONTOCARE_DATA_DIR=str(workdir),
        DJANGO_SETTINGS_MODULE="odontocare.settings.citas",
        DATABASE_URL=database_url,
        # Revocations are asked for every few seconds, not per request: kept out of the per-request figures.
        REVOCACIONES_REFRESCO_SEGUNDOS="3600",
    )
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(workdir / "test_citas.sqlite3")  # a file, not memory
    try:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(args)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@dataclass(frozen=True)
class Scenario:
    name: str
    rol: str
    url: str
    claims: dict


def run(args: argparse.Namespace) -> None:
    from contextlib import nullcontext

    from django.conf import settings
    from django.db import connection

    from apps.appointments.gateway import use_gestion
    from apps.appointments.gateway.fake import FakeGestion
    from scripts.bench.carga_citas import cargar
    from scripts.bench.sql import engine_name

    started = time.perf_counter()
    cargar(connection, args.citas, zona=ZoneInfo(settings.TIME_ZONE))
    loaded = time.perf_counter() - started
    analyze = "VACUUM ANALYZE appointments_cita" if connection.vendor == "postgresql" else "ANALYZE"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(analyze)
        cursor.execute("SELECT COUNT(*) FROM appointments_cita")
        (stored,) = cursor.fetchone()
    analyzed = time.perf_counter() - started
    print(
        f"{engine_name(connection)}: {stored:,} citas loaded in {loaded:.1f} s, {analyze.split(' a')[0]} "
        f"{analyzed:.1f} s; {args.rounds} rounds in {args.blocks} blocks per state, page_size 20 unless said"
    )
    scenarios = pick_scenarios()
    states = {"after": nullcontext}
    if args.before:
        states["before"] = before_state
    figures = {state: {s.name: Figures() for s in scenarios} for state in states}
    with use_gestion(FakeGestion()):
        # Blocks of rounds in turn, so that a noisy minute on the machine weighs on both states alike.
        for block in range(args.blocks):
            for state, entered in states.items():
                with entered():
                    time_rounds(scenarios, figures[state], args.rounds // args.blocks)
                    if block == 0:
                        describe(scenarios, figures[state])
    report("after: capped count, the indexes of 0007", figures["after"])
    if not args.before:
        return
    report(
        "before: DRF's paginator (a full COUNT(*)), the indexes of 0006, a filter form class per request",
        figures["before"],
    )
    print("\nbefore -> after, median per request (SQL in it)")
    for name, after in figures["after"].items():
        print(f"  {name}: {figures['before'][name].brief()} -> {after.brief()} ms")


def pick_scenarios() -> list[Scenario]:
    """A busy day a year ago, one of its citas' doctor and that cita's patient."""
    from django.utils import timezone

    from apps.appointments.models import Cita

    hace_un_ano = timezone.now() - timedelta(days=365)
    cita = Cita.objects.filter(fecha__gte=hace_un_ano).order_by("fecha", "id_cita")[0]
    dia = timezone.localdate(cita.fecha)
    doctor, paciente = cita.id_doctor, cita.id_paciente
    return [
        Scenario("admin, all citas, first page", "admin", "/citas", {}),
        Scenario("secretaria, a day", "secretaria", f"/citas?fecha={dia}", {}),
        Scenario("doctor, own citas, first page", "medico", "/citas", {"id_doctor": doctor}),
        Scenario("doctor and day (admin)", "admin", f"/citas?id_doctor={doctor}&fecha={dia}", {}),
        Scenario("patient, own citas", "paciente", "/citas", {"id_paciente": paciente}),
    ]


def client_for(scenario: Scenario):
    import jwt
    from django.conf import settings
    from rest_framework.test import APIClient

    now = int(time.time())
    claims = {
        "token_type": "access",
        "exp": now + 3600,
        "iat": now,
        "jti": f"bench-{scenario.rol}",
        "iss": settings.JWT_ISSUER,
        "user_id": 100,
        "username": f"{scenario.rol}-user",
        "rol": scenario.rol,
        **scenario.claims,
    }
    token = jwt.encode(claims, Path(settings.JWT_PRIVATE_KEY_PATH).read_text(), algorithm="RS256")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@dataclass
class Figures:
    walls: list[float] = field(default_factory=list)
    sqls: list[float] = field(default_factory=list)
    statements: dict[int, int] = field(default_factory=dict)
    count: str = ""
    plans: dict[str, str] = field(default_factory=dict)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def sql(self) -> float:
        return statistics.median(self.sqls)

    def brief(self) -> str:
        return f"{self.wall * 1000:.2f} ({self.sql * 1000:.2f})"


def time_rounds(scenarios: list[Scenario], figures: dict[str, Figures], rounds: int) -> None:
    from django.db import connection

    from scripts.bench.sql import SqlTimer

    clients = {s.name: client_for(s) for s in scenarios}
    for scenario in scenarios:
        for _ in range(3):
            clients[scenario.name].get(scenario.url)  # warm up
    for _ in range(rounds):  # interleaved, so that noise on the machine spreads over every scenario
        for scenario in scenarios:
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = clients[scenario.name].get(scenario.url)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.content
            figures[scenario.name].walls.append(elapsed)
            figures[scenario.name].sqls.append(timer.seconds)


def describe(scenarios: list[Scenario], figures: dict[str, Figures]) -> None:
    """What each list answers and asks: its count, its statements at two page sizes, its plans."""
    from scripts.bench.sql import plans, statements

    for scenario in scenarios:
        client, f = client_for(scenario), figures[scenario.name]
        body = client.get(scenario.url).json()
        f.count = f"{body['count']:,}" + ("" if body.get("count_exacto", True) else " (estimate)")
        separator = "&" if "?" in scenario.url else "?"
        f.statements = {
            size: statements(client, f"{scenario.url}{separator}page_size={size}") for size in (10, 100)
        }
        f.plans = plans(client, scenario.url)


def report(title: str, figures: dict[str, Figures]) -> None:
    print(f"\n{title}")
    width = max(len(name) for name in figures)
    print(f"  {'list':<{width}}  {'median':>9}  {'SQL':>8}  statements at 10 / 100  count")
    for name, f in figures.items():
        print(
            f"  {name:<{width}}  {f.wall * 1000:6.2f} ms  {f.sql * 1000:5.2f} ms  "
            f"{f.statements[10]:>13} / {f.statements[100]:<3}      {f.count}"
        )
    print("  plans (page; count):")
    for name, f in figures.items():
        print(f"    {name}: {f.plans['page']}; {f.plans['count']}")
    unfiltered, doctor_day = figures["admin, all citas, first page"], figures["doctor and day (admin)"]
    print(
        f"  unfiltered first page / doctor-and-day page: {unfiltered.wall / doctor_day.wall:.2f}x "
        "(target at most 2x)"
    )
    print(
        f"  doctor-and-day page minus its SQL: {(doctor_day.wall - doctor_day.sql) * 1000:.2f} ms "
        "(target at most 3 ms)"
    )


class before_state:
    """citas as it was before the capped count: the indexes of 0006, DRF's paginator with a full count, and
    django-filter's new form class for every request."""

    def __enter__(self):
        import django_filters
        from django.core.management import call_command
        from django.core.paginator import Paginator
        from rest_framework import pagination

        from apps.appointments.filters import CitaFilter
        from apps.appointments.views import CitaViewSet
        from apps.common.pagination import PageNumberPagination

        class ExactCount(PageNumberPagination):
            django_paginator_class = Paginator
            get_page_number = pagination.PageNumberPagination.get_page_number
            get_paginated_response = pagination.PageNumberPagination.get_paginated_response

        call_command("migrate", "appointments", "0006", verbosity=0)
        self.pagination_class = CitaViewSet.pagination_class
        CitaViewSet.pagination_class = ExactCount
        CitaFilter.get_form_class = django_filters.FilterSet.get_form_class

    def __exit__(self, *exc):
        from django.core.management import call_command

        from apps.appointments.filters import CitaFilter
        from apps.appointments.views import CitaViewSet

        CitaViewSet.pagination_class = self.pagination_class
        del CitaFilter.get_form_class
        call_command("migrate", "appointments", verbosity=0)


if __name__ == "__main__":
    main()
