"""The database locked beyond the busy timeout, against a real server."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from tests.phone import Phone
from tests.servers import Daphne

pytestmark = pytest.mark.slow


def test_a_runner_is_asked_to_try_again_and_nothing_is_half_written(
    server: Callable[..., Daphne],
) -> None:
    daphne = server(SQLITE_BUSY_TIMEOUT="1")
    path, _ = daphne.add_run_day()
    daphne.start()
    phone = Phone(daphne.port)

    other = sqlite3.connect(daphne.database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the timeout
        assert phone.open_form(path).status == 200  # WAL: reading goes on meanwhile
        busy = phone.send_name(path, "Ana Silva")
        assert other.execute("SELECT count(*) FROM attendance_attendance").fetchone() == (0,)
    finally:
        other.rollback()
        other.close()

    assert busy.status == 503
    assert busy.headers["retry-after"].isdigit()
    assert "Nothing was saved" in busy.text
    assert "send your name again" in busy.text

    answer = phone.send_name(path, "Ana Silva")
    assert answer.status == 200
    assert "Runner 1 today." in answer.text
    with sqlite3.connect(daphne.database) as database:
        assert database.execute("SELECT runner_name FROM attendance_attendance").fetchall() == [
            ("Ana Silva",)
        ]
    assert "Internal Server Error" not in daphne.log()
