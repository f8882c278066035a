"""Re-keying runners when the name rule changes (for the data migration that changes it)."""

from __future__ import annotations

import datetime as dt

import pytest

from attendance.models import Attendance, Runner, RunnerName, stored_key
from attendance.rekey import rekey_runners
from tests.factories import AttendanceFactory, RunFactory

pytestmark = pytest.mark.django_db


def without_digits(name: str) -> str:
    """A stricter rule than today's: digits do not count either."""
    return stored_key("".join(char for char in name if not char.isdigit()))


def test_runners_whose_names_now_match_become_one_with_every_key() -> None:
    runs = [RunFactory(date=dt.date(2026, 10, day)) for day in (6, 8, 13)]
    AttendanceFactory(run=runs[0], runner_name="Ana S2")
    AttendanceFactory(run=runs[1], runner_name="Ana S2")
    AttendanceFactory(run=runs[1], runner_name="Ana S")  # the same run: one stays
    AttendanceFactory(run=runs[2], runner_name="Ana S")
    AttendanceFactory(run=runs[0], runner_name="Ben Jones")
    assert Runner.objects.count() == 3
    assert rekey_runners(Attendance, RunnerName, Runner, without_digits) == 1
    ana = Runner.objects.get(name="Ana S2")
    assert ana.runs_with_club() == 3
    assert sorted(RunnerName.objects.values_list("name_key", flat=True)) == sorted(
        [stored_key("Ana S"), stored_key("Ben Jones")]
    )
    assert Runner.objects.named("ana s").get() == ana


def test_two_member_numbers_stay_two_runners_and_the_busier_keeps_the_name() -> None:
    runs = [RunFactory(date=dt.date(2026, 10, day)) for day in (6, 8)]
    busy = AttendanceFactory(run=runs[0], runner_name="Ana S2").runner
    AttendanceFactory(run=runs[1], runner_name="Ana S2")
    quiet = AttendanceFactory(run=runs[1], runner_name="Ana S").runner
    Runner.objects.filter(pk=busy.pk).update(member_number="11111111")
    Runner.objects.filter(pk=quiet.pk).update(member_number="22222222")
    assert rekey_runners(Attendance, RunnerName, Runner, without_digits) == 0
    assert Runner.objects.count() == 2
    assert RunnerName.objects.get().runner_id == busy.pk
