"""The committee's look back: attendance over a date range, in a fixed number of queries.

Runners are counted as the duplicate rule compares names (``names.name_key``), so
"Ana Silva" and "ana  silva" are one runner.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Min, Q

from attendance.models import Attendance
from calendar_app.models import Run

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


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
    name: str  # one of the ways they wrote it
    checkins: int


@dataclass(frozen=True)
class History:
    first: dt.date
    last: dt.date
    runs: list[RunPoint]
    weekdays: list[WeekdayStat]
    regulars: list[Regular]
    runners: int  # different runners in the range

    @property
    def checkins(self) -> int:
        return sum(run.checkins for run in self.runs)

    @property
    def newcomers(self) -> int:
        return sum(run.new for run in self.runs)


def _most_first(row: tuple[str, int, str]) -> tuple[int, str]:
    return -row[1], row[2]


def history(first: dt.date, last: dt.date, top: int = 15) -> History:
    in_range = Attendance.objects.filter(run__date__range=(first, last))
    # A cancelled run still counts if people checked in before it was cancelled.
    runs = (
        Run.objects.between(first, last)
        .with_counts()
        .filter(Q(is_active=True) | Q(checkin_count__gt=0))
        .order_by("date")
        .values_list("date", "checkin_count")
    )
    firsts = Counter(
        Attendance.objects.values("name_key")
        .annotate(first=Min("run__date"))
        .filter(first__range=(first, last))
        .values_list("first", flat=True)
    )
    points = [RunPoint(date, count, firsts[date]) for date, count in runs]

    by_weekday: dict[int, list[int]] = {}
    for point in points:
        by_weekday.setdefault(point.date.weekday(), []).append(point.checkins)
    weekdays = [
        WeekdayStat(WEEKDAYS[day], len(counts), sum(counts))
        for day, counts in sorted(by_weekday.items())
    ]

    # Every runner of the range in one grouped query (a few thousand rows for
    # ten years), so the number of different runners needs no second query.
    per_runner = in_range.values("name_key").annotate(name=Min("runner_name"), checkins=Count("pk"))
    ranked = sorted(per_runner.values_list("name", "checkins", "name_key"), key=_most_first)
    regulars = [Regular(name, checkins) for name, checkins, _ in ranked[:top]]
    runners = len(ranked)
    return History(first, last, points, weekdays, regulars, runners)
