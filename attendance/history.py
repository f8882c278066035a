"""The committee's look back: attendance over a date range, in a fixed number of queries.

Runners are counted as runners (``models.Runner``): "Ana Silva" and "ana  silva" are one,
and so are "Ana S" and "Ana Silva" once an organiser has merged them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils.dates import WEEKDAYS

from attendance.models import Attendance, Runner
from calendar_app.models import Run, club_today


@dataclass(frozen=True)
class RunPoint:
    date: dt.date
    checkins: int
    new: int  # runners whose first check-in ever was this run

    @property
    def returning(self) -> int:
        return self.checkins - self.new


@dataclass(frozen=True)
class WeekdayStat:
    name: str
    runs: int
    checkins: int

    @property
    def average(self) -> float:
        return self.checkins / self.runs if self.runs else 0.0


@dataclass(frozen=True)
class Regular:
    name: str  # the runner's name
    checkins: int


@dataclass(frozen=True)
class History:
    first: dt.date
    last: dt.date
    runs: list[RunPoint]
    weekdays: list[WeekdayStat]
    regulars: list[Regular]
    runners: int  # different runners in the range
    # Today's run when the range includes it: check-in is still open, so it is shown as
    # "so far" and kept out of the line and the averages, which it would drag down.
    today: RunPoint | None = None

    @property
    def checkins(self) -> int:
        return sum(run.checkins for run in self.runs) + (self.today.checkins if self.today else 0)

    @property
    def newcomers(self) -> int:
        return sum(run.new for run in self.runs) + (self.today.new if self.today else 0)


def _most_first(row: tuple[int, int]) -> tuple[int, int]:
    return -row[0], row[1]


def history(first: dt.date, last: dt.date, top: int = 15) -> History:
    in_range = Attendance.objects.filter(run__date__range=(first, last))
    today = club_today()
    # A cancelled run still counts if people checked in before it was cancelled; runs
    # still to come have no one yet and are left out.
    runs = (
        Run.objects.between(first, min(last, today))
        .with_counts()
        .filter(Q(is_active=True) | Q(checkin_count__gt=0))
        .order_by("date")
        # The stubs cannot see with_counts()'s annotation.
        .values_list("date", "checkin_count")  # type: ignore[misc]
    )
    # A runner whose oldest check-ins were anonymised was new at one of those, not at their
    # first named one: their nameless remainder counts there instead.
    firsts = Counter(
        Attendance.objects.filter(runner__anonymised_checkins=0)
        .values("runner")
        .annotate(first=Min("run__date"))
        .filter(first__range=(first, last))
        .values_list("first", flat=True)
    )
    points = [RunPoint(date, count, firsts[date]) for date, count in runs]
    in_progress = points.pop() if points and points[-1].date == today else None

    by_weekday: dict[int, list[int]] = {}
    for point in points:
        by_weekday.setdefault(point.date.weekday(), []).append(point.checkins)
    weekdays = [
        WeekdayStat(str(WEEKDAYS[day]), len(counts), sum(counts))
        for day, counts in sorted(by_weekday.items())
    ]

    # Every runner of the range in one grouped query read from the unique
    # constraint's index alone (a few thousand rows for ten years), so the
    # number of different runners needs no query of its own...
    per_runner = list(
        in_range.values("runner")
        .annotate(checkins=Count("run_id"))
        .values_list("checkins", "runner")
    )
    # ...and names only for the regulars shown. Anonymised check-ins are nobody's to show:
    # their runners are passed over, reading twice as many each time (one query unless the
    # range is mostly past the retention period).
    candidates = sorted(per_runner, key=_most_first)
    ranked: list[tuple[int, int]] = []
    names: dict[int, str] = {}
    size = top * 2
    while len(ranked) < top and candidates:
        chunk, candidates = candidates[:size], candidates[size:]
        found = dict(
            Runner.objects.filter(
                pk__in=[runner for _, runner in chunk], anonymised=False
            ).values_list("pk", "name")
        )
        names.update(found)
        ranked += [row for row in chunk if row[1] in found][: top - len(ranked)]
        size *= 2
    regulars = [Regular(names[runner], checkins) for checkins, runner in ranked]
    runners = len(per_runner)
    return History(first, last, points, weekdays, regulars, runners, in_progress)
