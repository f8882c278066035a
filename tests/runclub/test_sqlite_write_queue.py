"""runclub.sqlite3: a process's writers queue on one lock instead of SQLite's sleeping retries."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from attendance.models import Attendance
from calendar_app.models import Run
from runclub.sqlite3 import base as sqlite_backend
from tests.helpers import checkin, text_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the write queue is part of the SQLite backend only"
    ),
]


def test_a_second_writer_waits_for_the_first_and_then_succeeds(run: Run) -> None:
    first_inside = threading.Event()
    order: list[str] = []

    def first() -> None:
        try:
            with transaction.atomic():
                Attendance.objects.create(run=run, runner_name="First")
                first_inside.set()
                time.sleep(0.3)
                order.append("first commits")
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(5)
    with transaction.atomic():
        order.append("second begins")
        Attendance.objects.create(run=run, runner_name="Second")
    thread.join(5)
    assert order == ["first commits", "second begins"]
    assert Attendance.objects.count() == 2


def test_a_rolled_back_transaction_lets_the_next_writer_in(run: Run) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        Attendance.objects.create(run=run, runner_name="Doomed")
        1 / 0  # noqa: B018
    assert not sqlite_backend._write_lock.locked()
    with transaction.atomic():
        Attendance.objects.create(run=run, runner_name="Next")
    assert list(Attendance.objects.values_list("runner_name", flat=True)) == ["Next"]


def test_a_writer_that_waits_past_the_timeout_gets_try_again(client: Client, run: Run) -> None:
    options = connection.settings_dict["OPTIONS"]
    old_timeout = options["timeout"]
    options["timeout"] = 0.2
    sqlite_backend._write_lock.acquire()  # another writer in this process never finishes
    try:
        response = checkin(client, run, "Ana")
    finally:
        sqlite_backend._write_lock.release()
        options["timeout"] = old_timeout
    assert response.status_code == 503
    assert "Nothing was saved" in text_of(response)
    assert Attendance.objects.count() == 0
