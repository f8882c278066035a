"""The app against bare Django: a burst of runners, and the same on a small host's CPU.

    python -m bench.compare                 # burst and small host, alternating rounds
    python -m bench.compare --two-process   # PostgreSQL + Redis, two daphne behind one port

Every server is served by daphne from a fresh DATA_DIR (SQLite, WAL, synchronous=FULL,
IMMEDIATE transactions: bare Django has the app's own database settings through
Django's stock backend). Each round, for each server in turn (A, B, A, B...):

1. warm-up: 20 runners, not measured (a server that has served before);
2. the small host: the server capped at 0.5 CPU, then at 0.1 CPU (cgroup v1 cpu
   controller, ``bench/cpucap.py``; needs root), 100 runners at once: seconds until every
   one has its answer, and the server's CPU per runner;
3. the burst, uncapped: 1,000 runners, 100 at a time, each its own client on its own
   loopback address (GET the form, POST a name), no watchers: check-ins per second,
   POST p50 and p99, and the server's CPU per runner.

It prints each round, then medians and the ratios against bare Django that issue 20's
targets are about, and records them for ``bench/summary.py``.

The bare server (``bench/bare``) is the same daphne binary serving one view that does
one INSERT under a UNIQUE constraint; no apps, middleware, templates or sessions.

--two-process needs haproxy (Debian: apt-get install haproxy) and drops and re-creates
the database in BENCH_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import cpucap
from bench.load import (
    ROOT,
    Results,
    Server,
    percentile,
    prepare_site,
    run_load,
    start_server,
    wait_for_port,
)
from bench.results import record

# This project's ports for benchmarks: 18650-18669, shifted by RUNCLUB_PORT_OFFSET.
_OFFSET = int(os.environ.get("RUNCLUB_PORT_OFFSET", "0"))
APP_PORT = 18651 + _OFFSET
BARE_PORT = 18652 + _OFFSET
BALANCER_PORT = 18660 + _OFFSET
TWO_PROCESS_PORTS = (18661 + _OFFSET, 18662 + _OFFSET)
# A database the benchmark may drop and re-create, and a Redis database of its own.
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/runclub_i6_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
WARM_UP = 20


@dataclass(frozen=True)
class Variant:
    """A server to measure: daphne's application and the settings module it runs with."""

    label: str
    app: str
    settings: str
    env: dict[str, str] = field(default_factory=dict)


VARIANTS = {
    "app": Variant("the app", "runclub.asgi:application", "runclub.settings"),
    # The layers' A/B: the app with a hand-written layer swapped for stock Django.
    "stock-asgi": Variant(
        "Django's ASGI handler",
        "bench.stock.asgi:application",
        "bench.stock.settings",
        {"BENCH_STOCK": "asgi"},
    ),
    "stock-sqlite3": Variant(
        "Django's SQLite backend",
        "runclub.asgi:application",
        "bench.stock.settings",
        {"BENCH_STOCK": "sqlite3"},
    ),
    "stock": Variant(
        "neither layer",
        "bench.stock.asgi:application",
        "bench.stock.settings",
        {"BENCH_STOCK": "asgi,sqlite3"},
    ),
    "bare": Variant("bare Django", "bench.bare.asgi:application", "bench.bare.settings"),
}


def error_kinds(errors: dict[str, int]) -> str:
    return ", ".join(f"{kind} x{count}" for kind, count in sorted(errors.items())) or "none"


# Each hand-written layer over Django's private methods, and pairs of servers that differ
# by it alone: (with it, without it), the other layer as shipped first, then stock. A layer
# stays only if it wins by WIN or more on the burst's p99 or on a small host's time.
LAYERS = {
    "runclub/asgi.py's handler": (("app", "stock-asgi"), ("stock-sqlite3", "stock")),
    "runclub/lib/sqlite3's write queue": (("app", "stock-sqlite3"), ("stock-asgi", "stock")),
}
WIN = 0.10


@dataclass
class Burst:
    throughput: float
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]
    cpu_ms: float  # server CPU per runner (its GET and POST)

    def line(self) -> str:
        return (
            f"{self.throughput:.1f} check-ins/s, p50 {self.p50_ms:.0f} ms, "
            f"p99 {self.p99_ms:.0f} ms, CPU {self.cpu_ms:.1f} ms/runner, "
            f"errors: {error_kinds(self.errors)}"
        )


