"""python manage.py backup: a consistent, checked copy of SQLite while the app runs."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from runclub.lib.backup import KEYS_TABLE, BackupFailed, backup_sqlite, newest, restore_sqlite
from tests.factories import RunFactory
from tests.servers import BASE_DIR, server_env

UTC = dt.UTC


def make_database(path: Path, rows: int = 0) -> Path:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE checkins (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    db.executemany("INSERT INTO checkins (name) VALUES (?)", [(f"R{i}",) for i in range(rows)])
    db.close()
    return path


def rows_in(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM checkins").fetchone()[0]


def run_make_run_style(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """manage.py in a fresh DATA_DIR with the settings `make run` uses (no DATABASE_URL)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**server_env(data_dir), "LOG_LEVEL": "ERROR", **env},
        capture_output=True,
        text=True,
    )


def test_it_backs_up_the_default_set_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_make_run_style(data, "migrate", "--noinput").returncode == 0
    assert run_make_run_style(data, "add_run_day", "2026-09-30").returncode == 0
    done = run_make_run_style(data, "backup")
    assert done.returncode == 0, done.stderr
    [copy] = (data / "backups").glob("runclub-*Z.sqlite3")
    assert f"Backed up to {copy}" in done.stdout
    assert "integrity ok" in done.stdout
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT date FROM calendar_app_run").fetchall() == [("2026-09-30",)]
        # One self-contained file: no -wal beside it is needed to restore.
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_on_postgresql_it_points_to_pg_dump(tmp_path: Path) -> None:
    # Refused before any connection: the database need not exist.
    url = "postgres://postgres@127.0.0.1:5432/runclub_no_such_database"
    done = run_make_run_style(tmp_path, "backup", DATABASE_URL=url)
    assert done.returncode == 1
    assert "pg_dump" in done.stderr
    assert not (tmp_path / "backups").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the suite runs on PostgreSQL here")
@pytest.mark.django_db(transaction=True)
def test_it_copies_the_database_the_app_is_using(tmp_path: Path) -> None:
    RunFactory(date=dt.date(2026, 10, 1))
    out = StringIO()
    call_command("backup", "--dir", str(tmp_path / "b"), stdout=out)
    [copy] = (tmp_path / "b").glob("runclub-*Z.sqlite3")
    assert f"Backed up to {copy}" in out.getvalue()
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT date FROM calendar_app_run").fetchall() == [("2026-10-01",)]


def test_it_keeps_only_the_newest_copies(tmp_path: Path) -> None:
    database = make_database(tmp_path / "db.sqlite3", rows=1)
    start = dt.datetime(2026, 9, 1, 18, 0, tzinfo=UTC)
    for day in range(5):
        result = backup_sqlite(database, tmp_path / "b", keep=3, now=start + dt.timedelta(days=day))
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "runclub-20260903-180000Z.sqlite3",
        "runclub-20260904-180000Z.sqlite3",
        "runclub-20260905-180000Z.sqlite3",
    ]
    assert [p.name for p in result.removed] == ["runclub-20260902-180000Z.sqlite3"]


def test_a_backup_taken_while_another_connection_writes_is_consistent(tmp_path: Path) -> None:
    database = make_database(tmp_path / "db.sqlite3", rows=1000)
    stop = threading.Event()
    written = [0]

    def runners_keep_checking_in() -> None:
        db = sqlite3.connect(database, isolation_level=None, timeout=10)
        while not stop.is_set():
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO checkins (name) VALUES (?)", [("x",)] * 10)
            db.execute("COMMIT")
            written[0] += 10
        db.close()

    writer = threading.Thread(target=runners_keep_checking_in)
    writer.start()
    try:
        while written[0] < 200:
            stop.wait(0.01)
        result = backup_sqlite(database, tmp_path / "b", keep=2, now=dt.datetime.now(UTC))
        during = written[0]
    finally:
        stop.set()
        writer.join()
    copied = rows_in(result.path)
    # A whole number of the writer's transactions, no torn one, and no later ones.
    assert copied % 10 == 0
    assert 1200 <= copied <= 1000 + during
    assert rows_in(database) == 1000 + written[0]


def test_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BackupFailed, match="There is no database at"):
        backup_sqlite(
            tmp_path / "nothing.sqlite3", tmp_path / "b", keep=1, now=dt.datetime.now(UTC)
        )


def test_it_knows_when_the_newest_copy_was_taken(tmp_path: Path) -> None:
    database = make_database(tmp_path / "db.sqlite3")
    assert newest(tmp_path / "b") is None
    for day in (1, 3, 2):
        backup_sqlite(
            database, tmp_path / "b", keep=5, now=dt.datetime(2026, 9, day, 3, tzinfo=UTC)
        )
    assert newest(tmp_path / "b") == dt.datetime(2026, 9, 3, 3, tzinfo=UTC)


def test_keep_must_be_positive() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("backup", "--keep", "0")


NOW = dt.datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def test_a_copy_carries_the_secret_keys_and_a_restore_takes_them_out(tmp_path: Path) -> None:
    database = make_database(tmp_path / "db.sqlite3", rows=3)
    copy = backup_sqlite(
        database, tmp_path / "backups", keep=3, now=NOW, keys=["new-key", "old-key"]
    ).path
    restored = restore_sqlite(copy, tmp_path / "fresh" / "db.sqlite3", now=NOW)
    assert restored.keys == ["new-key", "old-key"]
    assert restored.set_aside == []
    assert rows_in(restored.database) == 3
    with sqlite3.connect(restored.database) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master")]
    assert KEYS_TABLE not in tables
    assert b"old-key" not in restored.database.read_bytes()  # not even in free pages


def test_a_restore_sets_the_database_that_was_there_aside(tmp_path: Path) -> None:
    # (Its -wal and -shm files, when there, go aside with it: the last commits are there.)
    copy = backup_sqlite(make_database(tmp_path / "a.sqlite3", 2), tmp_path / "b", keep=1, now=NOW)
    (tmp_path / "live").mkdir()
    live = make_database(tmp_path / "live" / "db.sqlite3", rows=5)
    restored = restore_sqlite(copy.path, live, now=NOW)
    assert [p.name for p in restored.set_aside] == ["db.sqlite3.before-restore-20261125-030000Z"]
    assert rows_in(live) == 2 and rows_in(restored.set_aside[0]) == 5


def test_a_file_that_is_no_backup_is_refused_and_nothing_is_touched(tmp_path: Path) -> None:
    live = make_database(tmp_path / "db.sqlite3", rows=5)
    junk = tmp_path / "runclub-junk.sqlite3"
    junk.write_bytes(b"not a database at all, " * 100)
    with pytest.raises(BackupFailed, match="cannot be read as a backup"):
        restore_sqlite(junk, live, now=NOW)
    with pytest.raises(BackupFailed, match="There is no backup at"):
        restore_sqlite(tmp_path / "missing.sqlite3", live, now=NOW)
    assert rows_in(live) == 5
    assert not list(tmp_path.glob("*.restoring")) and not list(tmp_path.glob("*before-restore*"))


def test_the_restore_command_refuses_postgresql_in_one_line(tmp_path: Path) -> None:
    done = run_make_run_style(
        tmp_path, "restore", "x.sqlite3", DATABASE_URL="postgres://postgres@127.0.0.1:5432/x"
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "CommandError: DATABASE_URL points at PostgreSQL: restore it with PostgreSQL's own "
        'tools, e.g. pg_dump --format=custom --file=runclub.dump "$DATABASE_URL" '
        "(or your host's managed backups)."
    ]
