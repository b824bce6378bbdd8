#!/usr/bin/env python
"""Write each deployable's OpenAPI schema to a file and generate a typed Python client from it.

    .venv/bin/python scripts/generate_clients.py [--out build/clients]

Writes OUT/schemas/gestion.json and OUT/schemas/citas.json, and the packages
OUT/odontocare_gestion_client and OUT/odontocare_citas_client (they need httpx, attrs and
python-dateutil, all in requirements-dev.txt). Put OUT on sys.path to import them.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from argparse import RawDescriptionHelpFormatter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOYABLES = ("gestion", "citas")


def write_schema(deployable: str, path: Path) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": f"odontocare.settings.{deployable}",
            "ODONTOCARE_ENV": "development",
            "ODONTOCARE_DATA_DIR": data_dir,
        }
        command = [sys.executable, "manage.py", "spectacular", "--format", "openapi-json", "--file"]
        subprocess.run([*command, str(path), "--validate", "--fail-on-warn"], cwd=ROOT, env=env, check=True)


def generate_client(schema: Path, package: Path) -> None:
    bin_dir = Path(sys.executable).parent
    config = package.parent / f"{package.name}.config.yaml"
    config.write_text(f"package_name_override: {package.name}\nproject_name_override: {package.name}\n")
    command = [
        str(bin_dir / "openapi-python-client"),
        "generate",
        "--path",
        str(schema),
        "--output-path",
        str(package),
        "--meta",
        "none",
        "--overwrite",
        "--config",
        str(config),
    ]
    # The generator formats its output with ruff, which lives next to this interpreter.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    config.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "clients")
    out = parser.parse_args().out.resolve()
    (out / "schemas").mkdir(parents=True, exist_ok=True)
    for deployable in DEPLOYABLES:
        schema = out / "schemas" / f"{deployable}.json"
        write_schema(deployable, schema)
        package = out / f"odontocare_{deployable}_client"
        generate_client(schema, package)
        print(f"{deployable}: {schema.relative_to(out)} -> {package.relative_to(out)}")


if __name__ == "__main__":
    main()
