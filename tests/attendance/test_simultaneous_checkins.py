"""Many phones at once on a real SQLite file: one row per name, no "database is locked"."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connections
from django.test import Client

from attendance.models import Attendance
from tests.factories import RunFactory
from tests.helpers import checkin

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(count: int, action: Callable[[int], int]) -> list[int]:
    """Run ``action(i)`` in ``count`` threads released at the same instant."""
    barrier = threading.Barrier(count)
    results: list[int] = [0] * count

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = action(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_same_name_at_the_same_instant_makes_one_row() -> None:
    run = RunFactory()
    statuses = run_together(
        2, lambda i: checkin(Client(), run, ["Ana Silva", "ana  silva"][i]).status_code
    )
    assert sorted(statuses) == [200, 409]
    assert Attendance.objects.filter(run=run).count() == 1


def test_a_burst_of_different_names_all_succeed() -> None:
    run = RunFactory()
    statuses = run_together(20, lambda i: checkin(Client(), run, f"Runner {i}").status_code)
    assert statuses == [200] * 20
    assert Attendance.objects.filter(run=run).count() == 20
