"""Two writes on PostgreSQL that meet: the first held open inside its transaction while the second runs."""

import threading
import time
from collections.abc import Callable

from django.db import connection

TIMEOUT = 30  # seconds; far beyond what any step takes, so that a broken test fails instead of hanging


class HeldWrite:
    """Runs two writes, each in a thread (and on a connection) of its own. The first stops where it calls
    ``hold()``, inside its transaction; the second starts then, and once it waits for a lock, the first
    goes on."""

    def __init__(self):
        self._held = threading.Event()
        self._release = threading.Event()

    def hold(self) -> None:
        """Stop the first write here (later calls go through)."""
        if not self._held.is_set():
            self._held.set()
            self._release.wait(timeout=TIMEOUT)

    def run(self, first: Callable[[], object], second: Callable[[], object]) -> tuple[object, object, str]:
        """What each write returned or raised, and what the second waited for (pg_stat_activity's
        ``wait_event``: ``advisory``, ``transactionid``…)."""
        outcomes: tuple[list, list] = ([], [])
        threads = [
            threading.Thread(target=_keep_outcome, args=(write, outcome))
            for write, outcome in zip((first, second), outcomes, strict=True)
        ]
        threads[0].start()
        assert self._held.wait(timeout=TIMEOUT), "the first write never reached hold()"
        threads[1].start()
        try:
            waited_for = _lock_wait()
        finally:
            self._release.set()
            for thread in threads:
                thread.join(timeout=TIMEOUT)
        return outcomes[0][0], outcomes[1][0], waited_for


def _keep_outcome(write: Callable[[], object], outcome: list) -> None:
    try:
        outcome.append(write())
    except Exception as exc:  # the test asserts on it
        outcome.append(exc)
    finally:
        connection.close()


def _lock_wait() -> str:
    """What the one backend of this database that waits for a lock waits for, once one does."""
    deadline = time.monotonic() + TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT wait_event FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            found = cursor.fetchall()
            if found:
                return found[0][0]
            time.sleep(0.01)
    raise AssertionError("the second write never waited for a lock")
