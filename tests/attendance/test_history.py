"""The committee's history page: charts over a date range."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from attendance.history import history
from attendance.names import name_key
from tests.authenticator import log_in
from tests.factories import AttendanceFactory, RunFactory, TermFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

URL = reverse("admin:attendance_history")
OCT = {"from": "2026-10-01", "to": "2026-10-31"}


def runs(*days_and_names: tuple[dt.date, list[str]]) -> None:
    for day, names in days_and_names:
        run = RunFactory(date=day)
        for name in names:
            AttendanceFactory(run=run, runner_name=name)


@pytest.fixture
def october(db: None) -> None:
    runs(
        (dt.date(2026, 9, 29), ["Ana Silva"]),  # Ana's first run, before the range
        (dt.date(2026, 10, 6), ["ana  SILVA", "Ben Jones"]),  # Tuesday
        (dt.date(2026, 10, 8), ["Ben Jones", "Cara Lee", "Dev Patel"]),  # Thursday
        (dt.date(2026, 10, 13), ["Ａｎａ Ｓｉｌｖａ", "Cara Lee"]),  # Tuesday
    )


def test_it_counts_new_and_returning_runners_per_run(october) -> None:
    data = history(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [(run.date.day, run.checkins, run.new, run.returning) for run in data.runs] == [
        (6, 2, 1, 1),  # Ana came in September; Ben is new
        (8, 3, 2, 1),
        (13, 2, 0, 2),
    ]
    assert data.runners == 4
    assert data.newcomers == 3


def test_it_groups_names_as_the_duplicate_rule_does(october) -> None:
    data = history(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert {name_key(regular.name): regular.checkins for regular in data.regulars} == {
        name_key("Ana Silva"): 2,  # "ana  SILVA" and the full-width "Ａｎａ Ｓｉｌｖａ"
        name_key("Ben Jones"): 2,
        name_key("Cara Lee"): 2,
        name_key("Dev Patel"): 1,
    }
    assert data.regulars[-1].name == "Dev Patel"


def test_it_averages_by_weekday(october) -> None:
    data = history(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [(day.name, day.runs, day.average) for day in data.weekdays] == [
        ("Tuesday", 2, 2.0),
        ("Thursday", 1, 3.0),
    ]


def test_the_page_draws_the_four_charts_with_names_escaped(client_as, october) -> None:
    AttendanceFactory(run=RunFactory(date=dt.date(2026, 10, 20)), runner_name="<b>Eve</b>")
    response = client_as("committee").get(URL, OCT)
    assert response.status_code == 200
    page = response.content.decode()
    assert len(re.findall(r'<svg class="chart"', page)) == 4
    for title in (
        "Check-ins per run",
        "New and returning runners per run",
        "by weekday",
        "most regular runners",
    ):
        assert title in page
    assert "<b>Eve</b>" not in page and "&lt;b&gt;Eve&lt;/b&gt;" in page
    assert "4 runs, 8 check-ins, 5 different runners, 4 of them new" in text_of(response)


def test_it_defaults_to_the_last_twelve_months(client_as, october, settings) -> None:
    response = client_as("committee").get(URL)
    assert response.status_code == 200
    assert 'name="from"' in response.content.decode()


def test_a_bad_range_is_a_400_that_says_why(client_as, october) -> None:
    response = client_as("committee").get(URL, {"from": "31/10/2026"})
    assert response.status_code == 400
    assert "Write the date as YYYY-MM-DD" in text_of(response)
    response = client_as("committee").get(URL, {"from": "2026-10-31", "to": "2026-10-01"})
    assert response.status_code == 400
    assert "'to' comes before 'from'" in text_of(response)


def test_its_queries_do_not_grow_with_runs_or_runners(
    client_as, django_assert_max_num_queries
) -> None:
    client = client_as("committee")
    for day in range(1, 40):
        run = RunFactory(date=dt.date(2026, 1, 1) + dt.timedelta(days=day))
        AttendanceFactory.create_batch(3, run=run)
    TermFactory.create_batch(6)
    # Session, user, the device its session passed (django-otp), permissions (2), the terms to
    # choose from, then history's four.
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"from": "2026-01-01", "to": "2026-03-31"}).status_code == 200


def test_long_ranges_sum_new_and_returning_per_month(client_as) -> None:
    for week in range(70):
        AttendanceFactory(run=RunFactory(date=dt.date(2025, 1, 7) + dt.timedelta(weeks=week)))
    page = client_as("committee").get(URL, {"from": "2025-01-01", "to": "2026-06-01"})
    assert "New and returning runners per month" in page.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("plain user", 302),
        ("committee", 200),
        ("organiser", 200),
        ("superuser", 200),
    ],
)
def test_only_those_who_may_see_names_see_history(client_as, october, role, status) -> None:
    response = client_as(role).get(URL, OCT)
    assert response.status_code == status
    assert ("Cara Lee" in response.content.decode()) is (status == 200)


def test_staff_without_the_view_permission_are_refused(db) -> None:
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()
    log_in(client, UserFactory(is_staff=True))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"to": "0001-01-05"}, "Pick a date in 1900 or later."),
        ({"from": "9999-12-31"}, "Pick a date before 2200."),
    ],
)
def test_dates_out_of_any_clubs_records_are_a_400(client_as, query, message) -> None:
    response = client_as("committee").get(URL, query)
    assert response.status_code == 400
    assert message in text_of(response)


def test_a_range_with_one_end_takes_the_year_before_it(client_as) -> None:
    response = client_as("committee").get(URL, {"to": "2020-06-30"})
    assert "1 Jul 2019 to 30 Jun 2020: 0 runs" in text_of(response)


def test_a_new_club_sees_empty_charts_not_markup(client_as) -> None:
    response = client_as("committee").get(URL)  # the default view, no runs at all
    assert response.status_code == 200
    page = response.content.decode()
    assert len(re.findall(r'<svg class="chart"', page)) == 4
    assert "&lt;svg" not in page and "&lt;line" not in page and "&lt;text" not in page
    assert "No runs in this range." in text_of(response)
    assert "Nobody checked in during this range." in text_of(response)


def weekday_labels(page: str) -> list[str]:
    chart = re.search(r'aria-label="Average check-ins per run by weekday">.*?</svg>', page, re.S)
    return re.findall(r'text-anchor="middle">([^<]*)</text>', chart[0])


@time_machine.travel(dt.datetime(2026, 11, 25, 19, 0, tzinfo=dt.UTC))  # Wednesday evening
def test_todays_run_in_progress_is_so_far_and_never_drags_the_line_down(client_as) -> None:
    runs(
        (dt.date(2026, 11, 17), ["Ana", "Ben", "Cara"]),  # Tuesday
        (dt.date(2026, 11, 19), ["Ana", "Ben"]),  # Thursday
        (dt.date(2026, 11, 25), ["Ana"]),  # today, a Wednesday: check-in still open
        (dt.date(2026, 11, 26), []),  # tomorrow: nobody yet
    )
    data = history(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [(run.date.day, run.checkins) for run in data.runs] == [(17, 3), (19, 2)]
    assert data.today is not None and (data.today.date.day, data.today.checkins) == (25, 1)
    assert [day.name for day in data.weekdays] == ["Tuesday", "Thursday"]

    response = client_as("committee").get(URL, {"from": "2026-11-01", "to": "2026-11-30"})
    page = response.content.decode()
    assert "2 runs and today's, still open, 6 check-ins" in text_of(response)
    line = re.search(r'<polyline class="line" points="([^"]+)"', page)[1].split()
    bottom = re.search(r'<line class="grid" x1="\d+" y1="([\d.]+)"', page)[1]  # the 0 gridline
    assert len(line) == 2 and all(point.split(",")[1] != bottom for point in line)
    assert "Today, 25 Nov: 1 so far" in page
    assert weekday_labels(page) == ["Tue", "Thu"]


def test_a_range_without_wednesdays_has_no_wednesday_column(client_as) -> None:
    runs(
        (dt.date(2026, 10, 6), ["Ana"]),  # Tuesday
        (dt.date(2026, 10, 8), ["Ana", "Ben"]),  # Thursday
        (dt.date(2026, 10, 14), []),  # a Wednesday, but outside the range asked for
    )
    page = client_as("committee").get(URL, {"from": "2026-10-01", "to": "2026-10-12"})
    assert weekday_labels(page.content.decode()) == ["Tue", "Thu"]


def test_month_labels_name_the_year(client_as) -> None:
    for week in range(70):
        AttendanceFactory(run=RunFactory(date=dt.date(2025, 9, 2) + dt.timedelta(weeks=week)))
    page = client_as("committee").get(URL, {"from": "2025-09-01", "to": "2026-12-31"})
    text = page.content.decode()
    assert ">Dec 2025</text>" in text and ">Dec 25</text>" not in text


def test_a_term_narrows_history_to_its_days(client_as, october) -> None:
    term = TermFactory(name="October block", first=dt.date(2026, 10, 5), last=dt.date(2026, 10, 9))
    page = client_as("committee").get(URL, {"term": term.pk})
    text = text_of(page)
    assert page.status_code == 200
    assert "October block , 5 Oct 2026 to 9 Oct 2026: 2 runs, 5 check-ins" in text
    assert 'value="2026-10-05"' in page.content.decode()  # the dates shown are the term's
    assert "from=2026-10-05&amp;to=2026-10-09" in page.content.decode()  # and so is the export
    report = reverse("admin:attendance_term_report", args=[term.pk])
    assert f'href="{report}"' in page.content.decode()


def test_choosing_dates_after_a_term_leaves_the_term(client_as, october) -> None:
    TermFactory(name="October block", first=dt.date(2026, 10, 5), last=dt.date(2026, 10, 9))
    text = text_of(client_as("committee").get(URL, OCT))
    assert "October block ," not in text and "3 runs" in text


def test_an_unknown_term_is_a_400_that_says_so(client_as, october) -> None:
    TermFactory()
    page = client_as("committee").get(URL, {"term": "999"})
    assert page.status_code == 400
    assert "There is no such term." in text_of(page)
