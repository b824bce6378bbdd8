"""Raw SQL for the few reads on every booking, where compiling an ORM query costs more than running it.

Rows come back typed on both engines (Django's SQLite connection converts columns by their declared type:
dates, datetimes, booleans), but SQLite's instants are naive UTC: ``instante`` makes them aware.
"""

from datetime import UTC, date, datetime

from django.db import connection


def rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [_parametro(value) for value in params])
        return cursor.fetchall()


def rows_together(*statements: tuple[str, list]) -> list[list[tuple]]:
    """The rows of several reads, in one round trip to PostgreSQL: one query of several statements, which
    its client-side parameter binding (Django's default) allows. SQLite runs in-process: one at a time."""
    if connection.vendor != "postgresql" or connection.settings_dict["OPTIONS"].get("server_side_binding"):
        return [rows(sql, params) for sql, params in statements]
    with connection.cursor() as cursor:
        cursor.execute(
            ";".join(sql for sql, _ in statements),
            [_parametro(value) for _, params in statements for value in params],
        )
        found = [cursor.fetchall()]
        while cursor.nextset():
            found.append(cursor.fetchall())
        return found


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
