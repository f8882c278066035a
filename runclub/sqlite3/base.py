"""SQLite, with one process's writers queueing on a lock of their own.

SQLite's busy handler makes a writer that finds the database locked sleep 1, 2,
5 ... up to 100 ms between tries. In a burst of check-ins the write lock then
sits idle while writers sleep, and the unlucky ones wait longest (the POST's
tail). Here a transaction first takes a process-wide lock, so at most one
writer per process asks SQLite and the next wakes the moment it commits.
Other processes (a backup, a second server) still meet SQLite's own lock and
busy timeout, so correctness never rests on this lock.
"""

from __future__ import annotations

import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_write_lock = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _start_transaction_under_autocommit(self) -> None:
        if not _write_lock.acquire(timeout=self.settings_dict["OPTIONS"].get("timeout", 5)):
            raise OperationalError("database is locked: too many writers are waiting")
        self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._release_write_lock()

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            _write_lock.release()
