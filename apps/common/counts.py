"""How many rows a list holds, without counting a large table row by row.

A page's ``count`` is exact up to a cap: the count runs over ``LIMIT cap + 1`` rows, so it reads at most that
many. Beyond the cap it is an estimate: on PostgreSQL the planner's row estimate for that very query (what
``EXPLAIN`` says, from the table's statistics), elsewhere nothing better than "more than the cap".
"""

import json
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class Count:
    value: int
    exact: bool


def count_rows(rows, *, cap: int) -> Count:
    """The rows of a queryset (or a list) counted exactly up to ``cap``; beyond it, an estimate, never
    below ``cap + 1``."""
    if not isinstance(rows, QuerySet):
        return Count(len(rows), exact=True)
    rows = rows.order_by()
    capped = rows[: cap + 1].count()
    if capped <= cap:
        return Count(capped, exact=True)
    return Count(max(planner_estimate(rows) or 0, cap + 1), exact=False)


def planner_estimate(rows: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows the query returns; None on an engine that gives none."""
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str | bytes):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
