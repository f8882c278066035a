"""The README's commands as a newcomer runs them: in another shell, on the default set-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def manage(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``.venv/bin/python manage.py ...`` with nothing set but DATA_DIR (and ``env``)."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "PORT", "SITE_URL", "DATA_DIR"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**inherited, "DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command", [["add_run_day", "today"], ["seed_demo", "--years", "1"], ["ensure_admin"]]
)
def test_on_a_database_never_migrated_it_says_what_to_do_in_one_line(tmp_path, command) -> None:
    result = manage(tmp_path, *command)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: The database ({tmp_path / 'runclub.sqlite3'}) has not been set up yet: "
        "run `.venv/bin/python manage.py migrate` (or `make run`) first."
    ]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("migrated")
    assert manage(data_dir, "migrate", "--noinput").returncode == 0
    return data_dir


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_links_go_to_the_port_make_run_serves_on(migrated: Path) -> None:
    (migrated / "port").write_text("8010\n")  # what `PORT=8010 make run` leaves behind
    try:
        assert last_line(manage(migrated, "add_run_day")).startswith("http://127.0.0.1:8010/")
    finally:
        (migrated / "port").unlink()
    assert last_line(manage(migrated, "add_run_day")).startswith("http://127.0.0.1:8000/")


def test_port_and_site_url_come_first(migrated: Path) -> None:
    (migrated / "port").write_text("8010\n")
    try:
        line = last_line(manage(migrated, "add_run_day", PORT="9001"))
        assert line.startswith("http://127.0.0.1:9001/")
        line = last_line(manage(migrated, "add_run_day", SITE_URL="https://run.example.org"))
        assert line.startswith("https://run.example.org/")
    finally:
        (migrated / "port").unlink()


def test_make_run_notes_the_port_it_serves_on() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=9000"], cwd=BASE_DIR, capture_output=True, text=True
    ).stdout
    assert 'echo 9000 > "${DATA_DIR:-var}/port"' in dry_run
