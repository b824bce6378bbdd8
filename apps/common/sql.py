"""Raw SQL for the few reads on every booking, where compiling an ORM query costs more than running it.

Rows come back typed on both engines (Django's SQLite connection converts columns by their declared type:
dates, datetimes, booleans), but SQLite's instants are naive UTC: ``instante`` makes them aware.

On PostgreSQL each of these statements is prepared, once per connection: planning them anew cost the
database more than running them (measured on the booking path, PostgreSQL's CPU a call: gestion's read 300 µs
unprepared, 75 µs prepared; citas' overlap check 190 µs and 60-80 µs). Django leaves prepared statements off
for connection poolers in transaction mode; behind one, it must keep them per server connection (PgBouncer
1.21 or later, with ``max_prepared_statements``).
"""

from contextlib import contextmanager
from datetime import UTC, date, datetime

from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor


class _PreparingCursor(ServerBindingCursor):
    """Binds parameters on the server and prepares the statement (psycopg keeps it for the connection)."""

    logged = False  # whether Django logs its queries (DEBUG, tests)

    def execute(self, query, params=None, *, prepare=True, **kwargs):
        super().execute(query, params, prepare=prepare, **kwargs)
        if self.logged and self._query is None:
            # psycopg keeps the query it sent only for a statement it does not prepare; Django's log reads it.
            self._query = self._convert_query(query, params)
        return self


@contextmanager
def _cursor():
    """Django's cursor (health check, query logging, execute wrappers); on PostgreSQL, it prepares."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            preparing = _PreparingCursor(connection.connection)
            preparing.logged = connection.queries_logged
            client_binding, cursor.cursor = cursor.cursor, preparing
            client_binding.close()
        yield cursor


def rows(sql: str, params: list) -> list[tuple]:
    with _cursor() as cursor:
        cursor.execute(sql, [_parametro(value) for value in params])
        return cursor.fetchall()


def _parametro(value):
    """A date or an instant as the ORM stores it (on SQLite, text in UTC)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def instante(value: datetime | None) -> datetime | None:
    """An aware datetime: SQLite gives UTC instants naive."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
