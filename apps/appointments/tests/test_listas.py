"""GET /citas at any size: a count that stays cheap, pages read in order from an index, and as many SQL
statements for a page of 100 citas as for one of 10."""

import json

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from apps.appointments.filters import CitaFilter
from apps.appointments.models import Cita
from apps.appointments.tests.conftest import CENTRO, DOCTOR, OTRO_DOCTOR, OTRO_PACIENTE
from apps.appointments.tests.factories import CitaFactory
from apps.common import counts
from apps.common.tests.filtersets import assert_filters_of_their_own

pytestmark = pytest.mark.django_db

DIA = "2031-03-03"  # the first local day of CitaFactory's citas: 30 of them, from 09:00
TOTAL, DEL_DOCTOR = 125, 120
# Each role's list as it asks for it, and a day of one doctor's (an admin's filter).
LISTAS = [
    ("admin", ""),
    ("secretaria", f"fecha={DIA}"),
    ("medico", ""),
    ("paciente", ""),
    ("admin", f"id_doctor={DOCTOR}&fecha={DIA}"),
    ("admin", f"id_centro={CENTRO}&fecha={DIA}"),
]


@pytest.fixture
def citas():
    """120 citas of DOCTOR with PACIENTE, one after another, then 5 of another doctor and patient."""
    CitaFactory.reset_sequence(0)
    CitaFactory.create_batch(DEL_DOCTOR)
    CitaFactory.create_batch(TOTAL - DEL_DOCTOR, id_doctor=OTRO_DOCTOR, id_paciente=OTRO_PACIENTE)


@pytest.fixture
def low_estimate(monkeypatch):
    """An estimate far too low, as a planner's may be after many inserts."""
    monkeypatch.setattr(counts, "planner_estimate", lambda rows: 1)


def query(base: str, **params) -> str:
    extra = "&".join(f"{k}={v}" for k, v in params.items())
    return "/citas?" + "&".join(part for part in (base, extra) if part)


@pytest.mark.parametrize("cap", [10_000, 50], ids=["counted", "estimated"])
@pytest.mark.parametrize(("rol", "filtro"), LISTAS)
def test_a_page_of_100_takes_as_many_statements_as_a_page_of_10(as_role, citas, settings, cap, rol, filtro):
    settings.COUNT_EXACTO_HASTA = cap
    client = as_role(rol)
    statements, sizes = {}, {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(query(filtro, page_size=size))
        assert response.status_code == 200, response.json()
        statements[size], sizes[size] = len(queries), len(response.json()["results"])
    assert sizes[10] == 10 and sizes[100] > 10
    assert statements[10] == statements[100]


def test_below_the_cap_the_count_is_exact(as_role, citas):
    body = as_role("admin").get("/citas?page_size=10").json()
    assert (body["count"], body["count_exacto"]) == (TOTAL, True)
    body = as_role("medico").get("/citas?page_size=10").json()
    assert (body["count"], body["count_exacto"]) == (DEL_DOCTOR, True)


def test_beyond_the_cap_the_count_is_the_planners_estimate_on_postgresql(as_role, citas, settings):
    settings.COUNT_EXACTO_HASTA = 50
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE appointments_cita" if connection.vendor == "postgresql" else "ANALYZE")
    body = as_role("admin").get("/citas?page_size=10").json()
    # SQLite has no estimate to give: more than the cap is all it says.
    assert body["count"] == (TOTAL if connection.vendor == "postgresql" else 51)
    assert body["count_exacto"] is False
    assert body["next"] and body["previous"] is None


def test_a_page_past_a_low_estimate_is_served_and_the_last_has_no_next(
    as_role, citas, settings, low_estimate
):
    settings.COUNT_EXACTO_HASTA = 50
    admin = as_role("admin")
    first = admin.get("/citas?page_size=20").json()
    assert (first["count"], first["count_exacto"]) == (51, False)

    past = admin.get("/citas?page_size=20&page=4").json()  # citas 61 to 80, past the estimate's 51
    assert len(past["results"]) == 20
    assert past["next"].endswith("/citas?page=5&page_size=20")
    assert past["previous"].endswith("/citas?page=3&page_size=20")
    assert (past["count"], past["count_exacto"]) == (81, False)

    last = admin.get("/citas?page_size=20&page=7").json()  # citas 121 to 125
    assert len(last["results"]) == 5 and last["next"] is None
    assert (last["count"], last["count_exacto"]) == (TOTAL, True)
    assert admin.get("/citas?page_size=20&page=8").status_code == 404


def test_following_next_reads_every_cita_once_in_order(as_role, citas, settings, low_estimate):
    settings.COUNT_EXACTO_HASTA = 50
    admin, url, seen = as_role("admin"), "/citas?page_size=20", []
    while url:
        body = admin.get(url).json()
        seen += [cita["id_cita"] for cita in body["results"]]
        url = body["next"]
    assert seen == list(Cita.objects.order_by("fecha", "id_cita").values_list("id_cita", flat=True))


def plan(sql: str) -> list[str]:
    """The steps of a query's plan: PostgreSQL's node types (with their index), SQLite's details."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[3] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (raw,) = cursor.fetchone()
    nodes, pending = [], [(json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]]
    while pending:
        node = pending.pop()
        nodes.append(f"{node['Node Type']} {node.get('Index Name', '')}".strip())
        pending += node.get("Plans", [])
    return nodes


@pytest.mark.parametrize(("rol", "filtro"), LISTAS)
def test_each_roles_page_is_read_in_order_from_an_index(as_role, citas, rol, filtro):
    if connection.vendor == "postgresql":
        # At a test's few rows a scan of the table is cheapest; what matters is that an index gives the order.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
    with CaptureQueriesContext(connection) as queries:
        assert as_role(rol).get(query(filtro)).status_code == 200
    steps = plan(queries.captured_queries[-1]["sql"])  # the page's query comes after its count
    assert any("INDEX" in step.upper() for step in steps), steps
    assert not any("Sort" in step or "TEMP B-TREE" in step for step in steps), steps


def test_each_list_filters_with_filters_of_its_own():
    primero = CitaFilter(data=QueryDict("fecha=2031-03-03"), queryset=Cita.objects.all())
    segundo = CitaFilter(data=QueryDict("fecha=2031-03-04"), queryset=Cita.objects.all())
    assert_filters_of_their_own(primero, segundo)
    # A filter with a method finds it on its own FilterSet.
    assert primero.filters["fecha"].filter.f is primero.filters["fecha"]
    assert CitaFilter.base_filters["fecha"].filter.f is CitaFilter.base_filters["fecha"]
