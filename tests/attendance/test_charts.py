"""The history page's SVG charts: readable axes, whatever the range."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from attendance.charts import new_and_returning, nice_step, over_time, regulars, x_ticks
from attendance.history import History, Regular, RunPoint


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
        "Feb",
        "Mar",
        "Apr",
    ]
    assert x_ticks(dt.date(2024, 1, 1), dt.date(2026, 1, 1))[1][1] == "Apr 24"
    years = [text for _, text in x_ticks(dt.date(2016, 11, 25), dt.date(2026, 11, 24))]
    assert years == [str(year) for year in range(2017, 2027)]
    centuries = [text for _, text in x_ticks(dt.date(1900, 1, 1), dt.date(2199, 12, 31))]
    assert 10 <= len(centuries) <= 13 and centuries[0] == "1900"


def test_a_decade_of_months_is_labelled_by_year_without_crowding() -> None:
    chart, unit = new_and_returning(weekly(dt.date(2016, 11, 29), 520))
    assert unit == "month"
    labels = tick_labels(str(chart))
    assert labels == sorted(set(labels)) and len(labels) <= 16
    assert all(re.fullmatch(r"20\d\d", label) for label in labels)


def test_a_term_is_drawn_run_by_run() -> None:
    chart, unit = new_and_returning(weekly(dt.date(2026, 9, 29), 10))
    assert unit == "run"
    assert str(chart).count('class="bar new"') == 10


def test_every_run_is_a_point_with_its_date_and_count() -> None:
    svg = str(over_time(weekly(dt.date(2026, 9, 29), 10)))
    assert svg.count("<circle") == 10
    assert "<title>Tue 29 Sep 2026: 10</title>" in svg


def test_names_are_escaped_in_the_regulars_chart() -> None:
    history = History(
        dt.date(2026, 1, 1), dt.date(2026, 2, 1), [], [], [Regular("<i>Al</i>", 3)], 1
    )
    svg = str(regulars(history))
    assert "<i>" not in svg and "&lt;i&gt;Al&lt;/i&gt;" in svg
