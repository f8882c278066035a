"""A runner's own season, for ``/me/`` on their phone: runs this term and in all, the current
streak, milestones, the next runs. In a fixed number of queries, about one runner only.

The runner is the phone's (``cookies.remembered_runner``): nobody else's runs are ever read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DateField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from attendance import wording
from attendance.models import Attendance, Runner
from calendar_app.models import Run, Term, club_today


@dataclass(frozen=True)
class Milestone:
    runs: int
    cheer: str  # "A quarter-century!"


@dataclass(frozen=True)
class Season:
    runner: Runner
    today: dt.date
    term: Term | None  # this term: the one today falls in, else the last one
    this_term: int  # runs in it
    in_all: int  # runs with the club, anonymised ones included ("your Nth run")
    streak: int  # the club's run days in a row they came to, up to their latest
    in_today: bool  # checked in to today's run
    reached: list[Milestone]
    next_milestone: Milestone

    @property
    def to_go(self) -> int:
        return self.next_milestone.runs - self.in_all

    @property
    def milestone_gap(self) -> int:
        """Runs from the last milestone reached (or none) to the next: the progress bar's length."""
        last = self.reached[-1].runs if self.reached else 0
        return self.next_milestone.runs - last

    @property
    def since_milestone(self) -> int:
        return self.milestone_gap - self.to_go

    @property
    def term_is_over(self) -> bool:
        return self.term is not None and self.term.is_over(self.today)


def milestones(runs: int) -> tuple[list[Milestone], Milestone]:
    """The milestones ``runs`` has reached, and the next one."""
    marks = sorted(wording.MILESTONES)
    reached = [mark for mark in marks if mark <= runs]
    reached += list(range(marks[-1] + 100, runs + 1, 100))  # 200, 300...
    upcoming = next((mark for mark in marks if mark > runs), None)
    if upcoming is None:
        upcoming = (runs // 100 + 1) * 100
    return (
        [Milestone(mark, wording.milestone_cheer(mark)) for mark in reached],
        Milestone(upcoming, wording.milestone_cheer(upcoming)),
    )


def streak(runner: Runner, today: dt.date) -> int:
    """The club's run days in a row ``runner`` came to, counting back from their latest.

    Cancelled runs are no run days: they never break a streak (nor add to it). Today's run
    breaks nothing until the day is over. One query.
    """
    came = Attendance.objects.filter(run=OuterRef("pk"), runner=runner)
    last_missed = (
        Run.objects.active()
        .filter(date__lt=today)
        .exclude(Exists(came))
        .order_by("-date")
        .values("date")[:1]
    )
    since = Coalesce(Subquery(last_missed), Value(dt.date.min), output_field=DateField())
    return (
        Attendance.objects.filter(runner=runner, run__is_active=True, run__date__lte=today)
        .filter(run__date__gt=since)
        .count()
    )


def season(runner: Runner, today: dt.date | None = None) -> Season:
    today = today or club_today()
    term = Term.current(today)
    count = {"total": Count("pk"), "today": Count("pk", filter=Q(run__date=today))}
    if term is not None:
        count["this_term"] = Count("pk", filter=Q(run__date__range=(term.first, term.last)))
    counts = Attendance.objects.filter(runner=runner).aggregate(**count)
    in_all = counts["total"] + runner.anonymised_checkins
    reached, upcoming = milestones(in_all)
    return Season(
        runner=runner,
        today=today,
        term=term,
        this_term=counts.get("this_term", 0),
        in_all=in_all,
        streak=streak(runner, today),
        in_today=counts["today"] > 0,
        reached=reached,
        next_milestone=upcoming,
    )
