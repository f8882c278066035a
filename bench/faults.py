"""What a runner and a committee member wait for while something is wrong.

    python -m bench.faults              # every scenario below, printing figures
    python -m bench.faults --repeat 3   # fewer samples per figure

- A held write lock: another process holds SQLite's write lock while a dozen
  check-ins wait. Prints the reads' latency (form, live page, API, stylesheet, health
  check, WebSocket connect) and how long the writers waited before "send it again",
  for the app as shipped and for stock Django (both hand-written layers off).
- Redis hung (SIGSTOP): check-in and page latency with a private redis-server that
  takes connections and never answers.
- A huge body: the server's resident memory before and after one 100 MiB POST.

Servers start as the Procfile does (daphne, a fresh DATA_DIR, today's run), on this
project's benchmark ports (18670-18679, shifted by RUNCLUB_PORT_OFFSET).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench.compare import VARIANTS
from bench.load import start_server, wait_for_port
from bench.results import record
from tests.faults.helpers import get, live_count_on_connect, stylesheet, timed
from tests.phone import Phone

_OFFSET = int(os.environ.get("RUNCLUB_PORT_OFFSET", "0"))
PORT = 18670 + _OFFSET
REDIS_PORT = 18671 + _OFFSET
BUSY_TIMEOUT = 10
WRITERS = 12


def port_of(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms (max {max(samples) * 1000:.0f})"


def reads(port: int, path: str, repeat: int) -> dict[str, list[float]]:
    css = stylesheet(get(port, path))
    probes: dict[str, Callable[[], object]] = {
        "check-in form": lambda: get(port, path),
        "live page": lambda: get(port, "/live/"),
        "API read": lambda: get(port, "/api/attendance/today"),
        "stylesheet": lambda: get(port, css),
        "health check": lambda: get(port, "/healthz"),
        "WebSocket connect": lambda: live_count_on_connect(port),
    }
    return {name: [timed(probe)[0] for _ in range(repeat)] for name, probe in probes.items()}


def send_timed(phone: Phone, path: str, name: str) -> float:
    """Seconds until the runner's phone has its answer (the form was opened before)."""
    return timed(lambda: phone.send_name(path, name))[0]


def held_lock(repeat: int) -> None:
    print(f"\n== write lock held by another process, {WRITERS} check-ins waiting")
    print(f"   SQLITE_BUSY_TIMEOUT={BUSY_TIMEOUT}; reads: median of {repeat} (max)")
    for name in ("app", "stock"):
        figures, waited = held_lock_once(name, repeat)
        print(f"{VARIANTS[name].label}:")
        for read, samples in figures.items():
            print(f"  {read}: {median_ms(samples)}")
        print(f"  writers told to send again after: {min(waited):.1f} to {max(waited):.1f} s")
        if name == "app":
            record(
                "held_lock",
                {
                    "busy_timeout_s": BUSY_TIMEOUT,
                    "slowest_read_s": max(max(samples) for samples in figures.values()),
                    "longest_writer_wait_s": max(waited),
                    "writers_answered": len(waited),
                    "writers": WRITERS,
                },
            )


def held_lock_once(name: str, repeat: int) -> tuple[dict[str, list[float]], list[float]]:
    variant = VARIANTS[name]
    env = {
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": variant.settings,
        **variant.env,
        "SQLITE_BUSY_TIMEOUT": str(BUSY_TIMEOUT),
    }
    with start_server(PORT, env, variant.app) as server:
        port, path = port_of(server.base_url), path_of(server.checkin_url)
        phones = [Phone(port, source=f"127.0.8.{i + 1}") for i in range(WRITERS)]
        for phone in phones:
            phone.open_form(path)
        waited: list[float] = []
        threads = [
            threading.Thread(
                target=lambda p=phone, i=i: waited.append(send_timed(p, path, f"R{i}"))
            )
            for i, phone in enumerate(phones)
        ]
        other = sqlite3.connect(
            Path(str(server.data_dir)) / "runclub.sqlite3", isolation_level=None
        )
        other.execute("BEGIN IMMEDIATE")
        try:
            for thread in threads:
                thread.start()
            time.sleep(1)
            figures = reads(port, path, repeat)
            for thread in threads:
                thread.join(BUSY_TIMEOUT * 4)
        finally:
            other.rollback()
            other.close()
    return figures, waited


def redis_hung(repeat: int) -> None:
    print("\n== Redis hung (SIGSTOP), REDIS_URL set; the app as shipped")
    with tempfile.TemporaryDirectory() as scratch:
        redis = subprocess.Popen(
            [
                *("redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", scratch),
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for_port(REDIS_PORT)
            env = {"DATABASE_URL": "", "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0"}
            with start_server(PORT, env) as server:
                port, path = port_of(server.base_url), path_of(server.checkin_url)
                redis.send_signal(signal.SIGSTOP)
                try:
                    samples = []
                    for i in range(repeat * 4):
                        phone = Phone(port, source=f"127.0.9.{i + 1}")
                        phone.open_form(path)
                        samples.append(send_timed(phone, path, f"Hung {i}"))
                    pages = [timed(lambda: get(port, "/live/"))[0] for _ in range(repeat)]
                finally:
                    redis.send_signal(signal.SIGCONT)
            print(f"  check-in POST: {median_ms(samples)}")
            print(f"  live page: {median_ms(pages)}")
        finally:
            redis.kill()
            redis.wait()


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def huge_body() -> None:
    size = 100 * 1024 * 1024
    print(f"\n== one POST of {size // 1024 // 1024} MiB to the check-in form; the app as shipped")
    with start_server(PORT, {"DATABASE_URL": "", "REDIS_URL": ""}) as server:
        assert server.pid is not None
        port, path = port_of(server.base_url), path_of(server.checkin_url)
        get(port, path)
        before = rss_mib(server.pid)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(size))
        connection.endheaders()
        chunk = b"a" * (1024 * 1024)
        try:
            for _ in range(size // len(chunk)):
                connection.send(chunk)
            status = connection.getresponse().status
        except OSError as error:
            status = f"connection closed ({error})"  # type: ignore[assignment]
        connection.close()
        time.sleep(1)
        after = rss_mib(server.pid)
        alive = get(port, "/healthz").status
    print(f"  answer: {status}; server RSS {before:.0f} -> {after:.0f} MiB; then /healthz {alive}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="samples per read figure")
    args = parser.parse_args()
    held_lock(args.repeat)
    redis_hung(args.repeat)
    huge_body()


if __name__ == "__main__":
    main()
