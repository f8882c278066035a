from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from calendar_app.models import Run, club_today

pytestmark = pytest.mark.django_db


def add_run_day(*args: str) -> list[str]:
    out = StringIO()
    call_command("add_run_day", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_it_makes_today_a_run_day_and_prints_the_url_last(settings: object) -> None:
    lines = add_run_day()
    run = Run.objects.get()
    assert run.date == club_today()
    assert lines[-1] == run.checkin_url()
    assert lines[-1] == f"{settings.SITE_URL}/c/{run.short_code}"


def test_it_takes_a_date() -> None:
    lines = add_run_day("2027-01-12")
    assert Run.objects.get().date == dt.date(2027, 1, 12)
    assert lines[-1] == Run.objects.get().checkin_url()


def test_it_is_idempotent() -> None:
    first = add_run_day("today")
    second = add_run_day("today")
    assert Run.objects.count() == 1
    assert first[-1] == second[-1]


def test_it_reopens_a_cancelled_day() -> None:
    Run.objects.create(date=club_today(), is_active=False)
    add_run_day("today")
    assert Run.objects.get().is_active


@pytest.mark.parametrize("bad", ["tomorrow", "2026-02-30", "12/01/2027", ""])
def test_it_rejects_what_is_not_a_date(bad: str) -> None:
    with pytest.raises(CommandError, match="is not 'today' or a date"):
        add_run_day(bad)
    assert Run.objects.count() == 0


def test_it_sets_time_and_place() -> None:
    add_run_day("today", "--time", "07:15", "--place", " Boathouse steps ")
    run = Run.objects.get()
    assert (run.starts_at, run.place) == (dt.time(7, 15), "Boathouse steps")


def test_it_keeps_time_and_place_when_reopened() -> None:
    add_run_day("today", "--time", "07:15", "--place", "Boathouse")
    add_run_day("today")
    run = Run.objects.get()
    assert (run.starts_at, run.place) == (dt.time(7, 15), "Boathouse")


def test_it_rejects_a_bad_time() -> None:
    with pytest.raises(CommandError, match="is not a time like 18:30"):
        add_run_day("today", "--time", "25:99")
