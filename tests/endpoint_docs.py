"""Compare what docs/endpoints.md documents with the operations of both OpenAPI schemas."""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def schema_operations(deployable: str) -> set[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ODONTOCARE_ENV": "test", "ODONTOCARE_DATA_DIR": tmp}
        env["DJANGO_SETTINGS_MODULE"] = f"odontocare.settings.{deployable}"
        out = Path(tmp) / "schema.json"
        command = [sys.executable, "manage.py", "spectacular", "--format", "openapi-json", "--file", str(out)]
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
        paths = json.loads(out.read_text())["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def documented_calls(markdown: str) -> dict[str, set[tuple[str, str]]]:
    """The (method, path) of each documented call, by deployable, from the base URLs in the header."""
    bases = dict(re.findall(r"(gestion|citas) on `([^`]+)`", markdown))
    calls: dict[str, set[tuple[str, str]]] = {name: set() for name in bases}
    for method, url in re.findall(r"^## ([A-Z]+) (\S+)$", markdown, flags=re.MULTILINE):
        for name, base in bases.items():
            if url.startswith(base + "/"):
                calls[name].add((method, url[len(base) :].split("?")[0]))
    return calls


def undocumented(markdown: str) -> list[str]:
    calls = documented_calls(markdown)
    missing = []
    for deployable in ("gestion", "citas"):
        for method, template in sorted(schema_operations(deployable)):
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            if not any(m == method and pattern.match(path) for m, path in calls.get(deployable, ())):
                missing.append(f"{deployable}: {method} {template}")
    return missing
