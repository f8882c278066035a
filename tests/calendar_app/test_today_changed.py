"""announce.today_changed(): the calendar's services say it once for each change to today's run,
and not for another day's (the watchers' side: tests/attendance/test_every_change_announced.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from calendar_app.days import DayChange
from calendar_app.models import Run, club_today
from calendar_app.services import Schedule, cancel_day, change_day, create_schedule, save_run
from runclub.lib import announce
from tests.factories import RunFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[None]:
    calls: list[None] = []
    monkeypatch.setattr(announce, "today_changed", lambda: calls.append(None))
    return calls


def on_calendar(change: DayChange, **fields: object) -> Callable[[dt.date], object]:
    return lambda day: change_day(day, change, confirmed=True, **fields)


def moved(day: dt.date) -> None:
    run = Run.objects.get(date=day)
    run.place = "Boathouse"
    save_run(run)


def scheduled(day: dt.date) -> None:
    create_schedule(Schedule(frozenset({day.weekday()}), dt.time(18), "Riverside", day, day))


CHANGES: dict[str, tuple[bool | None, Callable[[dt.date], object]]] = {
    # (the day's run before: open, cancelled or none, the change)
    "open": (None, on_calendar(DayChange.OPEN)),
    "reopen": (False, on_calendar(DayChange.OPEN)),
    "cancel": (True, on_calendar(DayChange.CANCEL)),
    "remove": (True, on_calendar(DayChange.REMOVE)),
    "time and place": (True, on_calendar(DayChange.SAVE, starts_at=dt.time(19), place="Parks")),
    "cancel, from the API": (True, cancel_day),
    "the run admin": (True, moved),
    "the schedule": (None, scheduled),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_todays_run_is_announced_once(announced: list[None], change: str) -> None:
    active, make = CHANGES[change]
    if active is not None:
        RunFactory(is_active=active)
    make(club_today())
    assert len(announced) == 1


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_another_days_run_is_not(announced: list[None], change: str) -> None:
    active, make = CHANGES[change]
    day = club_today() + dt.timedelta(days=7)
    if active is not None:
        RunFactory(date=day, is_active=active)
    make(day)
    assert announced == []


def test_a_run_moved_off_today_is_announced(announced: list[None]) -> None:
    run = RunFactory()
    run.date = club_today() + dt.timedelta(days=1)
    save_run(run)
    assert len(announced) == 1


@pytest.mark.parametrize("change", [DayChange.CANCEL, DayChange.REMOVE])
def test_a_change_asked_about_first_is_not_announced_until_done(
    announced: list[None], change: DayChange
) -> None:
    RunFactory()
    assert change_day(club_today(), change).question
    assert announced == []
