"""Real daphne servers on loopback, for the slow tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a server gets: SQLite in ``data_dir`` unless ``extra`` says otherwise."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return {**env, "DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", **extra}


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s")


@contextlib.contextmanager
def running(command: list[str], port: int, env: dict[str, str], log: Path) -> Iterator[None]:
    """Run ``command`` until the block ends; it must listen on ``port``."""
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def daphne(port: int, env: dict[str, str], log: Path) -> contextlib.AbstractContextManager[None]:
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    return running([*command, "runclub.asgi:application"], port, env, log)


def redis_server(port: int, log: Path) -> contextlib.AbstractContextManager[None]:
    """A private, throw-away Redis: nothing saved, only on loopback."""
    command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port)]
    return running([*command, "--save", "", "--appendonly", "no"], port, dict(os.environ), log)
