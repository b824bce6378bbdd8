"""Gunicorn settings for both deployables, in development and in the image. Environment overrides:
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT."""

import multiprocessing
import os
import socket

import gunicorn.util

from odontocare.gunicorn_errors import write_json_error

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One worker per core: a deployable shares its machine with the other and with the database. Measured with
# scripts/bench_reservas.py on 2 cores running both deployables and PostgreSQL, bookings per second with
# W workers x T threads each: 2x4 263, 2x2 243, 2x8 221, 3x4 191, 1x4 234 (one worker cannot keep both
# cores busy: 78%); with the socket per worker below, 2x4 and 3x4 were within the noise (181-212 and 197-216
# in one interleaved run). Gunicorn's usual 2 x cores + 1 is for a machine of its own.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
# Each worker listens on a socket of its own (SO_REUSEPORT), and the kernel spreads new connections across
# them. On one shared socket, the worker that wakes first may take a whole burst: in 4 of 12 benchmark runs
# all 16 keep-alive connections went to one worker (in an interleaved comparison, such runs booked 180 and
# 217 a second; 246-267 with a socket per worker). The cost: a worker that stops resets the connections
# still queued at its socket, unless the kernel migrates them (net.ipv4.tcp_migrate_req).
reuse_port = True


def on_starting(server):
    """A second server on an address in use refuses to start, as it would without SO_REUSEPORT (with it, the
    two would share the address, each answering some of its connections)."""
    for address in server.cfg.address:
        if not isinstance(address, tuple):  # a Unix socket or an inherited descriptor
            continue
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            try:
                probe.bind(address)
            except OSError as exc:
                raise SystemExit(f"{address[0]}:{address[1]} is in use ({exc.strerror})") from exc


# Threaded workers keep HTTP keep-alive connections open, so that citas' gateway reuses them.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Several gunicorns share a machine in development and tests; none needs gunicornc's control socket.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "query": "%(q)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)

# What gunicorn answers itself (before Django) is JSON too. Its limits stay the defaults: a request line of
# 4094 bytes, 100 headers of 8190 bytes each.
gunicorn.util.write_error = write_json_error
limit_request_line = 4094
limit_request_field_size = 8190
