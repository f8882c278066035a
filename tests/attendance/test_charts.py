"""The history page's SVG charts: readable axes, whatever the range."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string

from attendance.charts import (
    Chart,
    by_weekday,
    new_and_returning,
    nice_step,
    over_time,
    regulars,
    x_ticks,
)
from attendance.history import History, Regular, RunPoint, WeekdayStat


def draw(chart: Chart) -> str:
    """The chart as the history page draws it."""
    return render_to_string("attendance/admin/chart.html", {"chart": chart}).strip()


def tick_labels(svg: str) -> list[str]:
    return re.findall(r'<text class="tick" [^>]*text-anchor="middle">([^<]*)</text>', svg)


def weekly(first: dt.date, weeks: int) -> History:
    runs = [RunPoint(first + dt.timedelta(weeks=i), 10 + i % 7, i % 3) for i in range(weeks)]
    return History(first, runs[-1].date, runs, [], [], 0)


@pytest.mark.parametrize(("top", "step"), [(0, 1), (7, 2), (48, 10), (430, 100), (1700, 500)])
def test_gridlines_fall_on_round_numbers(top: int, step: int) -> None:
    assert nice_step(top) == step


def test_the_time_axis_shows_months_then_quarters_then_years() -> None:
    assert [text for _, text in x_ticks(dt.date(2026, 1, 5), dt.date(2026, 4, 30))] == [
        "Feb 2026",
        "Mar",
        "Apr",
    ]
    assert [text for _, text in x_ticks(dt.date(2025, 10, 15), dt.date(2026, 2, 1))] == [
        "Nov 2025",
        "Dec",
        "Jan 2026",
        "Feb",
    ]
    assert x_ticks(dt.date(2024, 1, 1), dt.date(2026, 1, 1))[1][1] == "Apr 2024"
    years = [text for _, text in x_ticks(dt.date(2016, 11, 25), dt.date(2026, 11, 24))]
    assert years == [str(year) for year in range(2017, 2027)]
    centuries = [text for _, text in x_ticks(dt.date(1900, 1, 1), dt.date(2199, 12, 31))]
    assert 10 <= len(centuries) <= 13 and centuries[0] == "1900"


def test_a_decade_of_months_is_labelled_by_year_without_crowding() -> None:
    chart, unit = new_and_returning(weekly(dt.date(2016, 11, 29), 520))
    assert unit == "month"
    labels = tick_labels(draw(chart))
    assert labels == sorted(set(labels)) and len(labels) <= 16
    assert all(re.fullmatch(r"20\d\d", label) for label in labels)


def test_a_term_is_drawn_run_by_run() -> None:
    chart, unit = new_and_returning(weekly(dt.date(2026, 9, 29), 10))
    assert unit == "run"
    assert draw(chart).count('class="bar new"') == 10


def test_every_run_is_a_point_with_its_date_and_count() -> None:
    svg = draw(over_time(weekly(dt.date(2026, 9, 29), 10)))
    assert svg.count("<circle") == 10
    assert "<title>Tue 29 Sep 2026: 10</title>" in svg
    assert svg.count("<polyline") == 1


def test_names_are_escaped_in_the_regulars_chart() -> None:
    history = History(
        dt.date(2026, 1, 1), dt.date(2026, 2, 1), [], [], [Regular("<i>Al</i>", 3)], 1
    )
    svg = draw(regulars(history))
    assert "<i>" not in svg and "&lt;i&gt;Al&lt;/i&gt;" in svg


EMPTY = History(dt.date(2025, 11, 25), dt.date(2026, 11, 25), [], [], [], 0)


@pytest.mark.parametrize("chart", [over_time, lambda h: new_and_returning(h)[0], by_weekday])
def test_an_empty_range_draws_an_empty_chart_that_says_so(chart) -> None:
    svg = draw(chart(EMPTY))
    assert svg.startswith('<div class="rc-chart-frame" tabindex="0"><svg class="chart"')
    assert svg.endswith("</svg></div>")  # one chart in its frame (it scrolls on a phone)
    assert "&lt;" not in svg, "no markup shown as text"
    assert "No runs in this range." in svg
    assert "<circle" not in svg and "<rect" not in svg and "<polyline" not in svg


def test_an_empty_regulars_chart_says_nobody_came() -> None:
    assert "Nobody checked in during this range." in draw(regulars(EMPTY))


def test_todays_run_is_a_dot_of_its_own_so_far_never_on_the_line() -> None:
    runs = [RunPoint(dt.date(2026, 11, 17), 40, 2), RunPoint(dt.date(2026, 11, 19), 42, 1)]
    history = History(
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 25),
        runs,
        [],
        [],
        50,
        RunPoint(dt.date(2026, 11, 25), 3, 0),
    )
    svg = draw(over_time(history))
    points = re.search(r'<polyline class="line" points="([^"]+)"', svg)[1].split()
    assert len(points) == 2, "the line joins finished runs only"
    assert "Today, 25 Nov: 3 so far" in svg
    assert 'class="dot so-far"' in svg
    bars = draw(new_and_returning(history)[0])
    assert "Wed 25 Nov 2026: 0 new, 3 returning so far" in bars


def test_weekdays_are_the_ones_with_runs_only() -> None:
    history = History(
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
        [],
        [WeekdayStat("Tuesday", 4, 160), WeekdayStat("Thursday", 4, 120)],
        [],
        0,
    )
    assert tick_labels(draw(by_weekday(history))) == ["Tue", "Thu"]


def test_months_are_labelled_with_their_year() -> None:
    chart, unit = new_and_returning(weekly(dt.date(2025, 9, 2), 70))
    assert unit == "month"
    labels = tick_labels(draw(chart))
    assert "Dec 2025" in labels and all(re.fullmatch(r"[A-Z][a-z]{2} 20\d\d", x) for x in labels)
