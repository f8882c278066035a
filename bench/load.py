"""Load benchmark: runners checking in while watchers follow the live count.

By default it starts the real server the way the Procfile does (daphne, SQLite in a fresh
DATA_DIR, migrated, with today's run from ``add_run_day today``), then sends ``--runners``
runners, ``--concurrency`` at a time. Each runner has its own cookies and its own loopback
source address (127.0.x.y), fetches the form and posts a name, while ``--watchers`` watchers
listen on /ws/live/. It prints check-ins per second, POST latency, errors, how long after the
last check-in the slowest watcher shows the exact final count, and the server's peak RSS.

    python -m bench.load                                  # start a server, default load
    python -m bench.load --runners 200 --watchers 10      # smaller
    python -m bench.load --server-env REDIS_URL=redis://127.0.0.1:6379/3
    python -m bench.load --base-url http://127.0.0.1:8000 --checkin-url <printed URL>

``start_server`` and ``run_load`` are meant to be reused by other scenarios.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.results import record

ROOT = Path(__file__).resolve().parent.parent
COUNT = re.compile(r'id="attendance-count">(\d+)<')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_id" value="([^"]+)"')


@dataclass
class Server:
    base_url: str
    checkin_url: str
    pid: int | None = None
    data_dir: str | None = None

    def peak_rss_mib(self) -> float | None:
        """The server's peak resident memory so far (Linux VmHWM)."""
        if self.pid is None:
            return None
        status = Path(f"/proc/{self.pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_static_collected: list[bool] = []


def prepare_site(env: dict[str, str]) -> str:
    """Migrate and collect static files for ``env``, open today's run; its check-in URL."""

    def manage(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--noinput")
    if not _static_collected:
        # Into the checkout's STATIC_ROOT, the same for every server: once per benchmark
        # process is enough (compressing every file again takes about a minute).
        manage("collectstatic", "--noinput", "--verbosity", "0")
        _static_collected.append(True)
    return manage("add_run_day", "today").strip().splitlines()[-1]


@contextlib.contextmanager
def start_server(
    port: int = 0,
    env: dict[str, str] | None = None,
    app: str = "runclub.asgi:application",
    launcher: Sequence[str] = (),
) -> Iterator[Server]:
    """Migrate a fresh DATA_DIR, add today's run and serve ``app`` with daphne; stop it after.

    ``launcher``: a command daphne runs under (valgrind, say); its PID is the server's.
    """
    port = port or free_port()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="runclub-bench-") as data_dir:
        server_env = {
            **os.environ,
            "DATA_DIR": data_dir,
            "PORT": str(port),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }

        checkin_url = prepare_site(server_env)
        log = open(Path(data_dir) / "daphne.log", "w")
        daphne = subprocess.Popen(
            [*launcher, python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app],
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, 300 if launcher else 30)
            yield Server(f"http://127.0.0.1:{port}", checkin_url, daphne.pid, data_dir)
        finally:
            daphne.terminate()
            try:
                daphne.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daphne.kill()
                daphne.wait()
            log.close()


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"the server did not listen on port {port} within {timeout} s")


def source_address(i: int) -> str:
    """A distinct loopback address per runner, as phones on a campus network would be."""
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


@dataclass
class Watcher:
    seen: list[tuple[float, int]] = field(default_factory=list)  # (when, count shown)

    def settled_at(self, final: int) -> float | None:
        """When this watcher started showing ``final`` and kept showing it."""
        settled = None
        for when, count in self.seen:
            if count == final:
                settled = settled or when
            else:
                settled = None
        return settled


@dataclass
class Results:
    runners: int
    checked_in: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    post_seconds: list[float] = field(default_factory=list)
    first_start: float = 0.0
    last_done: float = 0.0
    watchers: list[Watcher] = field(default_factory=list)
    final_count: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def watcher_lags(self) -> list[float | None]:
        lags: list[float | None] = []
        for watcher in self.watchers:
            settled = watcher.settled_at(self.final_count)
            # Negative when the watcher had it before the last runner's page arrived.
            lags.append(None if settled is None else settled - self.last_done)
        return lags

    def report(self, peak_rss_mib: float | None) -> str:
        elapsed = self.last_done - self.first_start
        posts = sorted(self.post_seconds)
        lags = self.watcher_lags()
        exact = [lag for lag in lags if lag is not None]
        lines = [
            f"runners: {self.runners}, checked in: {self.checked_in}, final count: "
            f"{self.final_count}",
            f"check-ins per second: {self.checked_in / max(elapsed, 1e-9):.1f} "
            f"({elapsed:.2f} s in all)",
            (
                f"POST latency: p50 {percentile(posts, 50) * 1000:.0f} ms, "
                f"p99 {percentile(posts, 99) * 1000:.0f} ms, max {posts[-1] * 1000:.0f} ms"
                if posts
                else "POST latency: no check-in succeeded"
            ),
            "errors: " + (", ".join(f"{k} x{v}" for k, v in sorted(self.errors.items())) or "none"),
            f"watchers showing the exact final count: {len(exact)} of {len(lags)}",
        ]
        if len(exact) < len(lags):
            last = sorted(w.seen[-1][1] for w in self.watchers if w.seen)
            received = sorted(len(w.seen) for w in self.watchers)
            lines.append(
                f"  last counts shown: {last[0]}..{last[-1]}; "
                f"messages per watcher: {received[0]}..{received[-1]}"
            )
        if exact:
            lines.append(
                "exact final count, after the last check-in's response: slowest watcher "
                f"{round(max(exact) * 1000):+d} ms, "
                f"median {round(statistics.median(exact) * 1000):+d} ms"
            )
        if peak_rss_mib is not None:
            lines.append(f"server peak RSS: {peak_rss_mib:.0f} MiB")
        return "\n".join(lines)


