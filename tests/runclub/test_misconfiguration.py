"""A misconfigured start stops in one line naming the setting and a fix, never a traceback:
under manage.py (the start command migrates first, and `check --deploy`), and under daphne."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import BASE_DIR, BIN_DIR, procfile_web_command, server_env

MISCONFIGURED = {
    "an unreadable value": ({"HTTPS": "ture"}, "HTTPS='ture' is not a boolean; use true or false."),
    "HTTPS without an https SITE_URL": (
        {"HTTPS": "true", "SITE_URL": "http://runclub.example.org"},
        "HTTPS=true but SITE_URL=http://runclub.example.org is not an https:// address, and "
        "QR codes would carry it: set SITE_URL=https://<your host name>.",
    ),
    "HTTPS without any SITE_URL": (
        {"HTTPS": "true"},
        "HTTPS=true but SITE_URL is not set (so http://127.0.0.1:8000) is not an https:// address",
    ),
    "SITE_URL's host not allowed": (
        {"SITE_URL": "https://runclub.example.org", "ALLOWED_HOSTS": "runclub.onrender.com"},
        "SITE_URL=https://runclub.example.org names runclub.example.org, which "
        "ALLOWED_HOSTS=runclub.onrender.com does not, so every visitor would get a 400: add "
        "runclub.example.org to ALLOWED_HOSTS (or leave ALLOWED_HOSTS unset).",
    ),
    "a database URL of no known kind": (
        {"DATABASE_URL": "postgress://u:secret@db:5432/runclub"},
        "DATABASE_URL is not a database URL (postgress); write it as "
        "postgres://user:password@host:5432/name.",
    ),
    "a Redis address without its scheme": (
        {"REDIS_URL": "localhost:6379"},
        "REDIS_URL='localhost:6379' is not a Redis URL; write it as redis://host:6379/0.",
    ),
    "an unknown log level": ({"LOG_LEVEL": "loud"}, "LOG_LEVEL='loud' must be one of"),
}


def started(
    command: list[str], data_dir: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in server_env(data_dir).items()
        if k not in {"SITE_URL", "ALLOWED_HOSTS", "PORT"}
    }
    return subprocess.run(
        command, cwd=BASE_DIR, capture_output=True,
        env={**base, "PATH": f"{BIN_DIR}:{base['PATH']}", "PORT": "8000", **env},
        text=True, timeout=120,
    )  # fmt: skip


def assert_one_line(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode == 1
    output = (result.stdout + result.stderr).strip().splitlines()
    assert len(output) == 1, output
    assert output[0].startswith("runclub cannot start: " + says)
    assert "secret" not in output[0]  # a database URL's password stays out of the log


@pytest.mark.parametrize("case", sorted(MISCONFIGURED))
def test_check_deploy_stops_in_one_line_naming_the_setting(tmp_path: Path, case: str) -> None:
    env, says = MISCONFIGURED[case]
    command = [sys.executable, "manage.py", "check", "--deploy"]
    assert_one_line(started(command, tmp_path, env), says)


@pytest.mark.parametrize("case", ["an unreadable value", "SITE_URL's host not allowed"])
def test_the_procfiles_start_stops_in_one_line(tmp_path: Path, case: str) -> None:
    env, says = MISCONFIGURED[case]
    assert_one_line(started(procfile_web_command(8000), tmp_path, env), says)


def test_daphne_alone_stops_in_one_line(tmp_path: Path) -> None:
    env, says = MISCONFIGURED["an unreadable value"]
    command = [sys.executable, "-m", "daphne", "-p", "8000", "runclub.asgi:application"]
    assert_one_line(started(command, tmp_path, env), says)


def test_a_data_dir_that_cannot_be_made_stops_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a file").write_text("")
    result = started(
        [sys.executable, "manage.py", "migrate"],
        tmp_path,
        {"DATA_DIR": str(tmp_path / "a file" / "data")},
    )
    assert_one_line(result, f"DATA_DIR='{tmp_path / 'a file' / 'data'}' cannot be made")


def test_allowed_hosts_may_name_the_host_by_its_domain(tmp_path: Path) -> None:
    env = {"SITE_URL": "https://runclub.example.org", "ALLOWED_HOSTS": ".example.org"}
    result = started([sys.executable, "manage.py", "check"], tmp_path, env)
    assert result.returncode == 0, result.stderr
