"""python manage.py backup: a consistent, checked copy of SQLite while the app runs."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from runclub.backup import backup_sqlite

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


@pytest.fixture
def the_apps_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings) -> Path:  # type: ignore[no-untyped-def]
    """Point the command at a SQLite file of our own, whichever database the suite runs on."""
    path = make_database(tmp_path / "runclub.sqlite3", rows=3)
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.sqlite3")
    monkeypatch.setitem(connection.settings_dict, "NAME", path)
    settings.DATA_DIR = tmp_path
    return path


def test_it_copies_the_database_into_data_dir_backups(the_apps_database: Path) -> None:
    out = StringIO()
    call_command("backup", stdout=out)
    [copy] = (the_apps_database.parent / "backups").glob("runclub-*Z.sqlite3")
    assert rows_in(copy) == 3
    assert f"Backed up to {copy}" in out.getvalue()
    assert "integrity ok" in out.getvalue()


def test_the_copy_is_one_self_contained_file(the_apps_database: Path, tmp_path: Path) -> None:
    call_command("backup", "--dir", str(tmp_path / "b"), stdout=StringIO())
    [copy] = (tmp_path / "b").iterdir()
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


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


def test_on_postgresql_it_points_to_pg_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.postgresql")
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup")


def test_a_missing_database_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.sqlite3")
    monkeypatch.setitem(connection.settings_dict, "NAME", tmp_path / "nothing.sqlite3")
    with pytest.raises(CommandError, match="There is no database at"):
        call_command("backup", "--dir", str(tmp_path / "b"))


def test_keep_must_be_positive() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("backup", "--keep", "0")
