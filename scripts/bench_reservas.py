#!/usr/bin/env python
"""Benchmark booking against the floor of its own stack, side by side in one run.

    .venv/bin/python scripts/bench_reservas.py [--backend sqlite|postgres|both] [--duration 10]
                                               [--connections 16] [--rounds 3] [--workers 2]

Starts gestion and citas as gunicorn processes (2 workers of 4 threads each; GUNICORN_THREADS) on a fresh
database, and the floor (scripts/bench/floor_settings.py: the same Django, DRF, gunicorn and database, one
view that checks overlap and inserts, no authentication, no gateway) on citas' database, and the same view
after one HTTP call to a bare WSGI app (scripts/bench/bare_call.py: no Django, one trivial SELECT), which is
the least any booking that asks gestion can cost. wrk drives the three with the same bookings (each a free
slot: no 409s), in turns, round after round (a short first round warms them up and is not counted), with
--connections and then with one, and the script prints for each the requests per second, the latency at p50
and p99, the CPU per request of every process that serves it (the gunicorns and PostgreSQL) and how busy the
whole machine was, the medians over the rounds, and the ratios to the floor last: throughput (the median of
each round's against the floor's run of the same round), CPU per request, and p50 against the floor's p50 +
3 loopback round trips + 5 ms. With wrk's closed loop, p50 at 16 connections is about 16 / throughput; the
bound means most at one connection.
PostgreSQL comes from TEST_POSTGRES_URL, or scripts/postgres. wrk is installed with apt where missing.
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.harness import deployables, start  # noqa: E402
from tests.integration.registry import PASSWORD, ROUND_THE_CLOCK  # noqa: E402

DOCTORS = 40
# 40 doctors' half-hour slots make 1,920 bookings a day: a 10 s run at 650 req/s needs under four days.
DAYS_PER_RUN = 7
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float
    errors: int
    cpu_split: dict[str, float]  # CPU ms per request of each kind of serving process
    busy: float  # the share of the machine's CPU time that was busy (every process: load tool, kernel...)


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


def process_cpu_seconds(pids: list[int]) -> dict[int, float]:
    """The CPU seconds (user and system) of each of these processes that is still there."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return seconds


def machine_ticks() -> tuple[int, int]:
    """(busy, all) clock ticks of every CPU since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, IndexError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


def loopback_round_trip_ms(exchanges: int = 2000) -> float:
    """The median time for one byte to go to a TCP peer on loopback and back."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        peer, _ = server.accept()
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        peer.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def echo():
            for _ in range(exchanges):
                peer.sendall(peer.recv(1))

        thread = threading.Thread(target=echo)
        thread.start()
        times = []
        for _ in range(exchanges):
            start_ns = time.perf_counter_ns()
            client.sendall(b"x")
            client.recv(1)
            times.append(time.perf_counter_ns() - start_ns)
        thread.join()
        client.close()
        peer.close()
    return statistics.median(times) / 1e6


def postgres_pids() -> list[int]:
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit()
        and (entry / "comm").exists()
        and (entry / "comm").read_text().strip() == "postgres"
    ]


def lua(
    path: str,
    token: str | None,
    doctors: list[int],
    patients: list[int],
    centro: int,
    base: int,
    threads: int,
) -> str:
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    return textwrap.dedent(f"""
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        {auth}
        local doctors = {{{", ".join(map(str, doctors))}}}
        local patients = {{{", ".join(map(str, patients))}}}
        local counter, threads = 0, 0
        tid = 0  -- set per thread by setup()
        function setup(thread) thread:set("tid", threads); threads = threads + 1 end
        request = function()
            counter = counter + 1
            local n = counter * {threads} + tid
            local d = n % #doctors
            local fecha = os.date("!%Y-%m-%dT%H:%M:%SZ", {base} + math.floor(n / #doctors) * 1800)
            local body = string.format('{{"fecha":"%s","id_doctor":%d,"id_centro":%d,"id_paciente":%d}}',
                fecha, doctors[d + 1], {centro}, patients[d + 1])
            return wrk.format(nil, "{path}", nil, body)
        end
        local told = false
        response = function(status, headers, body)
            if status >= 300 and not told then
                io.stderr:write("first non-2xx: " .. body .. "\\n")
                told = true
            end
        end
    """)


