import uuid

import pytest
import requests

pytestmark = pytest.mark.integration


def test_failed_logins_are_counted_across_gestions_workers(deployables):
    # gestion runs several gunicorn workers; the failures must add up in the shared cache.
    username = f"nadie-{uuid.uuid4().hex[:8]}"
    statuses = [
        requests.post(
            f"{deployables.gestion_url}/auth/login",
            json={"username": username, "password": "wrong"},
            headers={"Connection": "close"},  # a new connection each time, to spread over the workers
            timeout=10,
        )
        for _ in range(6)
    ]
    assert [response.status_code for response in statuses] == [401] * 5 + [429]
    assert int(statuses[-1].headers["Retry-After"]) > 0
    assert statuses[-1].json()["errors"][0]["code"] == "throttled"
