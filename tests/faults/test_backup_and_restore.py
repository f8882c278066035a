"""Backups on the default set-up: taken during a burst, restored, and by the server itself."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.faults.conftest import SERVER_PORT
from tests.faults.helpers import get, live_count_on_connect, until
from tests.phone import Phone
from tests.servers import BASE_DIR, Daphne

pytestmark = pytest.mark.slow

AT_ONCE = 12
BACKUP_AFTER = 20  # acknowledged check-ins before the backup starts
AT_LEAST = 60  # check-ins in all; runners keep coming until the backup is done
AT_MOST = 2000


def names_in(path: Path) -> list[str]:
    with sqlite3.connect(path) as database:
        return [n for (n,) in database.execute("SELECT runner_name FROM attendance_attendance")]


def test_a_backup_taken_during_a_burst_restores_to_a_working_site(
    server: Callable[..., Daphne],
) -> None:
    daphne = server()
    path, _ = daphne.add_run_day()
    daphne.start()
    acknowledged: list[str] = []
    before_backup: list[str] = []
    lock = threading.Lock()
    started, done = threading.Event(), threading.Event()
    backup_output: list[str] = []
    numbers = itertools.count()

    def take_backup() -> None:
        started.wait(60)
        backup_output.append(daphne.manage("backup"))
        done.set()

    def runners() -> None:
        while not (done.is_set() and len(acknowledged) >= AT_LEAST):
            i = next(numbers)
            assert i < AT_MOST, "the backup never finished"
            phone = Phone(daphne.port, source=f"127.6.{1 + i // 250}.{1 + i % 250}")
            phone.open_form(path)
            answer = phone.send_name(path, f"Runner {i}")
            assert answer.status == 200, answer.text
            with lock:
                acknowledged.append(f"Runner {i}")
                if len(acknowledged) == BACKUP_AFTER:
                    before_backup.extend(acknowledged)
                    started.set()

    backup = threading.Thread(target=take_backup)
    backup.start()
    with ThreadPoolExecutor(AT_ONCE) as pool:
        for worker in [pool.submit(runners) for _ in range(AT_ONCE)]:
            worker.result()
    backup.join(60)
    [copy] = (daphne.data_dir / "backups").glob("runclub-*Z.sqlite3")
    assert "integrity ok" in backup_output[0]
    in_copy = names_in(copy)
    assert len(in_copy) < len(acknowledged), "no check-in came after the copy: it proved nothing"

    # The restore in docs/operating.md: stop, restore (the database there is set aside), start.
    daphne.stop()
    output = run_as_documented(RESTORE, daphne, backup=copy)
    assert "Set the database that was there aside as runclub.sqlite3.before-restore-" in output
    daphne.start()

    with sqlite3.connect(daphne.database) as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    restored = names_in(daphne.database)
    assert set(before_backup) <= set(restored) <= set(acknowledged)
    assert len(restored) == len(set(restored))
    assert get(daphne.port, "/healthz").status == 200
    assert live_count_on_connect(daphne.port) == len(restored)
    # The restored site keeps the duplicate rule, and takes the check-ins it lost again.
    in_backup, lost = before_backup[0], sorted(set(acknowledged) - set(restored))[0]
    again = Phone(daphne.port, source="127.0.7.1")
    again.open_form(path)
    assert again.send_name(path, in_backup).status == 409
    assert again.send_name(path, lost).status == 200
    assert "Traceback" not in daphne.log()


def test_with_backup_daily_the_server_backs_itself_up(server: Callable[..., Daphne]) -> None:
    daphne = server(BACKUP_DAILY="true", LOG_LEVEL="INFO")
    daphne.add_run_day()
    daphne.start()
    backups = daphne.data_dir / "backups"
    # No copy from the last day: one is taken soon after the server starts.
    until(lambda: any(backups.glob("runclub-*Z.sqlite3")), 30)
    [copy] = backups.glob("runclub-*Z.sqlite3")
    with sqlite3.connect(copy) as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert database.execute("SELECT count(*) FROM calendar_app_run").fetchone() == (1,)
    assert until(lambda: "daily backup: Backed up to" in daphne.log(), 5) < 5


def test_health_check_says_503_when_the_database_is_gone_and_200_when_back(
    server: Callable[..., Daphne],
) -> None:
    daphne = server()
    daphne.start()
    assert get(daphne.port, "/healthz").status == 200
    aside = daphne.data_dir / "aside"
    aside.mkdir()
    for name in ("runclub.sqlite3", "runclub.sqlite3-wal", "runclub.sqlite3-shm"):
        if (daphne.data_dir / name).exists():
            (daphne.data_dir / name).rename(aside / name)
    answer = get(daphne.port, "/healthz")
    assert answer.status == 503
    assert answer.body == "no-database\n"
    for name in ("runclub.sqlite3-wal", "runclub.sqlite3-shm", "runclub.sqlite3"):
        (daphne.data_dir / name).unlink(missing_ok=True)
        if (aside / name).exists():
            (aside / name).rename(daphne.data_dir / name)
    assert get(daphne.port, "/healthz").status == 200


# docs/operating.md, "Restoring onto a fresh disk": the commands as the docs show them.
BACKUP = "python manage.py backup"
RESTORE = "python manage.py restore DATA_DIR/backups/runclub-YYYYMMDD-HHMMSSZ.sqlite3"
TOKEN_PATH = "from calendar_app.models import Run; print(Run.objects.get().token_path())"


def run_as_documented(command: str, daphne: Daphne, backup: Path | None = None) -> str:
    words = command.replace("python", sys.executable, 1).split()
    if backup is not None:
        words[-1] = str(backup)
    return subprocess.run(
        words, cwd=BASE_DIR, env=daphne.env, check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize(
    "keys",
    [{}, {"SECRET_KEY": "the-old-service's-key-" + "x" * 40}],
    ids=["generated key", "SECRET_KEY set, another on the new disk"],
)
def test_a_restore_onto_an_empty_disk_keeps_every_printed_link(
    tmp_path: Path, keys: dict[str, str]
) -> None:
    old = Daphne(tmp_path / "old-disk", SERVER_PORT, **keys)
    old.data_dir.mkdir()
    old.prepare()
    short_path, _ = old.add_run_day()
    token_path = old.manage("shell", "-c", TOKEN_PATH).strip().splitlines()[-1]
    try:
        old.start()
        phone = Phone(old.port)
        before = {path: phone.open_form(path) for path in (short_path, token_path)}
        assert [answer.status for answer in before.values()] == [200, 200]
        assert phone.send_name(short_path, "Ana Silva").status == 200
        run_as_documented(BACKUP, old)
    finally:
        old.stop()
    [copy] = (old.data_dir / "backups").glob("runclub-*Z.sqlite3")

    new_keys = {"SECRET_KEY": "the-new-service's-key-" + "y" * 40} if keys else {}
    new = Daphne(tmp_path / "new-disk", SERVER_PORT, **new_keys)
    new.data_dir.mkdir()
    output = run_as_documented(RESTORE, new, backup=copy)
    assert "old links work" in output
    try:
        new.start()  # the Procfile's web line: migrate, ensure_admin, daphne
        again = Phone(new.port)
        for path, answer in before.items():
            now = again.open_form(path)
            assert now.status == 200, (path, now.text[:200])
            assert now.text == answer.text
        assert again.send_name(token_path, "Ana Silva").status == 409  # her check-in is back
        assert again.send_name(short_path, "Ben Okafor").status == 200
    finally:
        new.stop()
