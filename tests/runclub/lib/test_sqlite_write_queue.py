"""runclub.lib.sqlite3: a process's writers queue on one lock, not SQLite's sleeping retries."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from attendance.models import Attendance
from calendar_app.models import Run
from runclub.lib.sqlite3 import base as sqlite_backend
from runclub.lib.sqlite3.base import write_deadline
from tests.authenticator import log_in
from tests.factories import AttendanceFactory, StaffFactory
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
                AttendanceFactory(run=run, runner_name="First")
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
        AttendanceFactory(run=run, runner_name="Second")
    thread.join(5)
    assert order == ["first commits", "second begins"]
    assert Attendance.objects.count() == 2


def test_a_rolled_back_transaction_lets_the_next_writer_in(run: Run) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        AttendanceFactory(run=run, runner_name="Doomed")
        1 / 0  # noqa: B018
    assert not sqlite_backend._write_lock.locked()
    with transaction.atomic():
        AttendanceFactory(run=run, runner_name="Next")
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


@contextlib.contextmanager
def another_process_writing() -> Iterator[None]:
    """Another connection (a backup, a second server) holds SQLite's write lock."""
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


@pytest.mark.parametrize(
    "page",
    [
        "admin:calendar_app_run_change",
        "admin:calendar_app_run_delete",
        "admin:attendance_attendance_change",
        "admin:attendance_attendance_changelist",
        "admin:attendance_history",
        "admin:calendar_app_run_calendar",
    ],
)
def test_a_committee_member_reading_admin_pages_does_not_take_the_write_lock(
    client: Client, run: Run, page: str
) -> None:
    attendance = AttendanceFactory(run=run, runner_name="Ana Silva")
    log_in(client, StaffFactory())
    ids = {
        "admin:calendar_app_run_change": [run.pk],
        "admin:calendar_app_run_delete": [run.pk],
        "admin:attendance_attendance_change": [attendance.pk],
    }
    url = reverse(page, args=ids.get(page, []))
    options = connection.settings_dict["OPTIONS"]
    old_timeout, options["timeout"] = options["timeout"], 0.3
    connections.close_all()  # the next connection gets the short busy timeout
    try:
        with another_process_writing():
            # A page that opened a transaction would wait for the lock, then fail.
            response = client.get(url, follow=True)
    finally:
        options["timeout"] = old_timeout
        connections.close_all()
    assert response.status_code == 200


def test_a_writer_past_its_deadline_does_not_wait_for_the_lock_again(run: Run) -> None:
    # Its request arrived longer ago than the timeout (queued behind other writers):
    # with the lock taken elsewhere it is refused at once, not after another timeout.
    with write_deadline(0.01):
        time.sleep(0.02)
        started = time.monotonic()
        with another_process_writing(), pytest.raises(OperationalError):
            with transaction.atomic():
                AttendanceFactory(run=run, runner_name="Late")
        waited = time.monotonic() - started
    assert waited < connection.settings_dict["OPTIONS"]["timeout"] / 2
    assert not sqlite_backend._write_lock.locked()


def test_a_writer_past_its_deadline_still_writes_when_nobody_holds_the_lock(run: Run) -> None:
    with write_deadline(0.0), transaction.atomic():
        AttendanceFactory(run=run, runner_name="Late but alone")
    assert Attendance.objects.get().runner_name == "Late but alone"
