"""Server-rendered SVG charts for the history page.

Plain shapes with classes (colours live in static/css/organisers.css, with print
rules), a viewBox so they scale to the page and to paper, and text a person can
read: axis labels, values and a <title> on each mark for a hover hint.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from attendance.history import History, RunPoint

WIDTH = 960
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
# Above this many runs, the new-versus-returning bars are summed per month.
MAX_BARS = 60


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
    width: int = WIDTH
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

    def grid(self) -> SafeString:
        rows = [
            (LEFT, self.y(v), self.width - RIGHT, self.y(v), LEFT - 6, self.y(v) + 4, v)
            for v in range(0, self.ceiling + 1, self.step)
        ]
        return format_html_join(
            "",
            '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
            '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
            rows,
        )


def svg(label: str, body: SafeString, height: int = HEIGHT) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "<title>{}</title>{}</svg>",
        WIDTH,
        height,
        label,
        label,
        body,
    )


def x_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Month starts for short ranges, quarters for a few years, then years: a dozen or so."""
    months = (last.year - first.year) * 12 + last.month - first.month
    if months <= 14:
        every, fmt = 1, "%b"
    elif months <= 40:
        every, fmt = 3, "%b %y"
    else:
        every, fmt = 12 * math.ceil(months / 144), "%Y"
    ticks = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first and (day.year * 12 + day.month - 1) % every == 0:
            ticks.append((day, day.strftime(fmt)))
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return ticks


def over_time(history: History) -> SafeString:
    """Check-ins per run, as a line across the date range."""
    first, last = history.first, history.last
    frame = Frame(max((run.checkins for run in history.runs), default=0))
    days = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / days, 1)

    points = " ".join(f"{x(run.date)},{frame.y(run.checkins)}" for run in history.runs)
    radius = 3 if len(history.runs) <= 120 else 1.5
    dots = format_html_join(
        "",
        '<circle class="dot" cx="{}" cy="{}" r="{}"><title>{}: {}</title></circle>',
        (
            (
                x(run.date),
                frame.y(run.checkins),
                radius,
                run.date.strftime("%a %d %b %Y"),
                run.checkins,
            )
            for run in history.runs
        ),
    )
    ticks = format_html_join(
        "",
        '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((x(day), HEIGHT - BOTTOM + 18, text) for day, text in x_ticks(first, last)),
    )
    line = format_html('<polyline class="line" points="{}"/>', points) if points else SafeString()
    return svg("Check-ins per run over time", frame.grid() + line + dots + ticks)


def bars(
    labels: Sequence[str],
    stacks: Sequence[Sequence[int]],
    titles: Sequence[str],
    label: str,
    series: Sequence[str] = ("a",),
) -> SafeString:
    """Vertical bars, each a stack of values drawn bottom up in the classes ``series``.

    An empty label leaves its bar unlabelled.
    """
    frame = Frame(max((sum(stack) for stack in stacks), default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(len(stacks), 1)
    width = min(max(slot * 0.75, 1), 90)  # a few bars stay bars, not walls
    shapes = []
    every = max(1, math.ceil(sum(1 for text in labels if text) / 16))  # ~16 labels at most
    for i, (stack, title) in enumerate(zip(stacks, titles, strict=True)):
        x = round(LEFT + i * slot + (slot - width) / 2, 1)
        base = 0
        for value, name in zip(stack, series, strict=True):
            top = frame.y(base + value)
            shapes.append(
                format_html(
                    '<rect class="bar {}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}</title></rect>",
                    name,
                    x,
                    top,
                    round(width, 1),
                    round(frame.y(base) - top, 1),
                    title,
                )
            )
            base += value
        if labels[i] and i % every == 0:
            shapes.append(
                format_html(
                    '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                    round(x + width / 2, 1),
                    HEIGHT - BOTTOM + 18,
                    labels[i],
                )
            )
    # Every part was built by format_html, so escaped already.
    return svg(label, frame.grid() + mark_safe("".join(shapes)))


def by_weekday(history: History) -> SafeString:
    days = history.weekdays
    return bars(
        [day.name[:3] for day in days],
        [[round(day.average)] for day in days],
        [f"{day.name}: {day.average:.1f} per run over {day.runs} runs" for day in days],
        "Average check-ins per run by weekday",
    )


def _by_month(runs: Sequence[RunPoint]) -> tuple[list[str], list[list[int]], list[str]]:
    months: dict[dt.date, list[int]] = {}
    for run in runs:
        total = months.setdefault(run.date.replace(day=1), [0, 0])
        total[0] += run.returning
        total[1] += run.new
    if len(months) <= 24:
        labels = [month.strftime("%b %y") for month in months]
    else:  # years under the axis, each at its January
        labels = [month.strftime("%Y") if month.month == 1 else "" for month in months]
    titles = [
        f"{month:%B %Y}: {new} new, {returning} returning"
        for month, (returning, new) in months.items()
    ]
    return labels, list(months.values()), titles


def new_and_returning(history: History) -> tuple[SafeString, str]:
    """Stacked bars per run (or per month for long ranges) and what one bar is."""
    runs = history.runs
    if len(runs) <= MAX_BARS:
        labels = [run.date.strftime("%d %b") for run in runs]
        stacks = [[run.returning, run.new] for run in runs]
        titles = [
            f"{run.date:%a %d %b %Y}: {run.new} new, {run.returning} returning" for run in runs
        ]
        unit = "run"
    else:
        labels, stacks, titles = _by_month(runs)
        unit = "month"
    chart = bars(
        labels, stacks, titles, f"New and returning runners per {unit}", ("returning", "new")
    )
    return chart, unit


def regulars(history: History) -> SafeString:
    """The most regular runners as horizontal bars, names on the left."""
    rows = history.regulars
    row_height, name_width = 26, 220
    height = TOP + row_height * max(len(rows), 1) + 8
    most = max((row.checkins for row in rows), default=1)
    span = WIDTH - name_width - RIGHT - 48
    shapes = format_html_join(
        "",
        '<text class="name" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="bar a" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>'
        '<text class="value" x="{}" y="{}">{}</text>',
        (
            (
                name_width - 8,
                TOP + i * row_height + 17,
                row.name,
                name_width,
                TOP + i * row_height + 4,
                round(span * row.checkins / most, 1),
                row_height - 8,
                row.name,
                row.checkins,
                name_width + round(span * row.checkins / most, 1) + 6,
                TOP + i * row_height + 17,
                row.checkins,
            )
            for i, row in enumerate(rows)
        ),
    )
    return svg("The most regular runners: check-ins in the range", shapes, height)
