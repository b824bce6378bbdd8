import pytest

from tests.integration.harness import BACKENDS
from tests.integration.harness import deployables as start_deployables


@pytest.fixture(scope="session", params=BACKENDS)
def deployables(request, tmp_path_factory):
    """gestion and citas as gunicorn processes on loopback, on SQLite and then on PostgreSQL."""
    with start_deployables(request.param, tmp_path_factory.mktemp(request.param)) as running:
        yield running


@pytest.fixture
def admin_headers(deployables) -> dict[str, str]:
    return {"Authorization": f"Bearer {deployables.login()}"}
