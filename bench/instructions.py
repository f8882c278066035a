"""Instructions the server executes per runner, counted by valgrind's callgrind.

Times and even CPU seconds move with whatever else the machine runs; the count of
instructions a server executes for the same requests barely does. So a change meant to
save CPU is judged here on a busy machine. Each server starts under callgrind with its
counting off (daphne as ``bench.compare`` serves it: a fresh DATA_DIR, SQLite, WAL,
synchronous=FULL), takes a warm-up of 20 runners, then counting goes on for ``--runners``
runners, ``--concurrency`` at a time (each GETs the form and POSTs a name), every thread
of the process counted: daphne's event loop, the request threads, the live announcement.

    python -m bench.instructions                          # the app and bare Django
    python -m bench.instructions --servers app --runners 200

It prints millions of instructions per runner. valgrind runs one thread at a time and
some 50 times slower, so a burst here does not wait as on a real host: these are the
instructions of the work, not of waiting (a GIL handed round many threads costs more on
real cores). Needs valgrind (Debian: apt-get install valgrind).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.compare import VARIANTS, WARM_UP, serve
from bench.load import run_load
from bench.results import record

TOTALS = re.compile(r"^totals:\s+(\d+)", re.MULTILINE)


def callgrind(pid: int, *args: str) -> None:
    subprocess.run(["callgrind_control", *args, str(pid)], check=True, capture_output=True)


def count(name: str, runners: int, concurrency: int, out: Path) -> float:
    """Millions of instructions per runner for server ``name``."""
    launcher = [
        *("valgrind", "--tool=callgrind", "--instr-atstart=no"),
        f"--callgrind-out-file={out}/{name}.%p",
    ]
    with serve(VARIANTS[name], launcher) as server:
        assert server.pid is not None
        asyncio.run(run_load(server, WARM_UP, WARM_UP, 0))
        callgrind(server.pid, "--instr=on")
        callgrind(server.pid, "--zero")
        results = asyncio.run(run_load(server, runners, concurrency, 0, first=WARM_UP))
        callgrind(server.pid, "--dump=runners")
        if results.errors:
            print(f"  {name}: errors {results.errors}", file=sys.stderr)
        for _ in range(100):  # the dump is written by the server's process
            dumps = sorted(out.glob(f"{name}.{server.pid}.*"))
            if dumps and TOTALS.search(dumps[-1].read_text()):
                break
            time.sleep(0.1)
    found = TOTALS.search(dumps[-1].read_text())
    assert found, f"no totals in {dumps[-1]}"
    return int(found.group(1)) / runners / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", default="app,bare")
    parser.add_argument("--runners", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep callgrind's files there (callgrind_annotate)"
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed: apt-get install valgrind")
    per_runner = {}
    with tempfile.TemporaryDirectory(prefix="runclub-callgrind-") as scratch:
        out = args.keep or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        for name in args.servers.split(","):
            per_runner[name] = count(name, args.runners, args.concurrency, out)
            print(
                f"{name}: {per_runner[name]:.1f} million instructions per runner "
                f"({args.runners} runners, {args.concurrency} at a time)",
                flush=True,
            )
    if "app" in per_runner and "bare" in per_runner:
        print(f"app/bare: {per_runner['app'] / per_runner['bare']:.2f}")
    record("instructions", {"per_runner_millions": per_runner})


if __name__ == "__main__":
    main()
