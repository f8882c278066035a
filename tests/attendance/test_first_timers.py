"""First-timers on the committee's live page: a runner's first check-in ever is marked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from attendance import live
from calendar_app.models import Run
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

MARK = "first run: say hello!"


@pytest.fixture
def today(run: Run) -> Run:
    last_week = RunFactory(date=run.date - dt.timedelta(days=7))
    AttendanceFactory(run=last_week, runner_name="Ana Silva")
    AttendanceFactory(run=run, runner_name="ana silva")  # back again
    AttendanceFactory(run=run, runner_name="Bo Chen")  # new
    return run


def test_the_names_view_marks_a_runners_first_check_in_ever(staff_client: Client, today) -> None:
    text = text_of(staff_client.get("/live/"))
    assert f"Bo Chen {MARK}" in text
    assert f"ana silva {MARK}" not in text
    assert text.count(MARK) == 1


def test_the_public_page_and_the_projector_never_show_it(client: Client, today) -> None:
    assert MARK not in client.get("/live/").content.decode()
    state = live.snapshot()
    assert MARK not in state.render(names=False)
    assert MARK not in state.event()["public"]
    assert MARK in state.event()["names"]


def test_a_runner_merged_with_an_earlier_spelling_is_not_new(staff_client: Client, run) -> None:
    from attendance.services import merge_runners

    AttendanceFactory(run=RunFactory(date=run.date - dt.timedelta(days=7)), runner_name="Ana S")
    ana = AttendanceFactory(run=run, runner_name="Ana Silva").runner
    assert MARK in text_of(staff_client.get("/live/"))
    merge_runners(ana, [AttendanceFactory._meta.model.objects.get(runner_name="Ana S").runner])
    assert MARK not in text_of(staff_client.get("/live/"))
