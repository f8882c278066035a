"""The server SIGKILLed in the middle of a burst of check-ins, then started again."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.phone import Phone
from tests.servers import Daphne

pytestmark = pytest.mark.slow

RUNNERS = 120
AT_ONCE = 24
KILL_AFTER = 25  # successes seen before the kill: well inside the burst


def names_in(database: sqlite3.Connection) -> list[str]:
    return [name for (name,) in database.execute("SELECT runner_name FROM attendance_attendance")]


def test_every_checkin_a_runner_was_told_about_survives_a_kill(
    server: Callable[..., Daphne],
) -> None:
    daphne = server()
    path, _ = daphne.add_run_day()
    daphne.start()
    phones = [
        Phone(daphne.port, source=f"127.0.{1 + i // 250}.{1 + i % 250}") for i in range(RUNNERS)
    ]
    told_ok: set[str] = set()
    other_answers: list[int] = []
    lock = threading.Lock()
    killed = threading.Event()

    def runner(i: int) -> None:
        name = f"Runner {i}"
        try:
            phones[i].open_form(path)
            answer = phones[i].send_name(path, name)
        except OSError:
            return  # the server died under this phone: it was told nothing
        if answer.status != 200:
            other_answers.append(answer.status)
            return
        with lock:
            told_ok.add(name)
            if len(told_ok) >= KILL_AFTER and not killed.is_set():
                killed.set()
                daphne.kill()

    with ThreadPoolExecutor(AT_ONCE) as pool:
        list(pool.map(runner, range(RUNNERS)))

    assert killed.is_set()
    assert other_answers == []
    assert len(told_ok) < RUNNERS, "the burst finished before the kill; the test proved nothing"

    daphne.start()
    with sqlite3.connect(daphne.database) as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = names_in(database)
    assert told_ok <= set(stored)
    assert len(stored) == len(set(stored))

    # Runners left without an answer send their form again and all get in, once each.
    for i, phone in enumerate(phones):
        name = f"Runner {i}"
        if name in told_ok:
            continue
        if not phone.hidden:
            phone.open_form(path)
        assert phone.send_name(path, name).status == 200
    with sqlite3.connect(daphne.database) as database:
        assert sorted(names_in(database)) == sorted(f"Runner {i}" for i in range(RUNNERS))
    assert "Traceback" not in daphne.log()
