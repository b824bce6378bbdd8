import time
import uuid

import pytest
import requests

from tests.integration.registry import futuro, registrar

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("offered", [True, False], ids=["callers-id", "id-made-by-citas"])
def test_one_booking_is_followed_in_both_logs_by_its_request_id(deployables, admin_headers, offered):
    made = registrar(deployables.gestion_url, admin_headers)
    body = {
        "fecha": futuro(days=11),
        "id_doctor": made.id_doctor,
        "id_centro": made.id_centro,
        "id_paciente": made.id_paciente,
    }
    sent = f"reserva-{uuid.uuid4().hex}" if offered else None
    headers = {**admin_headers, **({"X-Request-ID": sent} if sent else {})}
    response = requests.post(f"{deployables.citas_url}/citas", json=body, headers=headers, timeout=30)
    assert response.status_code == 201
    request_id = response.headers["X-Request-ID"]
    if offered:
        assert request_id == sent
    else:
        assert len(request_id) == 32  # a uuid4's hex, made by citas

    assert logged(deployables.citas, request_id, '"path": "/citas"')
    assert logged(deployables.gestion, request_id, '"path": "/interno/referencias"')


def logged(server, request_id: str, path: str, within: float = 5.0) -> bool:
    """Whether the server's log has a line with both; access lines are written just after the answer."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if any(request_id in line and path in line for line in server.output().splitlines()):
            return True
        time.sleep(0.1)
    return False