def percentile(ordered: list[float], pct: float) -> float:
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


async def watch(ws_url: str, origin: str, watcher: Watcher, ready: asyncio.Event) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url, origin=origin) as ws:
        async for message in ws:
            match = COUNT.search(message.data)
            if match:
                watcher.seen.append((time.monotonic(), int(match.group(1))))
                ready.set()


async def check_in(i: int, checkin_url: str, results: Results) -> None:
    connector = aiohttp.TCPConnector(local_addr=(source_address(i), 0))
    # unsafe: keep cookies for an IP-address host, as a browser does.
    jar = aiohttp.CookieJar(unsafe=True)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar, timeout=timeout) as s:
        try:
            async with s.get(checkin_url) as response:
                page = await response.text()
            if response.status != 200:
                results.error(f"GET {response.status}")
                return
            csrf, submission = CSRF.search(page), SUBMISSION.search(page)
            form = {
                "csrfmiddlewaretoken": csrf.group(1) if csrf else "",
                "submission_id": submission.group(1) if submission else str(uuid.uuid4()),
                "runner_name": f"Bench Runner {i}",
            }
            started = time.monotonic()
            async with s.post(checkin_url, data=form) as response:
                await response.read()
            done = time.monotonic()
        except (aiohttp.ClientError, TimeoutError) as error:
            results.error(type(error).__name__)
            return
    if response.status != 200:
        results.error(f"POST {response.status}")
        return
    results.checked_in += 1
    results.post_seconds.append(done - started)
    results.last_done = max(results.last_done, done)


async def run_load(
    server: Server,
    runners: int = 1000,
    concurrency: int = 100,
    watchers: int = 50,
    settle_timeout: float = 10.0,
    first: int = 0,
) -> Results:
    """``runners`` runners numbered from ``first`` (names, addresses), ``concurrency`` at once."""
    results = Results(runners)
    ws_url = server.base_url.replace("http", "ws", 1) + "/ws/live/"
    readies = [asyncio.Event() for _ in range(watchers)]
    results.watchers = [Watcher() for _ in range(watchers)]
    watching = [
        asyncio.create_task(watch(ws_url, server.base_url, watcher, ready))
        for watcher, ready in zip(results.watchers, readies, strict=True)
    ]
    await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), 30)
    initial = results.watchers[0].seen[-1][1] if watchers else 0

    gate = asyncio.Semaphore(concurrency)

    async def runner(i: int) -> None:
        async with gate:
            await check_in(i, server.checkin_url, results)

    results.first_start = time.monotonic()
    await asyncio.gather(*(runner(i) for i in range(first, first + runners)))
    results.final_count = initial + results.checked_in

    deadline = time.monotonic() + settle_timeout
    while time.monotonic() < deadline:
        if all(w.seen and w.seen[-1][1] == results.final_count for w in results.watchers):
            break
        await asyncio.sleep(0.05)
    for task in watching:
        task.cancel()
    await asyncio.gather(*watching, return_exceptions=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runners", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--watchers", type=int, default=50)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 0)))
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the server it starts (e.g. REDIS_URL, DATABASE_URL)",
    )
    parser.add_argument("--base-url", help="use a running server instead of starting one")
    parser.add_argument("--checkin-url", help="with --base-url: today's check-in URL")
    args = parser.parse_args()

    server_context: contextlib.AbstractContextManager[Server]
    if args.base_url:
        if not args.checkin_url:
            parser.error("--base-url needs --checkin-url (add_run_day prints it)")
        server_context = contextlib.nullcontext(Server(args.base_url, args.checkin_url))
    else:
        env = dict(item.split("=", 1) for item in args.server_env)
        server_context = start_server(args.port, env)
    with server_context as server:
        print(
            f"{args.runners} runners, {args.concurrency} at a time, "
            f"{args.watchers} watchers on {server.base_url}/ws/live/",
            flush=True,
        )
        results = asyncio.run(run_load(server, args.runners, args.concurrency, args.watchers))
        print(results.report(server.peak_rss_mib()))
    lags = results.watcher_lags()
    exact = [lag for lag in lags if lag is not None]
    record(
        "load",
        {
            "watchers": len(lags),
            "watchers_exact": len(exact),
            "slowest_watcher_s": max(exact) if exact else None,
            "errors": sum(results.errors.values()),
        },
    )


if __name__ == "__main__":
    main()
