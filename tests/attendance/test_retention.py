"""RETENTION_YEARS: check-ins past the period lose their names, keep their run and time."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client

from attendance import charts, retention
from attendance.adminlog import log_erasure
from attendance.history import history
from attendance.models import Attendance, Runner
from attendance.services import (
    CannotMerge,
    apply_retention,
    check_in,
    merge_names,
    merge_runners,
    record_checkin,
    runs_with_club,
)
from attendance.variants import likely_variants
from calendar_app.models import Run
from tests.factories import RunFactory, StaffFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _three_years(settings: object) -> None:
    settings.TIME_ZONE = "Europe/London"
    settings.RETENTION_YEARS = 3


def checked_in(name: str, at: dt.datetime, number: str | None = None) -> Attendance:
    """A check-in at ``at`` (club time) to the run of that day."""
    run = Run.objects.filter(date=at.date()).first() or RunFactory(date=at.date())
    attendance, _ = record_checkin(Attendance(run=run, runner_name=name, registered_at=at), number)
    return attendance


def named(attendance: Attendance) -> bool:
    attendance.refresh_from_db()
    return attendance.runner_name != "" and not attendance.runner.anonymised


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_a_check_in_exactly_the_period_old_keeps_its_name_one_a_day_older_does_not() -> None:
    exactly = checked_in("Ana Silva", dt.datetime(2023, 11, 25, 0, 0, tzinfo=LONDON))
    older = checked_in("Ben Jones", dt.datetime(2023, 11, 24, 23, 59, tzinfo=LONDON))
    result = apply_retention()
    assert named(exactly)
    assert not named(older)
    assert (result.checkins, result.runners) == (1, 1)
    # The check-in is still there, in its run at its time.
    assert older.run.attendances.count() == 1
    assert older.registered_at == dt.datetime(2023, 11, 24, 23, 59, tzinfo=LONDON)


@time_machine.travel(dt.datetime(2026, 4, 1, 12, 0, tzinfo=LONDON), tick=False)
def test_the_cutoff_is_the_clubs_midnight_across_a_change_of_clocks() -> None:
    # 1 April 2023 was in summer time: its midnight was 23:00 UTC on 31 March.
    just_after = checked_in("Ana Silva", dt.datetime(2023, 4, 1, 0, 30, tzinfo=LONDON))
    just_before = checked_in("Ben Jones", dt.datetime(2023, 3, 31, 23, 30, tzinfo=LONDON))
    assert just_after.registered_at.astimezone(dt.UTC).date() == dt.date(2023, 3, 31)
    apply_retention()
    assert named(just_after)
    assert not named(just_before)


@time_machine.travel(dt.datetime(2028, 2, 29, 12, 0, tzinfo=LONDON), tick=False)
def test_a_leap_day_counts_back_to_the_28th() -> None:
    assert retention.cutoff() == dt.datetime(2025, 2, 28, 0, 0, tzinfo=LONDON)


def test_with_names_kept_for_ever_nothing_changes(settings: object) -> None:
    settings.RETENTION_YEARS = 0
    old = checked_in("Ana Silva", dt.datetime(2001, 1, 1, 18, 0, tzinfo=LONDON))
    assert retention.cutoff() is None
    assert apply_retention().checkins == 0
    assert named(old)


def _season(start: int, years: int) -> None:
    """Two runs a month: regulars throughout, a newcomer each month who comes back two weeks
    later, and again a year later (so some runners span the cutoff)."""
    for year in range(start, start + years):
        for month in range(1, 13):
            for day in (6, 20):
                at = dt.datetime(year, month, day, 18, 5, tzinfo=LONDON)
                if at > dt.datetime(2026, 11, 24, tzinfo=LONDON):
                    return
                for n in range(3):
                    checked_in(f"Regular {n}", at)
                checked_in(f"Newcomer {year}-{month}", at)
                if day == 20:
                    checked_in(f"Newcomer {year - 1}-{month}", at)


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_counts_and_charts_of_the_past_stay_the_same() -> None:
    _season(2021, 6)
    ranges = [
        (dt.date(2021, 1, 1), dt.date(2022, 12, 31)),  # anonymised entirely
        (dt.date(2023, 6, 1), dt.date(2024, 6, 30)),  # across the cutoff
        (dt.date(2025, 1, 1), dt.date(2026, 11, 24)),  # named entirely
    ]
    before = [history(first, last) for first, last in ranges]
    result = apply_retention()
    assert result.checkins > 0
    after = [history(first, last) for first, last in ranges]
    for old, new in zip(before, after, strict=True):
        assert new.runs == old.runs  # check-ins, newcomers and returners of every run
        assert new.weekdays == old.weekdays
        assert new.checkins == old.checkins and new.newcomers == old.newcomers
        assert charts.over_time(new) == charts.over_time(old)
        assert charts.new_and_returning(new) == charts.new_and_returning(old)
        assert charts.by_weekday(new) == charts.by_weekday(old)
    assert after[0].runners == before[0].runners
    assert after[2].runners == before[2].runners
    # Nobody past the period is a regular; the named years still have theirs.
    assert after[0].regulars == []
    assert after[1].regulars and all(regular.name for regular in after[1].regulars)
    assert after[2].regulars == before[2].regulars


def test_a_runner_anonymised_in_two_nights_still_counts_once_as_a_newcomer() -> None:
    for year in (2020, 2022, 2024):
        checked_in("Ana Silva", dt.datetime(year, 5, 3, 18, 0, tzinfo=LONDON))
    whole = (dt.date(2020, 1, 1), dt.date(2024, 12, 31))
    newcomers = [run.new for run in history(*whole).runs]
    assert newcomers == [1, 0, 0]
    for night in (dt.datetime(2025, 6, 1, 3, 0), dt.datetime(2028, 1, 1, 3, 0)):
        with time_machine.travel(night.replace(tzinfo=LONDON), tick=False):
            apply_retention()
            assert [run.new for run in history(*whole).runs] == newcomers
    assert not Attendance.objects.exclude(runner_name="").exists()


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_anonymised_check_ins_never_match_a_name_again() -> None:
    checked_in("Ana Silva", dt.datetime(2022, 5, 3, 18, 0, tzinfo=LONDON))
    apply_retention()
    assert not Runner.objects.named("Ana Silva").exists()
    assert not Attendance.objects.for_name("Ana Silva").exists()
    # The same name today is a newcomer: nothing links them to the old check-in.
    result = check_in(RunFactory(), "Ana Silva")
    assert runs_with_club(result.attendance) == 1


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_a_runner_who_still_runs_keeps_their_name_and_their_count_of_runs() -> None:
    old = checked_in("Ana Silva", dt.datetime(2022, 5, 3, 18, 0, tzinfo=LONDON), "S1234")
    recent = checked_in("Ana Silva", dt.datetime(2025, 5, 3, 18, 0, tzinfo=LONDON), "S1234")
    apply_retention()
    assert not named(old)
    assert named(recent)
    assert old.runner.member_number is None and old.runner.name == ""
    ana = Runner.objects.get(pk=recent.runner_id)
    assert (ana.name, ana.member_number, ana.anonymised_checkins) == ("Ana Silva", "S1234", 1)
    assert old.runner_id != ana.pk
    today = check_in(RunFactory(), "Ana Silva", member_number="S1234")
    assert runs_with_club(today.attendance) == 3  # "your 3rd run with the club"


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_anonymised_runners_are_never_merged_nor_offered_as_likely_the_same() -> None:
    old = checked_in("Ana Silva", dt.datetime(2022, 5, 3, 18, 0, tzinfo=LONDON))
    ana = checked_in("Ana Silvia", dt.datetime(2026, 5, 3, 18, 0, tzinfo=LONDON))
    ana_s = checked_in("Ana S", dt.datetime(2026, 5, 10, 18, 0, tzinfo=LONDON))
    apply_retention()
    old.refresh_from_db()
    with pytest.raises(CannotMerge):
        merge_runners(ana.runner, [old.runner])
    # No runner has the old name any more: merging it teaches Ana Silvia a spelling, and
    # leaves the anonymised check-in nobody's.
    merge_names("Ana Silva", "Ana Silvia")
    old.refresh_from_db()
    assert old.runner.anonymised and old.runner.names.count() == 0
    groups, _ = likely_variants()
    grouped = {runner.runner_id for group in groups for runner in group.runners}
    assert old.runner_id not in grouped
    assert {ana.runner_id, ana_s.runner_id} <= grouped


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_the_export_shows_anonymised_check_ins_as_such(client_as, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHECKIN_MEMBER_NUMBER = "optional"
    checked_in("Ana Silva", dt.datetime(2022, 5, 3, 18, 0, tzinfo=LONDON), "S1234")
    checked_in("Ben Jones", dt.datetime(2026, 5, 3, 18, 0, tzinfo=LONDON), "S999")
    apply_retention()
    body = b"".join(client_as("committee").get("/export/attendance.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, old, recent = rows
    cells = dict(zip(header, old, strict=True))
    assert cells["runner name"] == cells["runner"] == "(anonymised)"
    assert cells["member number"] == ""
    assert cells["run date"] == "2022-05-03"
    assert cells["checked in at (Europe/London)"] == "2022-05-03 18:00:00"
    assert dict(zip(header, recent, strict=True))["runner name"] == "Ben Jones"
    assert "Ana" not in body.decode() and "S1234" not in body.decode()


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_the_admin_shows_them_without_a_name_and_cannot_give_one_back(staff_client: Client) -> None:
    old = checked_in("Ana Silva", dt.datetime(2022, 5, 3, 18, 0, tzinfo=LONDON))
    apply_retention()
    listing = staff_client.get("/admin/attendance/attendance/").content.decode()
    assert "(anonymised)" in listing and "Ana Silva" not in listing
    assert "Ana Silva" not in staff_client.get("/admin/attendance/runner/").content.decode()
    change = staff_client.post(
        f"/admin/attendance/attendance/{old.pk}/change/",
        {"run": old.run_id, "runner_name": "Ana Silva", "registered_at_0": "2022-05-03"},
    )
    assert change.status_code == 403
    run_page = staff_client.get(f"/admin/calendar_app/run/{old.run_id}/change/")
    assert "1 more check-in older than the club keeps names" in run_page.content.decode()


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_old_admin_log_entries_lose_the_names_they_quote_erasures_keep_theirs() -> None:
    old = checked_in("Ana Silva", dt.datetime(2022, 5, 3, 18, 0, tzinfo=LONDON))
    staff = StaffFactory()
    with time_machine.travel(dt.datetime(2022, 5, 3, 19, 0, tzinfo=LONDON)):
        entry = LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(Attendance),
            object_id=str(old.pk),
            object_repr=str(old),
            action_flag=CHANGE,
            change_message="Changed runner_name from Ana Silvaa.",
        )
        log_erasure(staff, 4)
    apply_retention()
    entry.refresh_from_db()
    assert "Ana" not in entry.object_repr + entry.change_message
    assert entry.change_message == "Changed: details removed after the retention period"
    erasure = LogEntry.objects.exclude(pk=entry.pk).get()
    assert erasure.change_message == "Erased a runner: 4 check-ins deleted on request."


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_the_command_says_how_many_and_twice_is_harmless(capsys: pytest.CaptureFixture) -> None:
    checked_in("Ana Silva", dt.datetime(2022, 5, 3, 18, 0, tzinfo=LONDON))
    checked_in("Ana Silva", dt.datetime(2022, 5, 10, 18, 0, tzinfo=LONDON))
    checked_in("Ben Jones", dt.datetime(2026, 5, 3, 18, 0, tzinfo=LONDON))
    assert retention.overdue()
    call_command("apply_retention")
    assert capsys.readouterr().out == (
        "Anonymised 2 check-ins older than 3 years (1 runner no longer named). "
        "Cutoff: check-ins before 2023-11-25.\n"
    )
    assert not retention.overdue()
    call_command("apply_retention")
    assert capsys.readouterr().out.startswith(
        "No check-ins older than the retention period had names left."
    )
    assert Attendance.objects.count() == 3


def test_the_command_with_names_kept_for_ever(settings, capsys) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_YEARS = 0
    call_command("apply_retention")
    assert "RETENTION_YEARS=0: names are kept for ever" in capsys.readouterr().out
