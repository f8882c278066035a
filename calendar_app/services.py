"""Calendar rules: changes to run days, recurring schedules and the month grid.

The one place run days are written. A change to today's run (added, cancelled, re-opened,
removed, moved) is announced to the watchers of today by the function that makes it
(``runclub.lib.announce.today_changed``, sent once the transaction commits): the calendar
page, the admin, the API and commands call these.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction

from calendar_app import wording
from calendar_app.days import DayChange, Outcome, Result
from calendar_app.models import RemovedDay, Run, RunHasCheckins, Term, club_today
from runclub.lib import announce

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
    runs = [Run(date=day, starts_at=schedule.starts_at, place=schedule.place) for day in new]
    with transaction.atomic():
        RemovedDay.give_back_code(runs)  # bulk_create skips Run.save()
        # A day added by someone else meanwhile stays theirs.
        Run.objects.bulk_create(runs, ignore_conflicts=True)
    Run.forget_upcoming()  # bulk_create sends no post_save
    _announce_if_today(*new)
    return ScheduleResult(created=new, existing=sorted(existing))


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    run: Run | None  # with_counts()
    in_month: bool
    is_today: bool
    term: Term | None = None

    @property
    def state(self) -> str:
        if self.run is None:
            return "none"
        return "run" if self.run.is_active else "cancelled"

    @property
    def state_label(self) -> str:
        return wording.day_state(self.state)

    @property
    def count(self) -> int:
        return self.run.checkin_count if self.run is not None else 0

    @property
    def term_week(self) -> int | None:
        return self.term.week(self.date) if self.term is not None else None

    def suggested(self) -> tuple[dt.time, str]:
        """Time and place for a new run that day: its own from before it was removed, else
        the latest earlier run's (clubs mostly meet at the same time and place), else 18:00.
        """
        if self.run is not None:
            return self.run.starts_at, self.run.place
        remembered = RemovedDay.details(self.date)
        if remembered:
            return remembered["starts_at"], remembered["place"]
        before = Run.objects.filter(date__lt=self.date).order_by("-date").first()
        model = before or Run.objects.order_by("date").first()
        if model is not None:
            return model.starts_at, model.place
        return Run._meta.get_field("starts_at").get_default(), ""


def calendar_day(date: dt.date, today: dt.date, in_month: bool = True) -> CalendarDay:
    run = Run.objects.with_counts().filter(date=date).first()
    term = Term.objects.overlapping(date, date).first()
    return CalendarDay(date, run, in_month, date == today, term)


def month_weeks(year: int, month: int, today: dt.date) -> list[list[CalendarDay]]:
    """The month as Monday-first weeks of days, each with its run, count and term (two
    queries)."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    runs = {run.date: run for run in Run.objects.between(first, last).with_counts()}
    terms = list(Term.objects.overlapping(first, last))

    def term_of(day: dt.date) -> Term | None:
        return next((term for term in terms if term.first <= day <= term.last), None)

    return [
        [
            CalendarDay(day, runs.get(day), day.month == month, day == today, term_of(day))
            for day in week
        ]
        for week in weeks
    ]


def month_terms(weeks: list[list[CalendarDay]]) -> list[Term]:
    """The terms with days in the month itself, in order."""
    terms: dict[int, Term] = {}
    for week in weeks:
        for day in week:
            if day.in_month and day.term is not None:
                terms.setdefault(day.term.pk, day.term)
    return sorted(terms.values(), key=lambda term: term.first)


def _announce_if_today(*dates: dt.date) -> None:
    """Tell the watchers of today when one of ``dates`` is today. They show today's run
    alone, so another day's change is not their news: tomorrow's run becomes today's at
    the club's midnight, when they read the new day by themselves."""
    if club_today() in dates:
        announce.today_changed()


def open_day(
    date: dt.date, *, starts_at: dt.time | None = None, place: str | None = None
) -> tuple[Run, bool]:
    """Make ``date`` a run day, re-opening it if it was cancelled (``Run.open_day``); the
    run, and whether it is new. Opening an open day again changes nothing, and its
    announcement (for today) only tells watchers what they show already."""
    run, created = Run.open_day(date, starts_at=starts_at, place=place)
    _announce_if_today(date)
    return run, created


def cancel_day(date: dt.date) -> Run | None:
    """Cancel the run on ``date`` (``Run.cancel_day``); the run, or None if the day has none."""
    run = Run.cancel_day(date)
    if run is not None:
        _announce_if_today(date)
    return run


def save_run(run: Run) -> None:
    """An organiser's run, added or changed in the admin: its date, time, place, or
    whether it is cancelled."""
    # A run moved off today leaves today without one: that is today's news too.
    before = Run.objects.filter(pk=run.pk) if run.pk is not None else Run.objects.none()
    moved_from = list(before.values_list("date", flat=True))
    run.save()
    _announce_if_today(run.date, *moved_from)


def change_day(
    date: dt.date,
    change: DayChange,
    *,
    starts_at: dt.time | None = None,
    place: str | None = None,
    confirmed: bool = False,
) -> Outcome:
    """One change to a day on the calendar. The day's check-in code never changes.

    Cancelling or removing today's run, or a run with check-ins, is only done ``confirmed``.
    """
    run = Run.objects.with_counts().filter(date=date).first()
    if run is not None and not confirmed:
        caution = run.caution_before(change)
        if caution is not None:
            return Outcome(Result.ASK_FIRST, date, checkins=run.checkin_count, caution=caution)
    if change is DayChange.OPEN:
        was_cancelled = run is not None and not run.is_active
        run, _ = open_day(date, starts_at=starts_at, place=place)
        return _with_run(Result.REOPENED if was_cancelled else Result.OPENED, run)
    if change is DayChange.CANCEL:
        cancelled = cancel_day(date)
        if cancelled is None:
            return Outcome(Result.NOTHING_TO_CANCEL, date)
        return _with_run(Result.CANCELLED, cancelled)
    if change is DayChange.REMOVE:
        try:
            Run.remove_day(date)
        except RunHasCheckins:
            return Outcome(Result.KEPT_FOR_CHECKINS, date)
        _announce_if_today(date)
        return Outcome(Result.REMOVED, date)
    if run is None:
        return Outcome(Result.NOTHING_TO_SAVE, date)
    run.starts_at = starts_at or run.starts_at
    run.place = run.place if place is None else place
    run.save(update_fields=["starts_at", "place"])
    _announce_if_today(date)
    return _with_run(Result.SAVED, run)


def _with_run(result: Result, run: Run) -> Outcome:
    return Outcome(result, run.date, run.starts_at, run.place)


def parse_dates(text: str) -> Iterable[dt.date]:
    """Dates written as YYYY-MM-DD, separated by commas, spaces or new lines."""
    for word in text.replace(",", " ").split():
        yield dt.date.fromisoformat(word)
