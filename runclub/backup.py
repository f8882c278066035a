"""Consistent copies of the SQLite database, taken while the app keeps running.

SQLite's online backup API copies the pages under a read transaction, so the copy
is one moment's database even while runners check in (WAL lets them carry on).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

PREFIX = "runclub-"
SUFFIX = ".sqlite3"


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
    final = directory / f"{PREFIX}{now:%Y%m%d-%H%M%S}Z{SUFFIX}"  # UTC: sorts across DST
    partial = final.with_name(final.name + ".partial")
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
    if verdict != "ok":
        partial.unlink()
        raise BackupFailed(f"The copy failed its integrity check: {verdict}")
    partial.replace(final)
    return Backup(final, final.stat().st_size, _prune(directory, keep))


def _prune(directory: Path, keep: int) -> list[Path]:
    # Timestamped names sort oldest first.
    backups = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))
    removed = backups[:-keep]
    for old in removed:
        old.unlink()
    return removed
