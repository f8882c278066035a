"""The history page's charts, as shapes for a template to draw.

This module only measures: it places bars, dots, gridlines and labels on a fixed
canvas and hands them to ``attendance/admin/chart.html``, which writes the SVG. The
template escapes every name and label itself, so no chart, empty or full, depends
on getting ``mark_safe`` right. Colours live in static/css/organisers.css.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS_ABBR
from django.utils.translation import get_language

from attendance import wording
from attendance.history import History, RunPoint, WeekdayStat
from attendance.report import Turnout

WIDTH = 960
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
# Above this many runs, the new-versus-returning bars are summed per month.
MAX_BARS = 60


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"  # SVG text-anchor
    css: str = "tick"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str
    css: str = "a"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    title: str
    css: str = "dot"


@dataclass(frozen=True)
class Gridline:
    y: float
    value: int

    @property
    def text_y(self) -> float:
        return round(self.y + 4, 1)


@dataclass
class Chart:
    label: str  # what the chart shows, for its title and screen readers
    height: int = HEIGHT
    width: int = WIDTH
    gridlines: list[Gridline] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    line: str = ""  # polyline points, "x,y x,y ..."
    empty: str = ""  # said in the middle of the chart when there is nothing to draw

    @property
    def left(self) -> int:
        return LEFT

    @property
    def tick_x(self) -> int:
        return LEFT - 6

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def middle(self) -> tuple[float, float]:
        return self.width / 2, self.height / 2


def nice_step(top: float, ticks: int = 5) -> int:
    """A round step (1, 2, 5, 10, 20, 50...) giving about ``ticks`` gridlines up to ``top``."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1, int(factor * power))
    return int(10 * power)


@dataclass(frozen=True)
class Frame:
    """The plot area and its vertical scale, shared by the vertical charts."""

    top_value: int
    height: int = HEIGHT

    @property
    def step(self) -> int:
        return nice_step(self.top_value)

    @property
    def ceiling(self) -> int:
        return max(self.step, math.ceil(self.top_value / self.step) * self.step)

    def y(self, value: float) -> float:
        span = self.height - TOP - BOTTOM
        return round(self.height - BOTTOM - span * value / self.ceiling, 1)

    def gridlines(self) -> list[Gridline]:
        return [Gridline(self.y(v), v) for v in range(0, self.ceiling + 1, self.step)]


@dataclass(frozen=True)
class DateNames:
    weekdays: tuple[str, ...]  # "Mon", Monday first
    months: tuple[str, ...]  # "Jan", January first
    full_months: tuple[str, ...]  # "January"


@functools.cache
def date_names(language: str | None) -> DateNames:
    """Day and month names in ``language`` (the club's), as Django's date filter writes them
    ("D", "M", "F"): looked up once, where the filter would look them up again for each of a
    long range's thousand dots (four times the charts' whole cost)."""
    return DateNames(
        tuple(str(WEEKDAYS_ABBR[day]) for day in range(7)),
        tuple(str(MONTHS_3[month]).title() for month in range(1, 13)),
        tuple(str(MONTHS[month]) for month in range(1, 13)),
    )


def _names() -> DateNames:
    return date_names(get_language())


def month_label(day: dt.date, *, with_year: bool = True) -> str:
    """'Dec 2025': a month, never mistaken for a date as 'Dec 25' is."""
    month = _names().months[day.month - 1]
    return f"{month} {day.year}" if with_year else month


def day_label(day: dt.date) -> str:
    return f"{day.day} {_names().months[day.month - 1]}"


def _run_day(day: dt.date) -> str:
    """'Wed 2 Dec 2026', a run's day in a bar's or a dot's title."""
    names = _names()
    return f"{names.weekdays[day.weekday()]} {day.day} {names.months[day.month - 1]} {day.year}"


def x_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Month starts for short ranges, quarters for a few years, then years: a dozen or so.

    Monthly ticks name the year on the first and on each January.
    """
    months = (last.year - first.year) * 12 + last.month - first.month
    if months <= 14:
        every = 1
    elif months <= 40:
        every = 3
    else:
        every = 12 * math.ceil(months / 144)
    ticks: list[tuple[dt.date, str]] = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first and (day.year * 12 + day.month - 1) % every == 0:
            if every >= 12:
                text = str(day.year)
            else:
                text = month_label(day, with_year=every > 1 or not ticks or day.month == 1)
            ticks.append((day, text))
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return ticks


def over_time(history: History) -> Chart:
    """Check-ins per run, as a line across the date range; today's run as "so far"."""
    first, last = history.first, history.last
    today = history.today
    frame = Frame(max([run.checkins for run in history.runs] + [today.checkins if today else 0]))
    days = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / days, 1)

    radius = 3 if len(history.runs) <= 120 else 1.5
    chart = Chart(
        str(wording.CHART_OVER_TIME),
        gridlines=frame.gridlines(),
        labels=[Label(x(day), HEIGHT - BOTTOM + 18, text) for day, text in x_ticks(first, last)],
        line=" ".join(f"{x(run.date)},{frame.y(run.checkins)}" for run in history.runs),
        dots=[
            Dot(
                x(run.date),
                frame.y(run.checkins),
                radius,
                f"{_run_day(run.date)}: {run.checkins}",
            )
            for run in history.runs
        ],
    )
    if today is not None:
        # Not joined to the line: the day is not over, and its count is not final.
        chart.dots.append(
            Dot(
                x(today.date),
                frame.y(today.checkins),
                5,
                wording.so_far_today(day_label(today.date), today.checkins),
                "dot so-far",
            )
        )
    if not chart.dots:
        chart.empty = str(wording.NO_RUNS_IN_RANGE)
    return chart


