#!/usr/bin/env python
"""Benchmark the two ways of loading the demo data, next to what password hashing alone costs.

    .venv/bin/python scripts/bench_carga.py [--pacientes 2000] [--workers 4]

Generates a set with that many patients, then loads it (1) with `manage.py load_csv` into a fresh gestion
database and (2) with scripts/carga_inicial.py over HTTP into a fresh gestion started by scripts/dev
(gunicorn, Argon2 as in production), and prints records per second for each, plus the time Argon2 takes to
hash as many passwords as the set creates users. Everything lives in a temporary folder, removed afterwards.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GESTION_PORT, CITAS_PORT = 18400, 18401


def run(*command: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def count_rows(folder: Path) -> dict[str, int]:
    return {
        path.stem: sum(1 for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip())
        for path in sorted(folder.glob("*.csv"))
    }


def time_hashing(users: int, env: dict[str, str]) -> float:
    code = (
        "import time, django; django.setup()\n"
        "from django.contrib.auth.hashers import make_password\n"
        f"started = time.perf_counter()\n"
        f"for n in range({users}): make_password(f'clave-de-prueba-{{n}}')\n"
        "print(time.perf_counter() - started)\n"
    )
    output = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return float(output.stdout)


def time_load_csv(fixtures: Path, env: dict[str, str]) -> float:
    run(PYTHON, "manage.py", "migrate", "-v", "0", env=env)
    return run(PYTHON, "manage.py", "load_csv", str(fixtures), env=env)


def time_api(fixtures: Path, workers: int, env: dict[str, str]) -> float:
    dev_env = {**env, "GESTION_PORT": str(GESTION_PORT), "CITAS_PORT": str(CITAS_PORT)}
    server = subprocess.Popen(
        ["scripts/dev"],
        cwd=ROOT,
        env=dev_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        gestion = f"http://127.0.0.1:{GESTION_PORT}"
        for _ in range(120):
            try:
                if requests.get(f"{gestion}/health", timeout=1).ok:
                    break
            except requests.RequestException:  # not listening yet, or too busy starting to answer
                time.sleep(0.5)
        else:
            raise SystemExit("gestion did not start")
        return run(
            PYTHON, "scripts/carga_inicial.py", "--no-cita", "--workers", str(workers),
            "--fixtures", str(fixtures), "--gestion-url", gestion, env=env,
        )  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pacientes", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4, help="parallel requests of the HTTP client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        fixtures = tmp_path / "fixtures"
        base_env = {
            **os.environ,
            "ODONTOCARE_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "odontocare.settings.gestion",
        }
        run(
            PYTHON,
            "scripts/generate_fixtures.py",
            "--pacientes",
            str(args.pacientes),
            "--out",
            str(fixtures),
            env=base_env,
        )
        rows = count_rows(fixtures)
        records = sum(rows.values())
        users = rows["usuarios"] + rows["doctores"] + rows["pacientes"]
        print(f"set: {rows} = {records} records, {users} of them with a password")

        hashing = time_hashing(users, {**base_env, "ODONTOCARE_DATA_DIR": str(tmp_path / "hash")})
        print(f"Argon2 hashing alone, {users} passwords: {hashing:.1f} s ({users / hashing:.0f}/s)")
        command = time_load_csv(fixtures, {**base_env, "ODONTOCARE_DATA_DIR": str(tmp_path / "command")})
        print(f"manage.py load_csv:   {command:.1f} s, {records / command:.0f} records/s")
        api = time_api(fixtures, args.workers, {**base_env, "ODONTOCARE_DATA_DIR": str(tmp_path / "api")})
        print(f"carga_inicial.py, {args.workers} workers: {api:.1f} s, {records / api:.0f} records/s")


if __name__ == "__main__":
    main()
