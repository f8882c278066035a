"""The app against the least Django that can take a check-in, and the two-process deployment.

Both use ``bench/load.py``'s load (runners with their own cookies and loopback
addresses, watchers on /ws/live/) and print medians over alternating rounds:

    python -m bench.compare                 # SQLite: the app, then the bare view, --rounds times
    python -m bench.compare --layers        # the app with and without its two hand-written layers
    python -m bench.compare --two-process   # PostgreSQL + Redis, two daphne behind one port

--two-process needs haproxy (Debian: apt-get install haproxy) and drops and re-creates
the database in BENCH_DATABASE_URL.

The bare server (``bench/bare``) is the same daphne binary serving one view
that does one INSERT under a UNIQUE constraint, with the app's own database
settings; it has no live page, so it gets no watchers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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

# This project's ports for benchmarks: 18650-18669, shifted by RUNCLUB_PORT_OFFSET.
_OFFSET = int(os.environ.get("RUNCLUB_PORT_OFFSET", "0"))
APP_PORT = 18651 + _OFFSET
BARE_PORT = 18652 + _OFFSET
BALANCER_PORT = 18660 + _OFFSET
TWO_PROCESS_PORTS = (18661 + _OFFSET, 18662 + _OFFSET)
# A database the benchmark may drop and re-create, and a Redis database of its own.
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/runclub_i6_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")


@dataclass
class Round:
    throughput: float
    p50_ms: float
    p99_ms: float
    errors: int
    peak_rss_mib: float | None

    @classmethod
    def of(cls, results: Results, peak_rss_mib: float | None) -> Round:
        posts = sorted(results.post_seconds)
        elapsed = results.last_done - results.first_start
        return cls(
            throughput=results.checked_in / elapsed if elapsed > 0 else 0.0,
            p50_ms=percentile(posts, 50) * 1000,
            p99_ms=percentile(posts, 99) * 1000,
            errors=sum(results.errors.values()),
            peak_rss_mib=peak_rss_mib,
        )

    def line(self) -> str:
        rss = f", peak RSS {self.peak_rss_mib:.0f} MiB" if self.peak_rss_mib else ""
        return (
            f"{self.throughput:.1f} check-ins/s, p50 {self.p50_ms:.0f} ms, "
            f"p99 {self.p99_ms:.0f} ms, errors {self.errors}{rss}"
        )


def median_of(rounds: list[Round]) -> Round:
    rss = [r.peak_rss_mib for r in rounds if r.peak_rss_mib]
    return Round(
        throughput=statistics.median(r.throughput for r in rounds),
        p50_ms=statistics.median(r.p50_ms for r in rounds),
        p99_ms=statistics.median(r.p99_ms for r in rounds),
        errors=sum(r.errors for r in rounds),
        peak_rss_mib=max(rss) if rss else None,
    )


def daphne(app: str, port: int, env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "daphne", *extra, "-b", "127.0.0.1", "-p", str(port), app],
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
def start_bare(port: int = BARE_PORT) -> Iterator[Server]:
    """``bench/bare`` served by daphne in a fresh DATA_DIR (SQLite, the app's PRAGMAs)."""
    with tempfile.TemporaryDirectory(prefix="runclub-bare-") as data_dir:
        env = {
            **os.environ,
            "DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "bench.bare.settings",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)
        process = daphne("bench.bare.asgi:application", port, env, Path(data_dir) / "daphne.log")
        try:
            wait_for_port(port)
            base = f"http://127.0.0.1:{port}"
            yield Server(base, f"{base}/checkin/bare-run/", process.pid)
        finally:
            stop(process)


def load(server: Server, args: argparse.Namespace, watchers: int) -> Results:
    return asyncio.run(run_load(server, args.runners, args.concurrency, watchers))


def compare(args: argparse.Namespace) -> None:
    app_rounds: list[Round] = []
    bare_rounds: list[Round] = []
    for number in range(1, args.rounds + 1):
        # SQLite and the in-memory channel layer, whatever the shell has set.
        with start_server(APP_PORT, {"DATABASE_URL": "", "REDIS_URL": ""}) as server:
            results = load(server, args, args.watchers)
            rss = server.peak_rss_mib()
        app_rounds.append(Round.of(results, rss))
        print(f"round {number}, app:  {app_rounds[-1].line()}", flush=True)
        print("  " + results.report(rss).replace("\n", "\n  "), flush=True)
        with start_bare() as server:
            results = load(server, args, 0)
            bare_rounds.append(Round.of(results, server.peak_rss_mib()))
        print(f"round {number}, bare: {bare_rounds[-1].line()}", flush=True)

    app, bare = median_of(app_rounds), median_of(bare_rounds)
    print(
        f"\nmedians over {args.rounds} rounds, {args.runners} runners, {args.concurrency} at a time"
    )
    print(f"app ({args.watchers} watchers): {app.line()}")
    print(f"bare (no watchers): {bare.line()}")
    print(
        f"throughput ratio app/bare: {app.throughput / bare.throughput:.2f} (target >= 0.5)\n"
        f"p99 ratio app/bare: {app.p99_ms / bare.p99_ms:.2f} (target <= 1.5)"
    )


# The two hand-written layers over Django's internals, each on or off (docs/proof.md, "The two
# hand-written layers"): the ASGI handler is chosen by the application daphne serves,
# the SQLite backend by the settings module. Value: (app, settings, layers it keeps).
VARIANTS = {
    "both layers (as shipped)": ("runclub.asgi:application", "runclub.settings", 2),
    "stock ASGI handler": ("bench.stock.asgi:application", "runclub.settings", 1),
    "stock SQLite backend": ("runclub.asgi:application", "bench.stock.settings", 1),
    "stock Django (neither)": ("bench.stock.asgi:application", "bench.stock.settings", 0),
}
# Stock before clever: the variant with the fewest hand-written layers wins unless it is
# clearly worse than the best, beyond run-to-run noise (about +-15 % here): p99 more than
# KEEP_P99 times the best, throughput under KEEP_THROUGHPUT times the best, or errors.
KEEP_P99 = 1.25
KEEP_THROUGHPUT = 0.85


def choose(medians: dict[str, Round]) -> str:
    best_p99 = min(m.p99_ms for m in medians.values())
    best_throughput = max(m.throughput for m in medians.values())
    fewest_errors = min(m.errors for m in medians.values())
    good_enough = [
        name
        for name, m in medians.items()
        if m.p99_ms <= KEEP_P99 * best_p99
        and m.throughput >= KEEP_THROUGHPUT * best_throughput
        and m.errors == fewest_errors
    ]
    return min(good_enough, key=lambda name: (VARIANTS[name][2], medians[name].p99_ms))


def layers(args: argparse.Namespace) -> None:
    """Alternating rounds of the four variants, SQLite and the in-memory layer."""
    rounds: dict[str, list[Round]] = {name: [] for name in VARIANTS}
    for number in range(1, args.rounds + 1):
        for name, (app, settings_module, _) in VARIANTS.items():
            env = {"DATABASE_URL": "", "REDIS_URL": "", "DJANGO_SETTINGS_MODULE": settings_module}
            with start_server(APP_PORT, env, app) as server:
                results = load(server, args, args.watchers)
                rounds[name].append(Round.of(results, server.peak_rss_mib()))
            print(f"round {number}, {name}: {rounds[name][-1].line()}", flush=True)
    medians = {name: median_of(found) for name, found in rounds.items()}
    best_p99 = min(m.p99_ms for m in medians.values())
    best_throughput = max(m.throughput for m in medians.values())
    print(
        f"\nmedians over {args.rounds} rounds, {args.runners} runners, "
        f"{args.concurrency} at a time, {args.watchers} watchers"
    )
    for name, median in medians.items():
        print(
            f"{name}: {median.line()} (p99 x{median.p99_ms / best_p99:.2f} of the best, "
            f"throughput x{median.throughput / best_throughput:.2f})"
        )
    print(
        f"choice (fewest hand-written layers within p99 x{KEEP_P99} and throughput "
        f"x{KEEP_THROUGHPUT} of the best, no more errors): {choose(medians)}"
    )


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
            rounds = []
            for number in range(1, args.rounds + 1):
                if number > 1:  # the same runners again, not 1,000 duplicates
                    psql("DELETE FROM attendance_attendance", PG_URL.rsplit("/", 1)[1])
                results = load(server, args, args.watchers)
                rss = sum(peak_rss_mib(p.pid) for p in servers)
                rounds.append(Round.of(results, rss))
                print(f"round {number}, two daphne + PostgreSQL + Redis: {rounds[-1].line()}")
                print("  " + results.report(None).replace("\n", "\n  "), flush=True)
        finally:
            for process in (balancer, *servers):
                stop(process)
    print(f"\nmedians over {args.rounds} rounds: {median_of(rounds).line()} (RSS: both processes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runners", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--watchers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--two-process", action="store_true")
    parser.add_argument("--layers", action="store_true", help="the hand-written layers' A/B")
    args = parser.parse_args()
    (two_process if args.two_process else layers if args.layers else compare)(args)


if __name__ == "__main__":
    main()
