"""SQLite, with one process's writers queueing on a lock of their own.

SQLite's busy handler makes a writer that finds the database locked sleep 1, 2,
5 ... up to 100 ms between tries. In a burst of check-ins the write lock then
sits idle while writers sleep, and the unlucky ones wait longest (the POST's
tail). Here a transaction first takes a process-wide lock, so at most one
writer per process asks SQLite and the next wakes the moment it commits.
Other processes (a backup, a second server) still meet SQLite's own lock and
busy timeout, so correctness never rests on this lock.

A writer has one deadline for both waits: ``timeout`` seconds (SQLITE_BUSY_TIMEOUT)
from when its request arrived (``write_deadline``, set by ``runclub.asgi``), or
from the start of its transaction outside a request. Past it, the writer gets
"database is locked" (the 503 "send it again" page) instead of queueing again.

A connection stays open between requests (CONN_MAX_AGE None, on the request threads
``runclub.asgi`` keeps), so it could go on reading and writing a database file moved or
deleted under it. Django's connection health check (CONN_HEALTH_CHECKS) asks
``is_usable()`` at each request's first query; here that also means "the path still
names the file this connection opened", else Django opens the path afresh.

Read-only pages never start a transaction, so they never take the write lock:
Django's admin opens ``atomic()`` for POSTs only (tests/runclub/lib/test_sqlite_write_queue.py
holds it to that).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_write_lock = threading.Lock()
_deadline: ContextVar[float | None] = ContextVar("sqlite_write_deadline", default=None)


@contextmanager
def write_deadline(seconds: float) -> Iterator[None]:
    """Writers in this context give up ``seconds`` from now, however many transactions wait."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False
    _opened: tuple[int, int] | None = None

    def get_new_connection(self, conn_params: dict) -> object:
        connection = super().get_new_connection(conn_params)
        self._opened = _file_identity(str(self.settings_dict["NAME"]))
        return connection

    def is_usable(self) -> bool:
        if self.is_in_memory_db():
            return super().is_usable()
        opened = self._opened
        still_there = _file_identity(str(self.settings_dict["NAME"])) == opened
        return opened is not None and still_there and super().is_usable()

    def _start_transaction_under_autocommit(self) -> None:
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        deadline = _deadline.get() or time.monotonic() + timeout
        # A free lock is taken even past the deadline: only waiting is bounded.
        if not _write_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise OperationalError("database is locked: too many writers are waiting")
        self._holds_write_lock = True
        try:
            # SQLite's busy handler gets only what is left of the deadline.
            left_ms = int(max(0.0, deadline - time.monotonic()) * 1000)
            self.connection.execute(f"PRAGMA busy_timeout = {left_ms}")
            try:
                super()._start_transaction_under_autocommit()  # type: ignore[misc]
            finally:
                self.connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            _write_lock.release()


def _file_identity(name: str) -> tuple[int, int] | None:
    try:
        found = os.stat(name)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)
