"""A term report for the committee (and the students' union's yearly question): how many came,
and did newcomers stay? One page per term and its CSV, in a fixed number of queries.

Every figure comes from the term's check-ins, the rows ``/export/attendance.csv`` gives for
the term's first to last day, so a spreadsheet made from the export agrees with it. Runners
are counted as runners (``models.Runner``), as history counts them; anonymised check-ins
(older than ``RETENTION_YEARS``) still count, each person's as one runner, but name nobody.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.utils.dates import WEEKDAYS
from django.utils.text import slugify

from attendance import wording
from attendance.export import BOM, safe_cell
from attendance.history import WeekdayStat
from attendance.models import Attendance
from calendar_app.models import Term, club_today

# How many runners the "most runs" table names (or counts, without names).
MOST_RUNS_SHOWN = 10


@dataclass(frozen=True)
class Turnout:
    date: dt.date
    checkins: int


@dataclass(frozen=True)
class Ranked:
    rank: int  # shared by runners with as many runs ("=3rd")
    shared: bool
    name: str  # empty when the club shows counts without names
    runs: int


@dataclass(frozen=True)
class TermReport:
    term: Term
    today: dt.date
    held: list[Turnout]  # runs that took place (not cancelled) before today, in date order
    # Today's run while its day lasts: check-in is open, so its count is not final. Its
    # check-ins count among the term's (and its runners), not in the runs held or averages.
    today_run: Turnout | None
    cancelled: int  # runs cancelled, up to today
    to_come: int  # runs on the calendar after today, not cancelled (a term still under way)
    checkins: int  # every check-in of the term's runs, cancelled ones included: the export's rows
    runners: int  # different runners among them
    first_timers: int  # runners whose first run with the club was in this term
    came_back: int  # first-timers who checked in at least once more this term
    weekdays: list[WeekdayStat]
    most_runs: list[Ranked]
    names_shown: bool

    @property
    def under_way(self) -> bool:
        return not self.term.is_over(self.today)

    @property
    def average(self) -> float:
        """Check-ins per run held."""
        return sum(run.checkins for run in self.held) / len(self.held) if self.held else 0.0

    @property
    def best(self) -> Turnout | None:
        """The run most came to (the earliest, when two runs tie)."""
        return max(self.held, key=lambda run: run.checkins, default=None)

    @property
    def came_back_share(self) -> int:
        """Of the first-timers, the percentage who came back."""
        return round(100 * self.came_back / self.first_timers) if self.first_timers else 0


def term_report(term: Term, today: dt.date | None = None) -> TermReport:
    today = today or club_today()
    runs = list(
        term.runs()
        .with_counts()
        .order_by("date")
        # The stubs cannot see with_counts()'s annotation.
        .values_list("date", "is_active", "checkin_count")  # type: ignore[misc]
    )
    held = [Turnout(date, count) for date, active, count in runs if active and date < today]
    today_run = next(
        (Turnout(date, count) for date, active, count in runs if active and date == today), None
    )
    cancelled = sum(1 for date, active, _ in runs if not active and date <= today)
    to_come = sum(1 for date, active, _ in runs if active and date > today)

    by_weekday: dict[int, list[int]] = {}
    for run in held:
        by_weekday.setdefault(run.date.weekday(), []).append(run.checkins)
    weekdays = [
        WeekdayStat(str(WEEKDAYS[day]), len(counts), sum(counts))
        for day, counts in sorted(by_weekday.items())
    ]

    # One row per runner of the term: their runs in it, whether they ran with the club before
    # it (a check-in before its first day, or one anonymised since), and who they are.
    earlier = Attendance.objects.filter(runner=OuterRef("runner"), run__date__lt=term.first)
    per_runner = list(
        Attendance.objects.filter(run__date__range=(term.first, term.last))
        .values("runner")
        .annotate(runs=Count("pk"), before=Exists(earlier))
        .values_list(
            "runs", "before", "runner__anonymised_checkins", "runner__anonymised", "runner__name"
        )
        .order_by()
    )
    new = [
        runs
        for runs, before, anonymised_before, _, _ in per_runner
        if not before and not anonymised_before
    ]
    return TermReport(
        term=term,
        today=today,
        held=held,
        today_run=today_run,
        cancelled=cancelled,
        to_come=to_come,
        checkins=sum(runs for runs, *_ in per_runner),
        runners=len(per_runner),
        first_timers=len(new),
        came_back=sum(1 for runs in new if runs > 1),
        weekdays=weekdays,
        most_runs=_ranked(
            [(runs, name) for runs, _, _, anonymised, name in per_runner if not anonymised]
        ),
        names_shown=settings.TERM_REPORT_NAMES,
    )


def _ranked(rows: list[tuple[int, str]]) -> list[Ranked]:
    """The runners with the most runs, ties sharing a rank; nobody named if the club says so.

    Anonymised check-ins are nobody's and were left out before this.
    """
    rows = sorted(rows, key=lambda row: (-row[0], row[1].casefold()))[:MOST_RUNS_SHOWN]
    counts = [runs for runs, _ in rows]
    names = settings.TERM_REPORT_NAMES
    return [
        Ranked(
            rank=counts.index(runs) + 1,
            shared=counts.count(runs) > 1,
            name=name if names else "",
            runs=runs,
        )
        for runs, name in rows
    ]


def as_csv(report: TermReport) -> str:
    """The report as CSV: its figures, then turnout by weekday, then the most runs, each a
    table of its own under a header row, a blank line between."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    words = wording.REPORT_CSV
    best = report.best
    writer.writerow([words["figure"], words["value"]])
    writer.writerows(
        [
            [words["term"], safe_cell(report.term.name)],
            [words["first_day"], report.term.first.isoformat()],
            [words["last_day"], report.term.last.isoformat()],
            [words["up_to"], min(report.today, report.term.last).isoformat()],
            [words["today"], report.today_run.checkins if report.today_run else ""],
            [words["held"], len(report.held)],
            [words["cancelled"], report.cancelled],
            [words["to_come"], report.to_come],
            [words["checkins"], report.checkins],
            [words["runners"], report.runners],
            [words["average"], f"{report.average:.1f}"],
            [words["best"], best.checkins if best else 0],
            [words["best_on"], best.date.isoformat() if best else ""],
            [words["first_timers"], report.first_timers],
            [words["came_back"], report.came_back],
        ]
    )
    writer.writerow([])
    writer.writerow([words["weekday"], words["runs"], words["checkins"], words["average"]])
    for day in report.weekdays:
        writer.writerow([day.name, day.runs, day.checkins, f"{day.average:.1f}"])
    writer.writerow([])
    writer.writerow([words["rank"], words["runner"], words["runs"]])
    for row in report.most_runs:
        writer.writerow([row.rank, safe_cell(row.name), row.runs])
    return BOM + buffer.getvalue()


def csv_filename(report: TermReport) -> str:
    return f"term-report-{slugify(report.term.name) or report.term.pk}.csv"
