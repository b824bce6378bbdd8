"""What the benchmarks ask of the database: statements and their time, plans, the engine."""

import json
import sqlite3
import time


class SqlTimer:
    """A ``connection.execute_wrapper``: the statements run and the time spent in the driver's execute."""

    def __init__(self):
        self.statements, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.statements += 1


def statements(client, url: str) -> int:
    """The SQL statements of one request."""
    from django.db import connection

    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        assert client.get(url).status_code == 200
    return timer.statements


def plans(client, url: str) -> dict[str, str]:
    """The plans of a request's page query (its last statement) and of its count (the one before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    return {"page": explain(selects[-1]), "count": explain(selects[-2])}


def engine_name(connection) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


def explain(sql: str) -> str:
    """A query's plan in one line: PostgreSQL's nodes (with their index), SQLite's steps."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return " > ".join(nodes(plan[0]["Plan"]))
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "; ".join(row[3] for row in cursor.fetchall())


def nodes(node: dict) -> list[str]:
    name = node["Node Type"] + (f" {node['Index Name']}" if "Index Name" in node else "")
    children = [nodes(child) for child in node.get("Plans", [])]
    if len(children) == 1:
        return [name, *children[0]]
    return [name + "".join(f" ({' > '.join(child)})" for child in children)]
