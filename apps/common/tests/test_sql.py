from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.common import sql
from apps.common.models import ClaveIdempotencia

pytestmark = pytest.mark.django_db

CLAVES = "SELECT clave, id_user FROM common_claveidempotencia WHERE id_user = %s ORDER BY clave"


def test_reads_together_give_what_each_gives_alone():
    for clave in ("b", "a"):
        ClaveIdempotencia.objects.create(id_user=7, clave=clave, huella="x")
    reads = [
        (CLAVES, [7]),
        (CLAVES, [8]),  # none
        ("SELECT %s, %s", [date(2031, 3, 3), datetime(2031, 3, 3, 10, tzinfo=UTC)]),
    ]
    together = sql.rows_together(*reads)
    assert together == [sql.rows(statement, params) for statement, params in reads]
    assert together[0] == [("a", 7), ("b", 7)] and together[1] == []


def test_postgresql_is_asked_once_unless_it_binds_on_the_server(monkeypatch):
    reads = [(CLAVES, [7]), (CLAVES, [8])]
    with CaptureQueriesContext(connection) as asked:
        sql.rows_together(*reads)
    assert len(asked) == (1 if connection.vendor == "postgresql" else 2)
    # Server-side binding prepares each statement alone: one at a time then.
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "server_side_binding", True)
    with CaptureQueriesContext(connection) as asked:
        assert sql.rows_together(*reads) == [[], []]
    assert len(asked) == 2
