"""Another process holds SQLite's write lock while a dozen check-ins wait for it."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

import pytest

from tests.faults.helpers import get, live_count_on_connect, stylesheet, timed
from tests.phone import Phone
from tests.servers import Daphne

pytestmark = pytest.mark.slow

BUSY_TIMEOUT = 4
WRITERS = 12  # more than REQUEST_THREADS (8): some queue for a place first
# Reads must not wait for the writers; the writers wait BUSY_TIMEOUT. The benchmark
# (bench/faults.py) measures the reads' real figures; here they only must not wait.
NOT_WAITING = BUSY_TIMEOUT / 2


def test_reads_answer_while_writers_wait_and_writers_give_up_in_time(
    server: Callable[..., Daphne],
) -> None:
    daphne = server(SQLITE_BUSY_TIMEOUT=str(BUSY_TIMEOUT))
    path, _ = daphne.add_run_day()
    daphne.start()
    phones = [Phone(daphne.port, source=f"127.0.4.{i + 1}") for i in range(WRITERS)]
    for phone in phones:
        phone.open_form(path)
    css = stylesheet(get(daphne.port, path))

    answers: dict[int, tuple[float, int]] = {}

    def writer(i: int) -> None:
        seconds, answer = timed(lambda: phones[i].send_name(path, f"Runner {i}"))
        answers[i] = (seconds, answer.status)

    other = sqlite3.connect(daphne.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        time.sleep(1)  # every writer is in, waiting for the lock or for a place
        reads = {
            "check-in form": timed(lambda: get(daphne.port, path)),
            "live page": timed(lambda: get(daphne.port, "/live/")),
            "API read": timed(lambda: get(daphne.port, "/api/attendance/today")),
            "stylesheet": timed(lambda: get(daphne.port, css)),
            "health check": timed(lambda: get(daphne.port, "/healthz")),
        }
        socket_seconds, count = timed(lambda: live_count_on_connect(daphne.port))
        still_waiting = sum(1 for thread in threads if thread.is_alive())
        for thread in threads:
            thread.join(BUSY_TIMEOUT * 3)
    finally:
        other.rollback()
        other.close()

    print({name: f"{seconds:.3f} s" for name, (seconds, _) in reads.items()})
    waits = sorted(round(seconds, 1) for seconds, _ in answers.values())
    print(f"socket: {socket_seconds:.3f} s; writers: {waits}")
    assert still_waiting == WRITERS, "the writers must still be waiting while the reads ran"
    for name, (seconds, answer) in reads.items():
        assert answer.status == 200, name
        assert seconds < NOT_WAITING, f"{name} took {seconds:.1f} s"
    assert count == 0
    assert socket_seconds < NOT_WAITING
    # Each writer waited at most the timeout in all, queueing included, then was told.
    assert sorted(status for _, status in answers.values()) == [503] * WRITERS
    assert max(seconds for seconds, _ in answers.values()) < BUSY_TIMEOUT + 1.5
    with sqlite3.connect(daphne.database) as database:
        assert database.execute("SELECT count(*) FROM attendance_attendance").fetchone() == (0,)

    # Sent again once the lock is free, each gets in.
    assert [phone.send_name(path, f"Runner {i}").status for i, phone in enumerate(phones)] == [
        200
    ] * WRITERS
    assert "Internal Server Error" not in daphne.log()
