"""Real servers on loopback for the slow tests: daphne (as the Procfile starts it) and Redis.

Each server gets its own temporary DATA_DIR and a port from the caller. A stray
DATABASE_URL or REDIS_URL in the developer's environment never reaches a server
unless the test passes it on.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
_collected_static = False


def procfile_web_command(port: int) -> list[str]:
    """The Procfile's ``web:`` line as the platform runs it (through a shell: it migrates,
    makes sure of the admin, then ``exec``s daphne), with $PORT filled in, bound to
    loopback only.

    Tests must not listen beyond 127.0.0.1; everything else is exactly what the
    platform runs. After ``exec`` the shell's process is daphne's, so a signal to it
    reaches the server.
    """
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            command = line.removeprefix("web:").strip().replace("$PORT", str(port))
            return ["sh", "-c", command.replace("-b 0.0.0.0", "-b 127.0.0.1")]
    raise RuntimeError("the Procfile has no web: line")


def wait_for_port(port: int, host: str = "127.0.0.1", timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout} s")


class Daphne:
    """The app served by daphne on ``port``, with its data in ``data_dir``."""

    def __init__(self, data_dir: Path, port: int, **env: str) -> None:
        self.data_dir = data_dir
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.env = {name: os.environ[name] for name in _INHERITED if name in os.environ}
        self.env.update(
            {
                "PATH": f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}",
                "DATA_DIR": str(data_dir),
                "PORT": str(port),
                "SITE_URL": self.base_url,
                "DJANGO_SETTINGS_MODULE": "runclub.settings",
                "PYTHONUNBUFFERED": "1",
                "LOG_LEVEL": "WARNING",
            }
        )
        self.env.update(env)
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / f"daphne-{port}.log"

    @property
    def database(self) -> Path:
        return self.data_dir / "runclub.sqlite3"

    def manage(self, *args: str) -> str:
        return manage(self.env, *args)

    def prepare(self) -> None:
        """What the Procfile's release step and `make run` do before serving."""
        global _collected_static
        self.manage("migrate", "--noinput")
        if not _collected_static:
            self.manage("collectstatic", "--noinput", "--verbosity", "0")
            _collected_static = True

    def add_run_day(self) -> tuple[str, str]:
        """Open today for check-in; return (check-in path, QR page path)."""
        output = self.manage("add_run_day", "today").splitlines()
        qr_url = next(line for line in output if line.startswith("QR code page"))
        return (
            output[-1].removeprefix(self.base_url),
            re.sub(r"^.*?https?://[^/]+", "", qr_url),
        )

    def start(self) -> Daphne:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            procfile_web_command(self.port),
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        # Migrating and making sure of the admin come first, each its own Python.
        wait_for_port(self.port, timeout=90)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing, as when a machine dies."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class PrivateRedis:
    """A throw-away redis-server on its own port, so stopping it harms no one."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a server gets: SQLite in ``data_dir`` unless ``extra`` says otherwise."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return {**env, "DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", **extra}


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@contextlib.contextmanager
def running(command: list[str], port: int, env: dict[str, str], log: Path) -> Iterator[None]:
    """Run ``command`` until the block ends; it must listen on ``port``."""
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
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
