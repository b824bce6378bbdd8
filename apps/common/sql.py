"""Raw SQL for the few reads and writes on every booking, where compiling an ORM query costs more than
running it.

Rows come back typed on both engines (Django's SQLite connection converts columns by their declared type:
dates, datetimes, booleans), but SQLite's instants are naive UTC: ``instante`` makes them aware.

On PostgreSQL each of these statements is prepared, once per connection: planning them anew cost the
database more than running them (measured on the booking path, PostgreSQL's CPU a call: gestion's read 300 µs
unprepared, 75 µs prepared; citas' overlap check 190 µs and 60-80 µs). Django leaves prepared statements off
for connection poolers in transaction mode; behind one, it must keep them per server connection (PgBouncer
1.21 or later, with ``max_prepared_statements``).
"""

import select
from contextlib import contextmanager
from datetime import UTC, date, datetime

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models.sql import InsertQuery


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
def _cursor(using: str = DEFAULT_DB_ALIAS):
    """Django's cursor (health check, query logging, execute wrappers); on PostgreSQL, it prepares."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            preparing = _PreparingCursor(connection.connection)
            preparing.logged = connection.queries_logged
            client_binding, cursor.cursor = cursor.cursor, preparing
            client_binding.close()
        yield cursor


def trust_quiet_connection(using: str = DEFAULT_DB_ALIAS) -> None:
    """Spare the request's first statement Django's health check of a reused PostgreSQL connection (a
    ``SELECT 1``, one more round trip) while the server has said nothing since its last answer. A server that
    ends a session (a restart, an administrator) says so and closes it, which leaves the socket readable:
    then Django checks, and connects anew."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.connection is None or connection.connection.closed:
        return
    readable, _, _ = select.select([connection.connection.pgconn.socket], [], [], 0)
    if not readable:
        connection.health_check_done = True


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


class PreparedInsert(models.Model):
    """``save()`` of a new row with its INSERT written once per model and columns, and prepared on PostgreSQL.

    The rest of ``save()`` stays Django's: signals, each field's ``pre_save`` and ``get_db_prep_save``, the
    values the database returns. Django compiles the statement of every insert anew, most of an insert's CPU
    on the booking path (three rows: the cita, its history, its message); the text is the same each time.
    What it writes otherwise goes Django's way: a value that is an expression, a field with a placeholder of
    its own, returned values that need converting.
    """

    class Meta:
        abstract = True

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        expression = any(hasattr(self.__dict__.get(field.attname), "resolve_expression") for field in fields)
        statement = (
            None
            if raw or expression
            else _insert_statement(type(self), using, tuple(fields), tuple(returning_fields))
        )
        if statement is None:
            return super()._do_insert(manager, using, fields, returning_fields, raw)
        connection = connections[using]
        values = [field.get_db_prep_save(field.pre_save(self, add=True), connection) for field in fields]
        with _cursor(using) as cursor:
            cursor.execute(statement, values)
            return [cursor.fetchone()] if returning_fields else []


_INSERTS: dict[tuple, str | None] = {}


def _insert_statement(model, using: str, fields: tuple, returning_fields: tuple) -> str | None:
    """The statement Django's compiler writes for one row of these columns, or None where it writes more."""
    key = (model, using, fields, returning_fields)
    if key not in _INSERTS:
        _INSERTS[key] = _write_insert(model, connections[using], fields, returning_fields)
    return _INSERTS[key]


def _write_insert(model, connection, fields, returning_fields) -> str | None:
    if not fields or any(hasattr(field, "get_placeholder") for field in fields):
        return None
    table = model._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    statement = f"INSERT INTO {quote(table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 (quoted names)
    if not returning_fields:
        return statement
    if not connection.features.can_return_columns_from_insert:
        return None
    compiler = InsertQuery(model).get_compiler(connection=connection)
    if compiler.get_converters([field.get_col(table) for field in returning_fields]):
        return None
    returning, returning_params = connection.ops.return_insert_columns(list(returning_fields))
    return None if returning_params else f"{statement} {returning}"
