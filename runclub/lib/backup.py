"""Consistent copies of the SQLite database, taken while the app keeps running, and
restoring one onto a fresh disk.

SQLite's online backup API copies the pages under a read transaction, so the copy
is one moment's database even while runners check in (WAL lets them carry on).

A copy also holds the secret keys in use (``KEYS_TABLE``): they sign the long check-in
links printed on old QR codes, organisers' sessions and the phone's remembered runner, so
a restore without them would turn every old ``/checkin/<token>/`` link into a 404.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

PREFIX = "runclub-"
SUFFIX = ".sqlite3"
STAMP = "%Y%m%d-%H%M%S"
KEEP = 14
ON_POSTGRESQL = (
    "DATABASE_URL points at PostgreSQL: back it up with PostgreSQL's own tools, "
    'e.g. pg_dump --format=custom --file=runclub.dump "$DATABASE_URL" '
    "(or your host's managed backups)."
)


# In the copy only: restore_sqlite() takes the keys out again.
KEYS_TABLE = "runclub_backup_secret_keys"


class BackupFailed(Exception):
    pass


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    removed: list[Path]


def backup_sqlite(
    database: Path,
    directory: Path,
    *,
    keep: int,
    now: dt.datetime,
    timeout: float = 10,
    keys: Sequence[str] = (),
) -> Backup:
    """Copy ``database`` into ``directory`` with the secret ``keys`` in use, check it, and
    keep the newest ``keep`` copies.

    ``now`` must be in UTC: it names the copy.
    """
    if keep < 1:
        raise ValueError("keep at least one backup")
    if not database.exists():
        raise BackupFailed(f"There is no database at {database}.")
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{PREFIX}{now:{STAMP}}Z{SUFFIX}"  # UTC: sorts across DST
    # Per process: a command and the server's daily backup may run at the same moment.
    partial = final.with_name(f"{final.name}.{os.getpid()}.partial")
    try:
        source = sqlite3.connect(database, timeout=timeout)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            # One self-contained file: no -wal or -shm beside it is needed to restore.
            copy.execute("PRAGMA journal_mode=DELETE")
            with copy:
                copy.execute(f"CREATE TABLE {KEYS_TABLE} (position INTEGER, key TEXT)")
                copy.executemany(f"INSERT INTO {KEYS_TABLE} VALUES (?, ?)", enumerate(keys))
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
            source.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"The copy could not be made: {error}") from error
    if verdict != "ok":
        partial.unlink()
        raise BackupFailed(f"The copy failed its integrity check: {verdict}")
    partial.replace(final)
    return Backup(final, final.stat().st_size, _prune(directory, keep))


def backup_now(directory: Path | None = None, keep: int = KEEP) -> Backup:
    """A checked copy of the app's own database, by default into DATA_DIR/backups.

    Any SQLite engine (Django's or ``runclub.lib.sqlite3``) is SQLite; PostgreSQL is refused
    with a pointer to its own tools.
    """
    if connection.vendor != "sqlite":
        raise BackupFailed(ON_POSTGRESQL)
    return backup_sqlite(
        Path(connection.settings_dict["NAME"]),
        directory or default_directory(),
        keep=keep,
        now=timezone.now(),
        timeout=settings.SQLITE_BUSY_TIMEOUT,
        keys=[settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS],
    )


def default_directory() -> Path:
    return Path(settings.DATA_DIR) / "backups"


def newest(directory: Path) -> dt.datetime | None:
    """When the newest backup in ``directory`` was taken (UTC), from its name."""
    for path in sorted(directory.glob(f"{PREFIX}*Z{SUFFIX}"), reverse=True):
        stamp = path.name.removeprefix(PREFIX).removesuffix(f"Z{SUFFIX}")
        try:
            return dt.datetime.strptime(stamp, STAMP).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return None


def backup_overdue() -> bool:
    """No copy in the last day: e.g. the server was down or asleep at backup time."""
    taken = newest(default_directory())
    return taken is None or timezone.now() - taken > dt.timedelta(days=1)


def _prune(directory: Path, keep: int) -> list[Path]:
    # Timestamped names sort oldest first.
    backups = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))
    removed = backups[:-keep]
    for old in removed:
        old.unlink()
    return removed


@dataclass(frozen=True)
class Restored:
    database: Path
    set_aside: list[Path]  # the database that was there, kept beside it
    keys: list[str]  # the secret keys the backup was taken with (older copies: none)


def restore_sqlite(backup: Path, database: Path, *, now: dt.datetime) -> Restored:
    """Put ``backup`` in place as ``database`` (the app stopped), setting aside any database
    that is there, and return the secret keys the backup holds.

    The copy is checked before anything is touched; the keys leave the restored database.
    """
    if not backup.is_file():
        raise BackupFailed(f"There is no backup at {backup}.")
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(f"{database.name}.restoring")
    incoming.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        copy = sqlite3.connect(incoming)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupFailed(f"{backup} fails its integrity check: it cannot be restored.")
            source.backup(copy)
            keys = _take_keys(copy)
        finally:
            copy.close()
            source.close()
    except sqlite3.DatabaseError as error:
        incoming.unlink(missing_ok=True)
        raise BackupFailed(f"{backup} cannot be read as a backup: {error}") from error
    except BackupFailed:
        incoming.unlink(missing_ok=True)
        raise
    set_aside = []
    stamp = f"{now:{STAMP}}Z"
    # The -wal file may hold the last commits: it goes aside with its database.
    for suffix in ("", "-wal", "-shm"):
        current = Path(f"{database}{suffix}")
        if current.exists():
            aside = current.with_name(f"{database.name}.before-restore-{stamp}{suffix}")
            current.replace(aside)
            set_aside.append(aside)
    incoming.replace(database)
    return Restored(database, set_aside, keys)


def _take_keys(copy: sqlite3.Connection) -> list[str]:
    found = copy.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (KEYS_TABLE,)
    ).fetchone()
    if not found:
        return []
    keys = [key for (key,) in copy.execute(f"SELECT key FROM {KEYS_TABLE} ORDER BY position")]
    with copy:
        copy.execute(f"DROP TABLE {KEYS_TABLE}")
    copy.execute("VACUUM")  # no trace of the keys left in the file's free pages
    return keys