def drive(wrk: str, url: str, script: Path, load: "Load", pids_of, duration: int) -> Figures:
    """``pids_of()``: the serving processes, by kind (e.g. citas, gestion, postgres)."""
    before = {kind: process_cpu_seconds(group) for kind, group in pids_of().items()}
    busy_before, all_before = machine_ticks()
    out = subprocess.run(
        [
            wrk,
            f"-t{load.threads}",
            f"-c{load.connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in out.stderr.splitlines()[:1]:
        print(f"  ({line[:200]})", file=sys.stderr)
    out = out.stdout
    # A process started during the run (a database connection a thread opened for its first request) counts
    # whole: all its CPU is the run's.
    after = {kind: process_cpu_seconds(group) for kind, group in pids_of().items()}
    cpu = {
        kind: sum(total - before[kind].get(pid, 0) for pid, total in seconds.items())
        for kind, seconds in after.items()
    }
    busy_after, all_after = machine_ticks()
    requests_done = int(next(line for line in out.splitlines() if "requests in" in line).split()[0])

    def latency(label: str) -> float:
        value = next(line.split()[1] for line in out.splitlines() if line.strip().startswith(label))
        return (
            float(value[:-2])
            if value.endswith("ms")
            else float(value[:-1]) * 1000
            if value.endswith("s")
            else float(value[:-2]) / 1000
        )

    errors = next((int(line.split()[-1]) for line in out.splitlines() if "Non-2xx" in line), 0)
    rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))
    split = {kind: 1000 * seconds / max(requests_done, 1) for kind, seconds in cpu.items()}
    busy = (busy_after - busy_before) / max(all_after - all_before, 1)
    return Figures(rps, latency("50%"), latency("99%"), sum(split.values()), errors, split, busy)


def prepare(running) -> tuple[int, list[int], list[int]]:
    """A centro, doctors working round the clock there and their patients, made over the API."""
    headers = {"Authorization": f"Bearer {running.login()}"}
    tag = uuid.uuid4().hex[:6]

    def post(path, body):
        response = requests.post(f"{running.gestion_url}{path}", json=body, headers=headers, timeout=300)
        response.raise_for_status()
        return response.json()

    centro = post("/admin/centros", {"nombre": f"Banco {tag}", "direccion": "Calle 1"})["id_centro"]
    horarios = [{"id_centro": centro, **rango} for rango in ROUND_THE_CLOCK]
    doctors = post(
        "/admin/doctores",
        [
            {
                "nombre": f"Dr {n}",
                "especialidad": "X",
                "username": f"dr{tag}{n}",
                "password": PASSWORD,
                "horarios": horarios,
            }
            for n in range(DOCTORS)
        ],
    )
    patients = post(
        "/admin/pacientes", [{"nombre": f"P {n}", "telefono": "+34 600 000 000"} for n in range(DOCTORS)]
    )
    return centro, [d["id_doctor"] for d in doctors], [p["id_paciente"] for p in patients]


@dataclass(frozen=True)
class Load:
    connections: int
    threads: int


def median_figures(figures: list[Figures]) -> Figures:
    fields = ("rps", "p50_ms", "p99_ms", "cpu_ms", "errors")
    return Figures(
        *(statistics.median(getattr(f, field) for f in figures) for field in fields),
        {kind: statistics.median(f.cpu_split[kind] for f in figures) for kind in figures[0].cpu_split},
        statistics.median(f.busy for f in figures),
    )


