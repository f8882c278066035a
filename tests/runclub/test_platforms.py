"""Every deploy file's start command ends with a way in: run verbatim on an empty disk, it
migrates, makes sure of the admin and serves, and the admin logs in."""

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
from tests.first_login import first_log_in
from tests.ports import port
from tests.servers import BASE_DIR, server_env


def procfile() -> dict[str, str]:
    lines = (BASE_DIR / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line)


def render_service() -> dict[str, object]:
    [service] = yaml.safe_load((BASE_DIR / "render.yaml").read_text())["services"]
    return service


def railway() -> dict[str, dict[str, object]]:
    return json.loads((BASE_DIR / "railway.json").read_text())


def railway_deploy() -> dict[str, object]:
    return railway()["deploy"]


START_COMMANDS = {
    "Procfile": procfile()["web"],
    "render.yaml": str(render_service()["startCommand"]),
    "railway.json": str(railway_deploy()["startCommand"]),
}
# What each platform runs before starting. Railway's builder installs the requirements
# itself before its buildCommand; Heroku-style Procfile hosts run collectstatic themselves.
BUILD_COMMANDS = {
    "Procfile": "python manage.py collectstatic --noinput",
    "render.yaml": str(render_service()["buildCommand"]),
    "railway.json": str(railway()["build"]["buildCommand"]),
}


def test_the_procfile_starts_by_migrating_and_making_sure_of_the_admin() -> None:
    steps = [step.strip() for step in procfile()["web"].split("&&")]
    assert steps[:2] == ["python manage.py migrate --noinput", "python manage.py ensure_admin"]
    # exec: the platform's stop signal reaches daphne, not a shell that ignores it.
    assert steps[2].startswith("exec daphne -b 0.0.0.0 -p $PORT -v 0 ")  # -v 0: requestlog
    assert set(procfile()) == {"web"}  # no release phase doing half of it elsewhere


@pytest.mark.parametrize("deploy_file", ["render.yaml", "railway.json"])
def test_the_platforms_start_the_procfiles_web_line_word_for_word(deploy_file: str) -> None:
    # Both mount the disk only for the service itself, not for a pre-deploy step.
    assert START_COMMANDS[deploy_file] == procfile()["web"]


def test_render_checks_health_on_its_disk() -> None:
    service = render_service()
    assert service["healthCheckPath"] == "/healthz"
    env = {var["key"]: var for var in service["envVars"]}  # type: ignore[attr-defined]
    assert env["DATA_DIR"]["value"] == service["disk"]["mountPath"]  # type: ignore[index]
    assert env["SECRET_KEY"] == {"key": "SECRET_KEY", "generateValue": True}
    assert env["BACKUP_DAILY"]["value"] == "true"
    assert {"ADMIN_USERNAME", "ADMIN_PASSWORD"} <= set(env)
    assert service["numInstances"] == 1


def test_railway_checks_health_with_one_replica() -> None:
    deploy = railway_deploy()
    assert deploy["healthcheckPath"] == "/healthz"
    assert "preDeployCommand" not in deploy  # it would migrate a copy without the volume
    assert deploy["numReplicas"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("deploy_file", sorted(START_COMMANDS))
def test_each_start_command_on_an_empty_disk_ends_with_a_way_in(
    deploy_file: str, tmp_path: Path
) -> None:
    listen = port(18630)
    disk = tmp_path / "disk"
    disk.mkdir()
    env = {
        **server_env(disk),
        "PORT": str(listen),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "ADMIN_USERNAME": "captain",
        "ADMIN_PASSWORD": "a long first password",
        "ADMIN_2FA": "required",
    }
    log = tmp_path / "start.log"
    with log.open("wb") as output:
        subprocess.run(
            ["sh", "-c", BUILD_COMMANDS[deploy_file]],
            cwd=BASE_DIR,
            env={**env, "DATA_DIR": str(tmp_path / "build")},
            stdout=output,
            stderr=subprocess.STDOUT,
            check=True,
        )
    # As the platform runs it, through a shell; bound to loopback here.
    command = START_COMMANDS[deploy_file].replace("-b 0.0.0.0", "-b 127.0.0.1")
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["sh", "-c", command],
            cwd=BASE_DIR,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        until(lambda: _answers(listen), 90)
        assert get(listen, "/healthz").body == "ok\n"
        assert (disk / "runclub.sqlite3").exists()
        _, today = first_log_in(listen, "captain", "a long first password")
        assert today.status == 200 and "Coming up" in today.text
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
    assert "Created admin account 'captain'" in log.read_text()


def _answers(listen: int) -> bool:
    try:
        return get(listen, "/healthz").status == 200
    except OSError:
        return False
