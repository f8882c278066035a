"""Run.toggle_day: one click on the organisers' calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from attendance.models import Attendance
from calendar_app.models import Run
from tests.factories import AttendanceFactory, RunFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 6)


def test_it_makes_an_empty_day_a_run_day() -> None:
    run = Run.toggle_day(DAY)
    assert run is not None and run.is_active
    assert Run.objects.get(date=DAY).is_active


def test_it_cancels_a_run_day_on_the_second_click() -> None:
    RunFactory(date=DAY)
    run = Run.toggle_day(DAY)
    assert run is not None and not run.is_active


def test_it_removes_a_cancelled_day_without_check_ins() -> None:
    RunFactory(date=DAY, is_active=False)
    assert Run.toggle_day(DAY) is None
    assert not Run.objects.filter(date=DAY).exists()


def test_it_never_deletes_check_ins_but_reopens_the_run() -> None:
    run = RunFactory(date=DAY, is_active=False)
    AttendanceFactory(run=run, runner_name="Ana Silva")
    reopened = Run.toggle_day(DAY)
    assert reopened == run and reopened.is_active
    assert Attendance.objects.filter(run=run).count() == 1


def test_it_goes_round_the_whole_cycle() -> None:
    states = []
    for _ in range(3):
        run = Run.toggle_day(DAY)
        states.append(None if run is None else run.is_active)
    assert states == [True, False, None]
