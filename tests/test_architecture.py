"""The boundary between the deployables is checked by import-linter's contracts."""

import shutil
import subprocess
import sys
from pathlib import Path

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


def test_appointments_importing_clinic_models_breaks_the_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    with (tree / "apps/appointments/apps.py").open("a") as module:
        module.write("\nfrom apps.clinic import models as _forbidden  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "citas reaches gestion only over REST BROKEN" in result.stdout


def test_common_importing_a_feature_app_breaks_the_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    with (tree / "apps/common/roles.py").open("a") as module:
        module.write("\nimport apps.accounts.models  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "The shared package depends on no feature app BROKEN" in result.stdout


def test_appointments_speaking_http_outside_the_rest_adapter_breaks_the_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    with (tree / "apps/appointments/services.py").open("a") as module:
        module.write("\nimport requests as _forbidden  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "Only the REST adapter talks HTTP BROKEN" in result.stdout
