"""Production settings refuse unsafe or unusable configuration and pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apps.common.fields import BuiltOnce, StrictModelSerializer
from odontocare.keys import generate_keypair

ROOT = Path(__file__).resolve().parent.parent
DEPLOYABLES = ["gestion", "citas"]


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    generate_keypair(tmp_path / "private.pem", tmp_path / "public.pem")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("ODONTOCARE_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        ODONTOCARE_ENV="production",
        ODONTOCARE_DATA_DIR=str(tmp_path / "data"),
        SECRET_KEY="p" * 20 + "-a-long-random-production-secret-for-the-test-only",
        ALLOWED_HOSTS="odontocare.example",
        JWT_PRIVATE_KEY_PATH=str(tmp_path / "private.pem"),
        JWT_PUBLIC_KEY_PATH=str(tmp_path / "public.pem"),
        SERVICE_ACCOUNT_PASSWORD="service-secret-for-the-test",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def manage(deployable: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": f"odontocare.settings.{deployable}"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_production_settings_pass_check_deploy(deployable, production_env):
    result = manage(deployable, production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_production_refuses_debug(deployable, production_env):
    result = manage(deployable, production_env | {"DEBUG": "true"}, "check")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_production_refuses_to_start_without_a_secret_key(deployable, production_env):
    del production_env["SECRET_KEY"]
    result = manage(deployable, production_env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_production_refuses_the_development_secret_key(deployable, production_env):
    production_env["SECRET_KEY"] = "django-insecure-odontocare-development-only-key"
    assert manage(deployable, production_env, "check").returncode != 0


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_production_refuses_to_start_without_the_public_key(deployable, production_env):
    del production_env["JWT_PUBLIC_KEY_PATH"]
    result = manage(deployable, production_env, "check")
    assert result.returncode != 0
    assert "JWT_PUBLIC_KEY_PATH" in result.stderr


def test_gestion_refuses_to_start_without_the_private_key(production_env):
    del production_env["JWT_PRIVATE_KEY_PATH"]
    assert manage("gestion", production_env, "check").returncode != 0


def test_citas_runs_without_the_private_key(production_env):
    del production_env["JWT_PRIVATE_KEY_PATH"]
    assert manage("citas", production_env, "check").returncode == 0


@pytest.mark.parametrize("url", ["gestion:8000", "ftp://gestion", "http://"])
def test_citas_refuses_a_gestion_url_it_could_not_call(url, production_env):
    result = manage("citas", production_env | {"GESTION_URL": url}, "check")
    assert result.returncode != 0
    assert "GESTION_URL must be an http:// or https:// URL" in result.stderr


def test_ensure_admin_has_no_default_password_in_production(production_env):
    result = manage("gestion", production_env, "ensure_admin")
    assert result.returncode != 0
    assert "ODONTOCARE_ADMIN_PASSWORD" in result.stderr


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_openapi_schema_validates_without_warnings(deployable, tmp_path):
    env = {**os.environ, "ODONTOCARE_ENV": "test", "ODONTOCARE_DATA_DIR": str(tmp_path)}
    result = manage(
        deployable, env, "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml")
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_openapi_components_are_not_described_by_the_code_they_share(deployable, tmp_path):
    """A component's description is its own docstring, never that of a base class the code uses."""
    env = {**os.environ, "ODONTOCARE_ENV": "test", "ODONTOCARE_DATA_DIR": str(tmp_path)}
    result = manage(deployable, env, "spectacular", "--format", "openapi-json", "--file", str(tmp_path / "s"))
    assert result.returncode == 0, result.stderr[-3000:]
    schemas = json.loads((tmp_path / "s").read_text())["components"]["schemas"]
    shared = [" ".join(cls.__doc__.split()[:6]) for cls in (StrictModelSerializer, BuiltOnce)]
    described = [
        name for name, schema in schemas.items() if schema.get("description", "").startswith(tuple(shared))
    ]
    assert described == []
