"""Raw SQL for the few reads on every booking, where compiling an ORM query costs more than running it.

The values come back as the ORM would give them, on SQLite (naive UTC instants, 0 and 1) and PostgreSQL.
"""

from datetime import UTC, date, datetime

from django.db import connection


def rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [_parametro(value) for value in params])
        return cursor.fetchall()


def _parametro(value):
    """A date or an instant as the ORM stores it (on SQLite, text in UTC)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def fecha(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def instante(value) -> datetime | None:
    """An aware datetime: SQLite keeps UTC, naive."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
