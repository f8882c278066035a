"""A run cancelled or re-opened by another process reaches the running server within 5 s."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from tests.faults.helpers import get, until
from tests.phone import Phone
from tests.servers import Daphne, PrivateRedis

pytestmark = pytest.mark.slow

WITHIN = 5.0


@pytest.mark.parametrize("with_redis", [False, True], ids=["local cache", "redis"])
def test_a_day_cancelled_then_reopened_from_the_command_line_reaches_the_server(
    server: Callable[..., Daphne], private_redis: PrivateRedis, with_redis: bool
) -> None:
    daphne = server(**({"REDIS_URL": private_redis.url} if with_redis else {}))
    path, _ = daphne.add_run_day()
    daphne.start()
    assert get(daphne.port, path).status == 200  # the server has the open run cached now

    # Cancelled behind the server's back: another process writing the database.
    with sqlite3.connect(daphne.database) as database:
        database.execute("UPDATE calendar_app_run SET is_active = 0")
    cancelled = until(lambda: get(daphne.port, path).status == 403, WITHIN + 1)

    # Re-opened the documented way, in another process.
    daphne.manage("add_run_day", "today")
    reopened = until(lambda: get(daphne.port, path).status == 200, WITHIN + 1)
    phone = Phone(daphne.port)
    phone.open_form(path)
    assert phone.send_name(path, "Ana Silva").status == 200
    print(f"cancelled seen after {cancelled:.1f} s, re-opened after {reopened:.1f} s")
    assert cancelled <= WITHIN
    assert reopened <= WITHIN
