import subprocess
import sys
from pathlib import Path

import pytest

from tests.endpoint_docs import undocumented
from tests.integration.harness import SERVICE_PASSWORD, SERVICE_USERNAME

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.integration


def test_the_endpoint_tour_runs_and_documents_every_operation(deployables, tmp_path):
    out = tmp_path / "endpoints.md"
    result = subprocess.run(
        [
            sys.executable, str(ROOT / "scripts" / "document_endpoints.py"),
            "--gestion-url", deployables.gestion_url, "--citas-url", deployables.citas_url,
            "--admin-username", deployables.admin_username, "--admin-password", deployables.admin_password,
            "--service-username", SERVICE_USERNAME, "--service-password", SERVICE_PASSWORD,
            "--out", str(out),
        ],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert undocumented(out.read_text(encoding="utf-8")) == []
