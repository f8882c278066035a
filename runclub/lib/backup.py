"""Consistent copies of the SQLite database, taken while the app keeps running.

SQLite's online backup API copies the pages under a read transaction, so the copy
is one moment's database even while runners check in (WAL lets them carry on).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
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


class BackupFailed(Exception):
    pass


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    removed: list[Path]


def backup_sqlite(
    database: Path, directory: Path, *, keep: int, now: dt.datetime, timeout: float = 10
) -> Backup:
    """Copy ``database`` into ``directory``, check it, and keep the newest ``keep`` copies.

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
