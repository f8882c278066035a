"""live.checkins_changed(): the check-in and merge paths call it, once each."""

from __future__ import annotations

import datetime as dt

import pytest

from attendance import live
from attendance.services import check_in, merge_runners
from calendar_app.models import Run
from tests.factories import AttendanceFactory, RunFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["check-in", "merge"])
def test_check_ins_and_merges_announce(run: Run, path: str, monkeypatch) -> None:
    ana = AttendanceFactory(run=run, runner_name="Ana Silva").runner
    last_week = RunFactory(date=run.date - dt.timedelta(days=7))
    other = AttendanceFactory(run=last_week, runner_name="Ana S").runner
    calls: list[None] = []
    monkeypatch.setattr(live, "checkins_changed", lambda: calls.append(None))
    if path == "check-in":
        check_in(run, "Bo Chen")
    else:
        merge_runners(ana, [other])
    assert len(calls) == 1
