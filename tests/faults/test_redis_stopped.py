"""Redis (channel layer and cache) stopped while runners check in."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from tests.phone import Phone
from tests.servers import Daphne, PrivateRedis

pytestmark = pytest.mark.slow


def check_in(daphne: Daphne, path: str, name: str, source: str) -> int:
    phone = Phone(daphne.port, source=source)
    phone.open_form(path)
    return phone.send_name(path, name).status


def test_checkins_succeed_while_redis_is_down_and_after_it_is_back(
    server: Callable[..., Daphne], private_redis: PrivateRedis
) -> None:
    daphne = server(REDIS_URL=private_redis.url)
    path, _ = daphne.add_run_day()
    daphne.start()

    assert check_in(daphne, path, "Before Outage", "127.0.3.1") == 200
    private_redis.stop()
    statuses = [check_in(daphne, path, f"During Outage {i}", f"127.0.3.{10 + i}") for i in range(5)]
    private_redis.start()
    after = check_in(daphne, path, "After Outage", "127.0.3.99")

    assert statuses == [200] * 5
    assert after == 200
    with sqlite3.connect(daphne.database) as database:
        assert database.execute("SELECT count(*) FROM attendance_attendance").fetchone() == (7,)
    assert "Internal Server Error" not in daphne.log()
