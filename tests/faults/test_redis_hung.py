"""Redis hangs (SIGSTOP: it takes connections but never answers) while runners check in."""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Callable

import pytest

from tests.faults.helpers import announced, get, live_count_once_accepted, timed, until
from tests.phone import Phone
from tests.servers import Daphne, PrivateRedis

pytestmark = pytest.mark.slow

# redis-py alone waited 5 s per command, several commands a request: 10-22 s a check-in.
# The benchmark prints the real figures; here they must be far from that.
CHECK_IN_BOUND = 3.0
PAGE_BOUND = 1.5


def check_in(daphne: Daphne, path: str, name: str, source: str) -> tuple[float, int]:
    phone = Phone(daphne.port, source=source)
    phone.open_form(path)
    seconds, answer = timed(lambda: phone.send_name(path, name))
    return seconds, answer.status


def test_a_hung_redis_costs_runners_little_and_the_live_count_comes_back(
    server: Callable[..., Daphne], private_redis: PrivateRedis
) -> None:
    daphne = server(REDIS_URL=private_redis.url)
    path, _ = daphne.add_run_day()
    daphne.start()
    assert check_in(daphne, path, "Before", "127.0.5.1")[1] == 200
    assert private_redis.process is not None

    private_redis.process.send_signal(signal.SIGSTOP)
    try:
        check_ins = [check_in(daphne, path, f"During {i}", f"127.0.5.{10 + i}") for i in range(5)]
        pages = {
            "check-in form": timed(lambda: get(daphne.port, path)),
            "live page": timed(lambda: get(daphne.port, "/live/")),
            "health check": timed(lambda: get(daphne.port, "/healthz")),
        }
    finally:
        private_redis.process.send_signal(signal.SIGCONT)

    print(f"check-ins: {[round(s, 2) for s, _ in check_ins]}")
    print({name: f"{seconds:.3f} s" for name, (seconds, _) in pages.items()})
    assert [status for _, status in check_ins] == [200] * 5
    assert max(seconds for seconds, _ in check_ins) < CHECK_IN_BOUND
    for name, (seconds, answer) in pages.items():
        assert answer.status == 200, name
        assert seconds < PAGE_BOUND, f"{name} took {seconds:.1f} s"

    # Back: within the breaker's retry interval a watcher is sent the true count, and
    # the next check-in is announced to watchers again through Redis.
    until(lambda: check_in(daphne, path, "Probe", "127.0.5.99")[1] in (200, 409), 5)
    assert until(lambda: live_count_once_accepted(daphne.port) == 7, 15) < 15
    announced(daphne.port, lambda: check_in(daphne, path, "After", "127.0.5.100"), 8)
    with sqlite3.connect(daphne.database) as database:
        assert database.execute("SELECT count(*) FROM attendance_attendance").fetchone() == (8,)

    log = daphne.log()
    assert log.count("is not answering") == 1, log  # one line for the outage
    assert "answers again" in log
    assert "Internal Server Error" not in log
    assert "Traceback" not in log
