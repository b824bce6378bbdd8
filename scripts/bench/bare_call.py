"""The least a call to gestion can cost: a bare WSGI app (no Django, no authentication) that answers with a
small JSON object after one trivial SELECT on the database of BARE_CALL_DATABASE_URL. The floor's
``citas-with-call`` view asks it once per booking, over HTTP, as citas asks gestion."""

import json
import os
import sqlite3
import threading

import psycopg

DATABASE_URL = os.environ["BARE_CALL_DATABASE_URL"]
_local = threading.local()


def _connection():
    connection = getattr(_local, "connection", None)
    if connection is None:
        if DATABASE_URL.startswith("sqlite:///"):
            connection = sqlite3.connect(DATABASE_URL.removeprefix("sqlite:///"))
        else:
            connection = psycopg.connect(DATABASE_URL, autocommit=True)
        _local.connection = connection
    return connection


def application(environ, start_response):
    (active,) = _connection().execute("SELECT 1").fetchone()
    body = json.dumps({"paciente": {"activo": bool(active)}, "doctor": {"activo": bool(active)}}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