def run(backend: str, args, wrk: str) -> None:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{backend}-"))
    # The load of the targets, then one connection: the latency of one booking when nothing else waits.
    loads = [Load(args.connections, args.threads), Load(1, 1)]
    names = ("floor", "floor+call", "booking")
    results = {(load, name): [] for load in loads for name in names}
    with deployables(backend, workdir, workers=args.workers) as running, ExitStack() as servers:
        centro, doctors, patients = prepare(running)
        bare = start(
            "scripts.bench.bare_call",
            {**running.gestion_env, "BARE_CALL_DATABASE_URL": running.gestion_env["DATABASE_URL"]},
            workdir / "bare_call.log",
            workers=args.workers,
            app="scripts.bench.bare_call:application",
        )
        servers.callback(bare.stop)
        floor = start(
            "scripts.bench.floor_settings",
            {**running.citas_env, "FLOOR_CALL_URL": bare.url},
            workdir / "floor.log",
            workers=args.workers,
        )
        servers.callback(floor.stop)
        tomorrow = int(
            (datetime.now(UTC) + timedelta(days=1)).replace(hour=0, minute=0, second=0).timestamp()
        )
        pg = postgres_pids if backend == "postgres" else list
        targets = {
            "floor": (floor, "/citas", {"floor": floor}),
            "floor+call": (floor, "/citas-with-call", {"floor": floor, "bare app": bare}),
            "booking": (running.citas, "/citas", {"citas": running.citas, "gestion": running.gestion}),
        }
        runs = 0
        # Round 0 is short and not counted: it opens every connection (the database's server processes
        # then exist to be measured) and warms the caches. Then the targets take turns.
        for number in range(args.rounds + 1):
            for load in loads:
                for name, (server, path, serving) in targets.items():
                    # Each run books slots of its own, days on from the last run's: none is taken. The
                    # floors book for doctors and patients that do not exist, so that their rows (in the
                    # same database) never hold a patient's time.
                    base = tomorrow + 86400 * DAYS_PER_RUN * runs
                    runs += 1
                    shift = {"floor": 1_000_000, "floor+call": 2_000_000}.get(name, 0)
                    script = workdir / f"{name}-{runs}.lua"
                    script.write_text(
                        lua(
                            path,
                            # A fresh token for each run: the whole benchmark outlives one.
                            running.login() if name == "booking" else None,
                            [d + shift for d in doctors],
                            [p + shift for p in patients],
                            centro,
                            base,
                            load.threads,
                        )
                    )
                    pids = {kind: [s.process.pid, *children(s.process.pid)] for kind, s in serving.items()}
                    figures = drive(
                        wrk,
                        server.url,
                        script,
                        load,
                        lambda pids=pids: {**pids, "postgres": pg()},
                        duration=args.duration if number else 2,
                    )
                    if number:
                        results[load, name].append(figures)
    rtt = loopback_round_trip_ms()
    print(
        f"\n{backend}: wrk -d{args.duration}s, medians of {args.rounds} rounds, the targets in turns; "
        f"loopback round trip {rtt:.3f} ms"
    )
    for load in loads:
        print(f" {load.connections} connection(s), {load.threads} wrk thread(s):")
        medians = {}
        for name in names:
            medians[name] = m = median_figures(results[load, name])
            split = ", ".join(f"{kind} {ms:.2f}" for kind, ms in m.cpu_split.items() if ms)
            print(
                f"  {name:<10} {m.rps:8.0f} req/s   p50 {m.p50_ms:7.2f} ms   p99 {m.p99_ms:7.2f} ms   "
                f"CPU {m.cpu_ms:6.2f} ms/req ({split})   machine busy {100 * m.busy:3.0f}%   "
                f"non-2xx {m.errors:.0f}"
            )
        floor_m = medians["floor"]
        p50_bound = floor_m.p50_ms + 3 * rtt + 5
        for name in ("floor+call", "booking"):
            # Each round's run against the floor's run of the same round: the machine's drift between rounds
            # cancels out.
            paired = [t.rps / f.rps for t, f in zip(results[load, name], results[load, "floor"], strict=True)]
            rounds = ", ".join(f"{ratio:.2f}" for ratio in paired)
            print(
                f"  ratio {name}/floor: throughput {statistics.median(paired):.2f}x (target 0.5x; rounds: "
                f"{rounds}), CPU per request {medians[name].cpu_ms / floor_m.cpu_ms:.2f}x, p50 "
                f"{medians[name].p50_ms:.2f} ms against the bound {p50_bound:.2f} ms (floor + 3 round trips "
                "+ 5 ms)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each deployable")
    args = parser.parse_args()
    os.environ.setdefault("ODONTOCARE_ENV", "test")
    if args.backend in ("postgres", "both") and not os.environ.get("TEST_POSTGRES_URL"):
        os.environ["TEST_POSTGRES_URL"] = subprocess.run(
            [str(ROOT / "scripts" / "postgres")], capture_output=True, text=True, check=True
        ).stdout.strip()
    wrk = ensure_wrk()
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        run(backend, args, wrk)


if __name__ == "__main__":
    main()
