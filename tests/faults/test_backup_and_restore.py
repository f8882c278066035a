"""Backups on the default set-up: taken during a burst, restored, and by the server itself."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.faults.helpers import get, live_count_on_connect, until
from tests.phone import Phone
from tests.servers import Daphne

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

    # The restore in docs/operating.md: stop, copy back, drop the WAL files, migrate, start.
    daphne.stop()
    shutil.copy(copy, daphne.database)
    for suffix in ("-wal", "-shm"):
        Path(f"{daphne.database}{suffix}").unlink(missing_ok=True)
    daphne.manage("migrate", "--noinput")
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
