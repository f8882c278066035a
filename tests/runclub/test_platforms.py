"""Render's Blueprint and Railway's config start what the Procfile starts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.faults.helpers import get, until
from tests.ports import port
from tests.servers import BASE_DIR, server_env

PROCFILE = dict(
    line.split(": ", 1) for line in (BASE_DIR / "Procfile").read_text().splitlines() if line
)
# Both platforms mount the disk only for the service itself, not for a pre-deploy step:
# so the start command migrates (the Procfile's release line), then serves (its web line).
START = f"{PROCFILE['release']} && {PROCFILE['web']}"


def render_service() -> dict[str, object]:
    [service] = yaml.safe_load((BASE_DIR / "render.yaml").read_text())["services"]
    return service


def railway_deploy() -> dict[str, object]:
    return json.loads((BASE_DIR / "railway.json").read_text())["deploy"]


def test_render_starts_the_procfiles_commands_on_its_disk() -> None:
    service = render_service()
    assert service["startCommand"] == START
    assert service["healthCheckPath"] == "/healthz"
    env = {var["key"]: var for var in service["envVars"]}  # type: ignore[attr-defined]
    assert env["DATA_DIR"]["value"] == service["disk"]["mountPath"]  # type: ignore[index]
    assert env["SECRET_KEY"] == {"key": "SECRET_KEY", "generateValue": True}
    assert env["BACKUP_DAILY"]["value"] == "true"
    assert service["numInstances"] == 1


def test_railway_starts_the_procfiles_commands() -> None:
    deploy = railway_deploy()
    assert deploy["startCommand"] == START
    assert deploy["healthcheckPath"] == "/healthz"
    assert "preDeployCommand" not in deploy  # it would migrate a copy without the volume
    assert deploy["numReplicas"] == 1


@pytest.mark.slow
def test_the_platforms_start_command_migrates_a_fresh_disk_and_serves(tmp_path: Path) -> None:
    listen = port(18630)
    env = {
        **server_env(tmp_path / "disk"),
        "PORT": str(listen),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    (tmp_path / "disk").mkdir()
    # As the platform runs it, through a shell; bound to loopback here.
    command = START.replace("0.0.0.0", "127.0.0.1")
    process = subprocess.Popen(
        ["sh", "-c", command],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        until(lambda: _answers(listen), 60)
        assert get(listen, "/healthz").body == "ok\n"
        assert (tmp_path / "disk" / "runclub.sqlite3").exists()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


def _answers(listen: int) -> bool:
    try:
        return get(listen, "/healthz").status == 200
    except OSError:
        return False
