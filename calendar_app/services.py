"""Calendar rules that span many days: recurring schedules and the month grid."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from calendar_app.models import Run

# Longest schedule one form may create: a season, with room to spare, so a
# typo in the year cannot create decades of run days.
MAX_SCHEDULE_DAYS = 2 * 366


@dataclass(frozen=True)
class Schedule:
    """ "Every <weekdays> at <time> from <first> to <last>, except <dates>"."""

    weekdays: frozenset[int]  # Monday is 0, as in date.weekday()
    starts_at: dt.time
    place: str
    first: dt.date
    last: dt.date
    exceptions: frozenset[dt.date] = frozenset()

    def dates(self) -> Iterator[dt.date]:
        day = self.first
        while day <= self.last:
            if day.weekday() in self.weekdays and day not in self.exceptions:
                yield day
            day += dt.timedelta(days=1)


@dataclass(frozen=True)
class ScheduleResult:
    created: list[dt.date]
    existing: list[dt.date]  # already run days (or cancelled ones): left exactly as they were


def create_schedule(schedule: Schedule) -> ScheduleResult:
    """Create the schedule's run days in one go; days that already have a run are left alone.

    Running the same schedule twice therefore creates nothing the second time.
    """
    wanted = list(schedule.dates())
    existing = set(Run.objects.filter(date__in=wanted).values_list("date", flat=True))
    new = [day for day in wanted if day not in existing]
    Run.objects.bulk_create(
        [Run(date=day, starts_at=schedule.starts_at, place=schedule.place) for day in new],
        ignore_conflicts=True,  # a day added by someone else meanwhile stays theirs
    )
    Run.forget_upcoming()  # bulk_create sends no post_save
    return ScheduleResult(created=new, existing=sorted(existing))


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    run: Run | None
    in_month: bool
    is_today: bool

    @property
    def state(self) -> str:
        if self.run is None:
            return "none"
        return "run" if self.run.is_active else "cancelled"

    @property
    def state_label(self) -> str:
        return {"none": "no run", "run": "run day", "cancelled": "cancelled"}[self.state]

    @property
    def count(self) -> int:
        return self.run.checkin_count if self.run is not None else 0


def calendar_day(date: dt.date, today: dt.date, in_month: bool = True) -> CalendarDay:
    run = Run.objects.with_counts().filter(date=date).first()
    return CalendarDay(date, run, in_month, date == today)


def month_weeks(year: int, month: int, today: dt.date) -> list[list[CalendarDay]]:
    """The month as Monday-first weeks of days, each with its run and count (one query)."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    runs = {run.date: run for run in Run.objects.between(weeks[0][0], weeks[-1][-1]).with_counts()}
    return [
        [CalendarDay(day, runs.get(day), day.month == month, day == today) for day in week]
        for week in weeks
    ]


def parse_dates(text: str) -> Iterable[dt.date]:
    """Dates written as YYYY-MM-DD, separated by commas, spaces or new lines."""
    for word in text.replace(",", " ").split():
        yield dt.date.fromisoformat(word)
