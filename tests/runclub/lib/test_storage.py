"""Telling a database that cannot save (full, read-only, missing) from one that is busy."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError

from runclub.lib import storage
from runclub.lib.storage import Trouble


def wrapped(error: sqlite3.Error) -> OperationalError:
    """``error`` as Django raises it: its own class, with SQLite's error as the cause."""
    try:
        raise OperationalError(*error.args) from error
    except OperationalError as django_error:
        return django_error


def sqlite_failure(path: Path, *statements: str, uri: bool = False) -> OperationalError:
    try:
        database = sqlite3.connect(path, uri=uri)
    except sqlite3.OperationalError as error:
        return wrapped(error)
    try:
        for statement in statements:
            database.execute(statement)
    except sqlite3.OperationalError as error:
        return wrapped(error)
    finally:
        database.close()
    raise AssertionError("the statements did not fail")


@pytest.fixture
def disk_fine() -> object:
    with mock.patch("runclub.lib.storage.on_disk", return_value=None) as fine:
        yield fine


def test_a_full_database_is_a_full_disk(tmp_path: Path, disk_fine) -> None:
    full = sqlite_failure(
        tmp_path / "db.sqlite3",
        "PRAGMA max_page_count = 2",
        "CREATE TABLE t (x)",
        "INSERT INTO t VALUES (zeroblob(100000))",
    )
    assert "full" in str(full)
    assert storage.diagnose(full) is Trouble.DISK_FULL


def test_a_read_only_database_is_read_only(tmp_path: Path, disk_fine) -> None:
    path = tmp_path / "db.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    refused = sqlite_failure(Path(f"file:{path}?mode=ro"), "INSERT INTO t VALUES (1)", uri=True)
    assert storage.diagnose(refused) is Trouble.READ_ONLY


def test_an_empty_file_where_the_database_was_is_no_database(tmp_path: Path, disk_fine) -> None:
    empty = sqlite_failure(tmp_path / "db.sqlite3", "SELECT * FROM calendar_app_run")
    assert storage.diagnose(empty) is Trouble.NO_DATABASE


def test_when_sqlite_cannot_open_its_files_the_disk_says_why(tmp_path: Path) -> None:
    cannot_open = sqlite_failure(tmp_path / "missing" / "db.sqlite3", "SELECT 1")
    with mock.patch("runclub.lib.storage.on_disk", return_value=Trouble.READ_ONLY):
        assert storage.diagnose(cannot_open) is Trouble.READ_ONLY


def test_a_locked_database_is_busy_not_broken(tmp_path: Path, disk_fine) -> None:
    path = tmp_path / "db.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    try:
        locked = sqlite_failure(path, "PRAGMA busy_timeout = 1", "BEGIN IMMEDIATE")
    finally:
        holder.close()
    assert "locked" in str(locked)
    assert storage.diagnose(locked) is None
    assert storage.diagnose(IntegrityError("UNIQUE constraint failed")) is None


@pytest.mark.parametrize(
    ("sqlstate", "trouble"),
    [("53100", Trouble.DISK_FULL), ("25006", Trouble.READ_ONLY), ("3D000", Trouble.NO_DATABASE)],
)
def test_postgresql_says_the_same_by_its_error_codes(sqlstate: str, trouble: Trouble) -> None:
    cause = type("PostgresError", (Exception,), {"sqlstate": sqlstate})("refused")
    try:
        raise OperationalError("refused") from cause
    except OperationalError as error:
        assert storage.diagnose(error) is trouble
    lock_timeout = type("PostgresError", (Exception,), {"sqlstate": "55P03"})("lock timeout")
    try:
        raise OperationalError("lock timeout") from lock_timeout
    except OperationalError as error:
        assert storage.diagnose(error) is None


@pytest.mark.django_db
def test_the_disk_is_asked_about_the_database_file(tmp_path: Path) -> None:
    # SQLite's file (on PostgreSQL, a stand-in one: its own disk is out of sight).
    database = tmp_path / "runclub.sqlite3"
    database.write_bytes(b"")
    with mock.patch("runclub.lib.storage.sqlite_file", return_value=database):
        assert storage.on_disk() is None
        with mock.patch("shutil.disk_usage", return_value=mock.Mock(free=4096)):
            assert storage.on_disk() is Trouble.DISK_FULL
        with mock.patch("os.access", return_value=False):
            assert storage.on_disk() is Trouble.READ_ONLY
        database.unlink()
        assert storage.on_disk() is Trouble.NO_DATABASE
    with mock.patch("runclub.lib.storage.sqlite_file", return_value=None):
        assert storage.on_disk() is None  # PostgreSQL


def test_a_failed_save_is_remembered_for_a_while_and_logged_once_a_minute(
    caplog: pytest.LogCaptureFixture, disk_fine
) -> None:
    error = OperationalError("database or disk is full")
    with mock.patch("time.monotonic", return_value=1000.0):
        storage.note(Trouble.DISK_FULL, error)
        storage.note(Trouble.DISK_FULL, error)
        assert storage.recent() is Trouble.DISK_FULL
    lines = [r.getMessage() for r in caplog.records if r.name == "runclub.lib.storage"]
    assert lines == [
        "check-ins cannot be saved: the disk holding the database is full "
        f"({storage.settings.DATA_DIR}): free some space (database or disk is full)"
    ]
    with mock.patch("time.monotonic", return_value=1000.0 + storage.REMEMBERED_SECONDS):
        assert storage.recent() is None
    with mock.patch("time.monotonic", return_value=1000.0 + storage.LOG_EVERY_SECONDS):
        storage.note(Trouble.DISK_FULL, error)
    assert len([r for r in caplog.records if r.name == "runclub.lib.storage"]) == 2