def bars(
    labels: Sequence[str],
    stacks: Sequence[Sequence[int]],
    titles: Sequence[str],
    label: str,
    series: Sequence[str] = ("a",),
    empty: str | None = None,
) -> Chart:
    """Vertical bars, each a stack of values drawn bottom up in the classes ``series``.

    An empty label leaves its bar unlabelled. ``empty`` is said when there are no bars
    ("No runs in this range." unless given).
    """
    frame = Frame(max((sum(stack) for stack in stacks), default=0))
    if stacks:
        empty = ""
    elif empty is None:
        empty = str(wording.NO_RUNS_IN_RANGE)
    chart = Chart(label, gridlines=frame.gridlines(), empty=empty)
    slot = (WIDTH - LEFT - RIGHT) / max(len(stacks), 1)
    width = round(min(max(slot * 0.75, 1), 90), 1)  # a few bars stay bars, not walls
    every = max(1, math.ceil(sum(1 for text in labels if text) / 16))  # ~16 labels at most
    for i, (stack, title) in enumerate(zip(stacks, titles, strict=True)):
        x = round(LEFT + i * slot + (slot - width) / 2, 1)
        base = 0
        for value, css in zip(stack, series, strict=True):
            top = frame.y(base + value)
            chart.bars.append(Bar(x, top, width, round(frame.y(base) - top, 1), title, css))
            base += value
        if labels[i] and i % every == 0:
            chart.labels.append(Label(round(x + width / 2, 1), HEIGHT - BOTTOM + 18, labels[i]))
    return chart


def by_weekday(history: History) -> Chart:
    """Average check-ins per finished run, one bar for each weekday that had runs."""
    return weekday_averages(history.weekdays)


def weekday_averages(days: Sequence[WeekdayStat]) -> Chart:
    return bars(
        [day.name[:3] for day in days],
        [[round(day.average)] for day in days],
        [wording.weekday_average(day.name, day.average, day.runs) for day in days],
        str(wording.CHART_BY_WEEKDAY),
    )


def _by_month(runs: Sequence[RunPoint]) -> tuple[list[str], list[list[int]], list[str]]:
    months: dict[dt.date, list[int]] = {}
    for run in runs:
        total = months.setdefault(run.date.replace(day=1), [0, 0])
        total[0] += run.returning
        total[1] += run.new
    if len(months) <= 24:
        labels = [month_label(month) for month in months]
    else:  # years under the axis, each at its January
        labels = [str(month.year) if month.month == 1 else "" for month in months]
    titles = [
        wording.new_and_returning(
            f"{_names().full_months[month.month - 1]} {month.year}", new, returning
        )
        for month, (returning, new) in months.items()
    ]
    return labels, list(months.values()), titles


def new_and_returning(history: History) -> tuple[Chart, str]:
    """Stacked bars per run (or per month for long ranges) and what one bar is.

    Today's run, still open, is the last bar and says "so far".
    """
    runs = [*history.runs, *([history.today] if history.today else [])]
    if len(runs) <= MAX_BARS:
        labels = [day_label(run.date) for run in runs]
        stacks = [[run.returning, run.new] for run in runs]
        titles = [
            wording.new_and_returning(
                _run_day(run.date), run.new, run.returning, so_far=run is history.today
            )
            for run in runs
        ]
        unit = "run"
    else:
        labels, stacks, titles = _by_month(runs)
        unit = "month"
    chart = bars(
        labels, stacks, titles, str(wording.CHART_NEW_AND_RETURNING[unit]), ("returning", "new")
    )
    return chart, unit


def regulars(history: History) -> Chart:
    """The most regular runners as horizontal bars, names on the left."""
    rows = history.regulars
    row_height, name_width = 26, 220
    height = TOP + row_height * max(len(rows), 1) + 8
    most = max((row.checkins for row in rows), default=1)
    span = WIDTH - name_width - RIGHT - 48
    chart = Chart(
        str(wording.CHART_REGULARS),
        height=height,
        empty="" if rows else str(wording.NOBODY_IN_RANGE),
    )
    for i, row in enumerate(rows):
        top = TOP + i * row_height
        length = round(span * row.checkins / most, 1)
        chart.labels.append(Label(name_width - 8, top + 17, row.name, "end", "name"))
        chart.bars.append(
            Bar(name_width, top + 4, length, row_height - 8, f"{row.name}: {row.checkins}")
        )
        chart.labels.append(
            Label(name_width + length + 6, top + 17, str(row.checkins), "start", "value")
        )
    return chart


def turnout(runs: Sequence[Turnout]) -> Chart:
    """Check-ins at each run, one bar a run (a term's few dozen), dates under them."""
    return bars(
        [day_label(run.date) for run in runs],
        [[run.checkins] for run in runs],
        [f"{_run_day(run.date)}: {run.checkins}" for run in runs],
        str(wording.CHART_TURNOUT),
        empty=str(wording.NO_RUNS_HELD_IN_TERM),
    )
