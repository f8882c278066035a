"""Trouble saving that sending again will not fix: a full disk, a read-only DATA_DIR, a
missing database.

A locked database is busy ("send it again in a moment"); these are not, and a runner who is
told "busy" keeps retrying for nothing. Each has a one-word reason, which `/healthz`
answers with and the log names once a minute (not once a request).
"""

from __future__ import annotations

import enum
import logging
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

# Less free space than this on the disk holding the SQLite database is a full disk: a
# check-in's commit appends pages to the WAL, and a disk this close to full fails soon.
MIN_FREE_BYTES = 1024 * 1024
# How long a failed save on PostgreSQL counts as the state of things (for /healthz, which
# only reads), and how often the log repeats the same cause.
REMEMBERED_SECONDS = 30
LOG_EVERY_SECONDS = 60


class Trouble(enum.StrEnum):
    DISK_FULL = "disk-full"
    READ_ONLY = "read-only"
    NO_DATABASE = "no-database"

    @property
    def cause(self) -> str:
        """The log's sentence: what is wrong and what to do. English, not marked for
        translation: the log is read by whoever runs the server, beside Django's own lines.
        Runners and organisers are told in 507.html, in the club's language."""
        where = settings.DATA_DIR
        return {
            Trouble.DISK_FULL: f"the disk holding the database is full ({where}): free some space",
            Trouble.READ_ONLY: f"the database cannot be written ({where} is read-only): "
            "make it writable",
            Trouble.NO_DATABASE: "the database is missing (is DATA_DIR's disk mounted, or "
            "DATABASE_URL right?): restore it or run migrate",
        }[self]


_SQLITE = {
    sqlite3.SQLITE_FULL: Trouble.DISK_FULL,
    sqlite3.SQLITE_READONLY: Trouble.READ_ONLY,
    sqlite3.SQLITE_CANTOPEN: Trouble.NO_DATABASE,
    sqlite3.SQLITE_NOTADB: Trouble.NO_DATABASE,
}
# Errors whose cause only the disk can tell: a read-only folder can make SQLite fail to open
# its WAL index (CANTOPEN) or to write (IOERR); a passing I/O error is neither.
_ASK_THE_DISK = {sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY}
_POSTGRESQL = {
    "53100": Trouble.DISK_FULL,  # disk_full
    "25006": Trouble.READ_ONLY,  # read_only_sql_transaction (a standby, or read-only mode)
    "3D000": Trouble.NO_DATABASE,  # invalid_catalog_name
    "42P01": Trouble.NO_DATABASE,  # undefined_table: a database never migrated
}


def diagnose(error: BaseException) -> Trouble | None:
    """The kind of trouble a database error is, or None for anything else (busy included)."""
    if not isinstance(error, DatabaseError):
        return None
    cause = error.__cause__ or error
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        code &= 0xFF  # the primary result code of an extended one
        if code == sqlite3.SQLITE_ERROR and "no such table" in str(cause):
            return Trouble.NO_DATABASE  # an empty file where the database was
        if code in _ASK_THE_DISK:
            return on_disk() or _SQLITE.get(code)
        return _SQLITE.get(code)
    sqlstate = getattr(cause, "sqlstate", None)
    return _POSTGRESQL.get(sqlstate) if sqlstate else None


class _Noted:
    """The last trouble a save met in this process, and when each cause was last logged."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.trouble: Trouble | None = None
        self.at = 0.0
        self.logged: dict[Trouble, float] = {}


_noted = _Noted()


def note(trouble: Trouble, error: BaseException) -> None:
    """A save failed for ``trouble``: remember it for a while, and log it."""
    with _noted.lock:
        _noted.trouble, _noted.at = trouble, time.monotonic()
    log_once(trouble, error)


def log_once(trouble: Trouble, error: BaseException | None = None) -> None:
    """One line naming the cause, at most once a minute for the same cause."""
    now = time.monotonic()
    with _noted.lock:
        if now - _noted.logged.get(trouble, -LOG_EVERY_SECONDS) < LOG_EVERY_SECONDS:
            return
        _noted.logged[trouble] = now
    detail = f" ({error})" if error is not None else ""
    logger.error("check-ins cannot be saved: %s%s", trouble.cause, detail)


def recent() -> Trouble | None:
    with _noted.lock:
        if _noted.trouble and time.monotonic() - _noted.at < REMEMBERED_SECONDS:
            return _noted.trouble
        return None


def forget() -> None:
    """Nothing noted, nothing logged (for tests)."""
    with _noted.lock:
        _noted.trouble, _noted.at, _noted.logged = None, 0.0, {}


def sqlite_file() -> Path | None:
    connection = connections[DEFAULT_DB_ALIAS]
    return Path(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else None


def on_disk() -> Trouble | None:
    """What the disk says now about the SQLite database: missing, read-only or full. Three
    system calls, cheap enough for every health check; None on PostgreSQL."""
    path = sqlite_file()
    if path is None:
        return None
    if not path.exists():
        return Trouble.NO_DATABASE
    # access() answers EROFS for a read-only mount, whoever asks (root included).
    if not (os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)):
        return Trouble.READ_ONLY
    if shutil.disk_usage(path.parent).free < MIN_FREE_BYTES:
        return Trouble.DISK_FULL
    return None


def state() -> Trouble | None:
    """The trouble saving a check-in would meet now. SQLite: the disk's word, so the answer
    turns the moment someone frees space. PostgreSQL's disks are out of sight: what the
    last failed save met, for a little while."""
    if sqlite_file() is not None:
        return on_disk()
    return recent()