@dataclass
class Capped:
    seconds: float  # until every runner has its answer
    errors: dict[str, int]
    cpu_ms: float

    def line(self) -> str:
        return (
            f"all answered in {self.seconds:.1f} s, CPU {self.cpu_ms:.1f} ms/runner, "
            f"errors: {error_kinds(self.errors)}"
        )


@dataclass
class Rounds:
    burst: list[Burst] = field(default_factory=list)
    capped: dict[str, list[Capped]] = field(default_factory=dict)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def daphne(
    app: str, port: int, env: dict[str, str], log: Path, *extra: str, launcher: Sequence[str] = ()
) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                *(*launcher, sys.executable, "-m", "daphne", *extra),
                *("-b", "127.0.0.1", "-p", str(port), app),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def start_bare(port: int = BARE_PORT, launcher: Sequence[str] = ()) -> Iterator[Server]:
    """``bench/bare`` served by daphne in a fresh DATA_DIR (SQLite, the app's PRAGMAs)."""
    with tempfile.TemporaryDirectory(prefix="runclub-bare-") as data_dir:
        env = {
            **os.environ,
            "DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "bench.bare.settings",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)
        log = Path(data_dir) / "daphne.log"
        process = daphne("bench.bare.asgi:application", port, env, log, launcher=launcher)
        try:
            wait_for_port(port, 300 if launcher else 30)
            base = f"http://127.0.0.1:{port}"
            yield Server(base, f"{base}/checkin/bare-run/", process.pid, data_dir)
        finally:
            stop(process)


@contextlib.contextmanager
def serve(variant: Variant, launcher: Sequence[str] = ()) -> Iterator[Server]:
    """``variant`` served by daphne on SQLite and the in-memory layer, whatever the shell set."""
    if variant.settings == "bench.bare.settings":
        with start_bare(launcher=launcher) as server:
            yield server
        return
    env = {
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": variant.settings,
        **variant.env,
    }
    with start_server(APP_PORT, env, variant.app, launcher) as server:
        yield server


def burst(server: Server, args: argparse.Namespace, first: int) -> Burst:
    assert server.pid is not None
    cpu = cpucap.cpu_seconds(server.pid)
    results = asyncio.run(run_load(server, args.runners, args.concurrency, 0, first=first))
    cpu = cpucap.cpu_seconds(server.pid) - cpu
    posts = sorted(results.post_seconds)
    elapsed = results.last_done - results.first_start
    return Burst(
        throughput=results.checked_in / elapsed if elapsed > 0 else 0.0,
        p50_ms=percentile(posts, 50) * 1000,
        p99_ms=percentile(posts, 99) * 1000,
        errors=results.errors,
        cpu_ms=cpu / args.runners * 1000,
    )


@contextlib.contextmanager
def sampled(pid: int, output: Path | None) -> Iterator[None]:
    """py-spy samples the thread holding the GIL meanwhile, into ``output`` (collapsed stacks)."""
    if output is None:
        yield
        return
    spy = subprocess.Popen(
        [
            *(str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid)),
            *("--gil", "--nonblocking", "--rate", "250", "--format", "raw", "-o", str(output)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # it writes what it has and ends
        spy.wait(30)


def small_host(
    server: Server, cpus: float, runners: int, first: int, profile: Path | None = None
) -> Capped:
    """``runners`` at once against the server capped at ``cpus``."""
    assert server.pid is not None
    with cpucap.cpu_capped(server.pid, cpus), sampled(server.pid, profile):
        cpu = cpucap.cpu_seconds(server.pid)
        results: Results = asyncio.run(run_load(server, runners, runners, 0, first=first))
        cpu = cpucap.cpu_seconds(server.pid) - cpu
    answered = results.last_done - results.first_start if results.checked_in else float("nan")
    return Capped(answered, results.errors, cpu / runners * 1000)


def compare(args: argparse.Namespace) -> None:
    names = args.servers.split(",")
    unknown = [name for name in names if name not in VARIANTS]
    if unknown:
        sys.exit(f"unknown server {', '.join(unknown)}; known: {', '.join(VARIANTS)}")
    caps = [cap for cap in args.caps.split(",") if cap]
    if caps and (reason := cpucap.why_not()):
        sys.exit(f"the small-host runs need the cgroup v1 cpu controller as root: {reason}")
    if args.py_spy:
        args.py_spy.mkdir(parents=True, exist_ok=True)
    rounds = {name: Rounds() for name in names}
    print(
        f"{args.rounds} rounds; small host: {args.capped_runners} runners at once at "
        f"{', '.join(caps) or 'no'} CPU; burst: {args.runners} runners, "
        f"{args.concurrency} at a time, no watchers",
        flush=True,
    )
    for number in range(1, args.rounds + 1):
        for name in names:
            measured = rounds[name]
            with serve(VARIANTS[name]) as server:
                first = 0
                asyncio.run(run_load(server, WARM_UP, WARM_UP, 0, first=first))
                first += WARM_UP
                for cap in caps:
                    profile = args.py_spy and args.py_spy / f"{name}-{cap}-{number}.txt"
                    found = small_host(server, float(cap), args.capped_runners, first, profile)
                    first += args.capped_runners
                    measured.capped.setdefault(cap, []).append(found)
                    print(f"round {number}, {name}, {cap} CPU: {found.line()}", flush=True)
                if args.runners:
                    measured.burst.append(burst(server, args, first))
                    print(f"round {number}, {name}, burst: {measured.burst[-1].line()}", flush=True)
    summarise(rounds, caps, args)


def summarise(rounds: dict[str, Rounds], caps: list[str], args: argparse.Namespace) -> None:
    medians: dict[str, dict[str, float]] = {}
    for name, measured in rounds.items():
        figures = {
            "throughput": median([b.throughput for b in measured.burst]),
            "p50_ms": median([b.p50_ms for b in measured.burst]),
            "p99_ms": median([b.p99_ms for b in measured.burst]),
            "burst_errors": sum(sum(b.errors.values()) for b in measured.burst),
            "burst_cpu_ms": median([b.cpu_ms for b in measured.burst]),
        }
        for cap, found in measured.capped.items():
            figures[f"capped_{cap}_s"] = median([c.seconds for c in found])
            figures[f"capped_{cap}_errors"] = sum(sum(c.errors.values()) for c in found)
            figures[f"capped_{cap}_cpu_ms"] = median([c.cpu_ms for c in found])
        medians[name] = figures

    print(f"\nmedians of {args.rounds} rounds (per round in brackets)")
    for name, measured in rounds.items():
        m = medians[name]
        if measured.burst:
            each = " / ".join(f"{b.throughput:.0f}" for b in measured.burst)
            p99s = " / ".join(f"{b.p99_ms:.0f}" for b in measured.burst)
            print(
                f"{name:14} burst: {m['throughput']:.1f} check-ins/s ({each}), p50 "
                f"{m['p50_ms']:.0f} ms, p99 {m['p99_ms']:.0f} ms ({p99s}), errors "
                f"{m['burst_errors']:.0f}, CPU {m['burst_cpu_ms']:.1f} ms/runner"
            )
        for cap, found in measured.capped.items():
            each = " / ".join(f"{c.seconds:.1f}" for c in found)
            print(
                f"{name:14} {cap} CPU: all answered in {m[f'capped_{cap}_s']:.1f} s ({each}), "
                f"errors {m[f'capped_{cap}_errors']:.0f}, "
                f"CPU {m[f'capped_{cap}_cpu_ms']:.1f} ms/runner"
            )
    if "app" in medians and "bare" in medians:
        app, bare = medians["app"], medians["bare"]
        if args.runners:
            print(
                f"burst throughput app/bare: {app['throughput'] / bare['throughput']:.2f} "
                f"(target >= 0.5); p99 app/bare: {app['p99_ms'] / bare['p99_ms']:.2f} "
                "(target <= 1.5)"
            )
        for cap in caps:
            ratio = app[f"capped_{cap}_s"] / bare[f"capped_{cap}_s"]
            print(f"{cap} CPU, time until all answered, app/bare: {ratio:.2f}")
    verdicts = layer_verdicts(medians, caps)
    for text in verdicts:
        print(text)
    record(
        "compare",
        {
            "layers": verdicts,
            "rounds": args.rounds,
            "runners": args.runners,
            "concurrency": args.concurrency,
            "capped_runners": args.capped_runners,
            "caps": caps,
            "medians": medians,
            "each": {name: asdict(measured) for name, measured in rounds.items()},
        },
    )


def layer_verdicts(medians: dict[str, dict[str, float]], caps: list[str]) -> list[str]:
    """What each layer wins, per pair of servers measured that differ by it alone."""
    figures = [("p99_ms", "burst p99")] + [(f"capped_{cap}_s", f"{cap} CPU") for cap in caps]
    verdicts = []
    for layer, pairs in LAYERS.items():
        for first, (with_it, without_it) in enumerate(pairs):
            if with_it not in medians or without_it not in medians:
                continue
            gains = {
                label: medians[without_it][key] / medians[with_it][key] - 1
                for key, label in figures
                if not math.isnan(medians[with_it][key])
            }
            wins = [label for label, gain in gains.items() if gain >= WIN]
            said = ", ".join(f"{label} {gain:+.0%}" for label, gain in gains.items())
            verdict = (
                ("wins on " + ", ".join(wins)) if wins else f"wins by less than {WIN:.0%}: delete"
            )
            verdicts.append(
                f"{layer}, {with_it} against {without_it}"
                f"{' (the other layer as shipped)' if first == 0 else ''}: {said}: {verdict}"
            )
    return verdicts


def psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", sql],
        check=True,
    )


def recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")


HAPROXY_CONFIG = """\
global
    maxconn 4096
defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    timeout tunnel 1h
frontend web
    bind 127.0.0.1:{port}
    default_backend daphnes
backend daphnes
    balance leastconn
{servers}
"""


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def two_process(args: argparse.Namespace) -> None:
    """Two daphne processes (PostgreSQL, Redis) behind haproxy on one port."""
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        sys.exit("haproxy is needed for --two-process: apt-get install -y haproxy")
    recreate_database(PG_URL)
    with tempfile.TemporaryDirectory(prefix="runclub-two-") as data_dir:
        env = {
            **os.environ,
            "DATA_DIR": data_dir,  # one secret key for both processes
            "DATABASE_URL": PG_URL,
            "REDIS_URL": REDIS_URL,
            "PORT": str(BALANCER_PORT),
            "LOG_LEVEL": "WARNING",
        }

        checkin_url = prepare_site(env)
        config = Path(data_dir) / "haproxy.cfg"
        config.write_text(
            HAPROXY_CONFIG.format(
                port=BALANCER_PORT,
                servers="\n".join(
                    f"    server daphne{i} 127.0.0.1:{port}"
                    for i, port in enumerate(TWO_PROCESS_PORTS)
                ),
            )
        )
        log = Path(data_dir) / "daphne.log"
        # --proxy-headers: the client's address comes from haproxy's X-Forwarded-For.
        servers = [
            daphne("runclub.asgi:application", port, env, log, "--proxy-headers")
            for port in TWO_PROCESS_PORTS
        ]
        balancer = subprocess.Popen([haproxy, "-f", str(config), "-db"], cwd=data_dir)
        try:
            for port in (*TWO_PROCESS_PORTS, BALANCER_PORT):
                wait_for_port(port)
            server = Server(f"http://127.0.0.1:{BALANCER_PORT}", checkin_url)
            found = []
            for number in range(1, args.rounds + 1):
                if number > 1:  # the same runners again, not 1,000 duplicates
                    psql("DELETE FROM attendance_attendance", PG_URL.rsplit("/", 1)[1])
                results = asyncio.run(
                    run_load(server, args.runners, args.concurrency, args.watchers)
                )
                rss = sum(peak_rss_mib(p.pid) for p in servers)
                posts = sorted(results.post_seconds)
                elapsed = results.last_done - results.first_start
                found.append((results.checked_in / elapsed, percentile(posts, 99) * 1000))
                print(f"round {number}, two daphne + PostgreSQL + Redis, peak RSS {rss:.0f} MiB:")
                print("  " + results.report(None).replace("\n", "\n  "), flush=True)
        finally:
            for process in (balancer, *servers):
                stop(process)
    throughput = median([t for t, _ in found])
    p99 = median([p for _, p in found])
    print(
        f"\nmedians of {args.rounds} rounds: {throughput:.1f} check-ins/s, p99 {p99:.0f} ms "
        f"({args.watchers} watchers)"
    )
    record("two_process", {"throughput": throughput, "p99_ms": p99})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runners", type=int, default=1000, help="the burst's (0: no burst)")
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--capped-runners", type=int, default=100)
    parser.add_argument("--caps", default="0.5,0.1", help="CPU fractions ('' for none)")
    parser.add_argument("--servers", default=",".join(VARIANTS), help="in this order each round")
    parser.add_argument("--watchers", type=int, default=50, help="--two-process only")
    parser.add_argument(
        "--py-spy",
        type=Path,
        metavar="DIR",
        help="sample each small-host run with py-spy into DIR (read with python -m bench.spy)",
    )
    parser.add_argument("--two-process", action="store_true")
    args = parser.parse_args()
    (two_process if args.two_process else compare)(args)


if __name__ == "__main__":
    main()
