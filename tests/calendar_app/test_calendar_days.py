"""A day on the calendar: open, cancel, remove and add back, its check-in code never changing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from attendance.models import Attendance
from calendar_app.days import Caution, DayChange, Result
from calendar_app.models import RemovedDay, Run, RunHasCheckins, club_today
from calendar_app.services import Schedule, change_day, create_schedule
from calendar_app.wording import day_changed
from tests.api.helpers import post_json
from tests.factories import AttendanceFactory, RunFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 6)


def test_opening_an_empty_day_makes_a_run() -> None:
    run, created = Run.open_day(DAY)
    assert created and run.is_active and run.starts_at == dt.time(18, 0)


def test_opening_takes_the_time_and_place_given() -> None:
    run, _ = Run.open_day(DAY, starts_at=dt.time(7, 15), place="Boathouse")
    assert (run.starts_at, run.place) == (dt.time(7, 15), "Boathouse")


def test_cancelling_and_reopening_keeps_the_run_and_its_code() -> None:
    run = RunFactory(date=DAY)
    assert not Run.cancel_day(DAY).is_active
    reopened, created = Run.open_day(DAY)
    assert not created and reopened.pk == run.pk and reopened.session_id == run.session_id


def test_removing_and_adding_back_keeps_the_code_time_and_place() -> None:
    run = RunFactory(date=DAY, starts_at=dt.time(7, 15), place="Boathouse")
    Run.remove_day(DAY)
    assert not Run.objects.filter(date=DAY).exists()
    back, created = Run.open_day(DAY)
    assert created
    assert (back.session_id, back.starts_at, back.place) == (
        run.session_id,
        dt.time(7, 15),
        "Boathouse",
    )
    assert not RemovedDay.objects.exists(), "the memory is used up"


def test_a_day_added_back_with_a_new_time_keeps_its_code() -> None:
    run = RunFactory(date=DAY)
    Run.remove_day(DAY)
    back, _ = Run.open_day(DAY, starts_at=dt.time(9, 0), place="Track")
    assert (back.session_id, back.starts_at, back.place) == (run.session_id, dt.time(9), "Track")


def test_a_run_with_check_ins_is_never_removed() -> None:
    run = RunFactory(date=DAY, is_active=False)
    AttendanceFactory(run=run)
    with pytest.raises(RunHasCheckins):
        Run.remove_day(DAY)
    assert Attendance.objects.filter(run=run).count() == 1


@pytest.mark.parametrize(
    "delete",
    [
        lambda run: run.delete(),
        lambda run: Run.objects.filter(pk=run.pk).delete(),
    ],
    ids=["one run", "a queryset (the admin's delete action)"],
)
def test_every_way_of_deleting_a_run_remembers_its_code(delete) -> None:
    run = RunFactory(date=DAY)
    delete(run)
    assert Run.open_day(DAY)[0].session_id == run.session_id


def test_a_schedule_brings_back_the_codes_of_removed_days() -> None:
    run = RunFactory(date=DAY)  # a Tuesday
    Run.remove_day(DAY)
    create_schedule(Schedule(frozenset({1}), dt.time(18), "Oval", DAY, DAY + dt.timedelta(days=7)))
    assert Run.objects.get(date=DAY).session_id == run.session_id
    assert Run.objects.count() == 2


def test_the_admins_add_form_brings_back_a_removed_days_code(client_as) -> None:
    run = RunFactory(date=DAY)
    Run.remove_day(DAY)
    client_as("organiser").post(
        reverse("admin:calendar_app_run_add"),
        {
            "date": "2026-10-06",
            "starts_at": "18:30",
            "place": "Track",
            "is_active": "on",
            "attendances-TOTAL_FORMS": "0",
            "attendances-INITIAL_FORMS": "0",
        },
    )
    assert Run.objects.get(date=DAY).session_id == run.session_id


def test_the_api_brings_back_a_removed_days_code(staff_client: Client) -> None:
    run = RunFactory(date=DAY)
    Run.remove_day(DAY)
    response = post_json(
        staff_client, "/api/calendar/configure", {"date": "2026-10-06", "has_run": True}
    )
    assert json.loads(response.content)["session_id"] == run.session_id


@pytest.mark.parametrize("change", [DayChange.CANCEL, DayChange.REMOVE])
def test_today_and_runs_with_check_ins_ask_first(change: DayChange) -> None:
    today = RunFactory()
    outcome = change_day(today.date, change)
    assert outcome.question and not outcome.done and outcome.caution is Caution.TODAY
    assert "today's run" in day_changed(outcome)
    assert Run.objects.get(pk=today.pk).is_active

    past = RunFactory(date=DAY)
    AttendanceFactory.create_batch(2, run=past)
    outcome = change_day(DAY, DayChange.CANCEL)
    assert outcome.caution is Caution.HAS_CHECKINS
    assert day_changed(outcome) == "2 runners checked in to this run already."
    assert Run.objects.get(pk=past.pk).is_active


def test_other_days_change_without_asking() -> None:
    RunFactory(date=club_today() + dt.timedelta(days=9))
    outcome = change_day(club_today() + dt.timedelta(days=9), DayChange.CANCEL)
    assert outcome.done and not outcome.question


def test_confirmed_it_cancels_today() -> None:
    run = RunFactory()
    assert change_day(run.date, DayChange.CANCEL, confirmed=True).done
    assert not Run.objects.get(pk=run.pk).is_active


def test_removing_a_run_with_check_ins_is_refused_with_a_reason() -> None:
    run = RunFactory(date=DAY, is_active=False)
    AttendanceFactory(run=run)
    outcome = change_day(DAY, DayChange.REMOVE, confirmed=True)
    assert outcome.result is Result.KEPT_FOR_CHECKINS and not outcome.done
    assert "Cancel it instead" in day_changed(outcome)
    assert Run.objects.filter(pk=run.pk).exists()


def test_saving_sets_the_time_and_place() -> None:
    run = RunFactory(date=DAY)
    outcome = change_day(DAY, DayChange.SAVE, starts_at=dt.time(19, 30), place="Track")
    run.refresh_from_db()
    assert (run.starts_at, run.place) == (dt.time(19, 30), "Track")
    assert outcome.result is Result.SAVED
    assert day_changed(outcome) == "Tuesday 6 October: 19:30, Track."
