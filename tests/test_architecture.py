"""The boundary between the deployables is checked by import-linter's contracts."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", "pyproject.toml", "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_code(tmp_path: Path) -> Path:
    for name in ("apps", "odontocare"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        (
            "apps/appointments/apps.py",
            "from apps.clinic import models as _forbidden",
            "citas reaches gestion only over REST",
        ),
        (
            "apps/appointments/services.py",
            "from apps.clinic.data import Tramo as _forbidden",
            "citas reaches gestion only over REST",
        ),
        (
            "apps/clinic/data.py",
            "from django.conf import settings as _forbidden",
            "The data crossing between the deployables is plain Python",
        ),
        (
            "apps/common/roles.py",
            "import apps.accounts.models",
            "The shared package depends on no feature app",
        ),
        (
            "apps/appointments/services.py",
            "import requests as _forbidden",
            "Only the REST adapter talks HTTP",
        ),
    ],
    ids=[
        "appointments-imports-clinic",
        "crossing-data-read-outside-the-port",
        "crossing-data-imports-django",
        "common-imports-a-feature-app",
        "http-outside-the-adapter",
    ],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, forbidden_import, contract):
    tree = copy_of_the_code(tmp_path)
    with (tree / module).open("a") as source:
        source.write(f"\n{forbidden_import}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout
