import select

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.common import sql
from apps.common.models import ClaveIdempotencia

pytestmark = pytest.mark.django_db

CLAVES = "SELECT clave, id_user FROM common_claveidempotencia WHERE id_user = %s ORDER BY clave"
PREPARED = "SELECT count(*) FROM pg_prepared_statements WHERE statement = %s"


def test_rows_come_typed_and_in_order():
    for clave in ("b", "a"):
        ClaveIdempotencia.objects.create(id_user=7, clave=clave, huella="x")
    assert sql.rows(CLAVES, [7]) == [("a", 7), ("b", 7)]
    assert sql.rows(CLAVES, [8]) == []
    [(creada,)] = sql.rows("SELECT creada FROM common_claveidempotencia WHERE clave = %s", ["a"])
    assert sql.instante(creada) == ClaveIdempotencia.objects.get(clave="a").creada


def test_each_read_is_one_logged_statement():
    with CaptureQueriesContext(connection) as asked:
        sql.rows(CLAVES, [7])
    [query] = asked
    assert "FROM common_claveidempotencia WHERE id_user = " in query["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no prepared statements")
def test_postgresql_prepares_each_statement_once_per_connection():
    def prepared():
        with connection.cursor() as cursor:
            cursor.execute(PREPARED, [CLAVES.replace("%s", "$1")])
            return cursor.fetchone()[0]

    for id_user in (7, 8, 9):
        sql.rows(CLAVES, [id_user])
    assert prepared() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="polls a PostgreSQL socket; a no-op on SQLite")
def test_a_quiet_connection_skips_the_health_check_and_one_the_server_spoke_on_keeps_it():
    connection.ensure_connection()
    connection.health_check_done = False
    sql.trust_quiet_connection()
    assert connection.health_check_done

    connection.health_check_done = False
    pgconn = connection.connection.pgconn
    pgconn.send_query(b"SELECT 1")  # an answer not read yet, as a server's farewell is to the client
    assert select.select([pgconn.socket], [], [], 5)[0]
    try:
        sql.trust_quiet_connection()
        assert not connection.health_check_done
    finally:
        while pgconn.get_result() is not None:
            pass
