"""The committee's term report: one printable page per term, and its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from attendance import report, services
from attendance.models import Attendance
from calendar_app.models import Term
from tests.conftest import ROLES
from tests.factories import AttendanceFactory, RunFactory, TermFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
AFTER_TERM = dt.datetime(2026, 12, 20, 12, 0, tzinfo=LONDON)


def page_url(term: Term) -> str:
    return reverse("admin:attendance_term_report", args=[term.pk])


def csv_url(term: Term) -> str:
    return reverse("admin:attendance_term_report_csv", args=[term.pk])


def runs(*days_and_names: tuple[dt.date, list[str]], active: bool = True) -> None:
    for day, names in days_and_names:
        run = RunFactory(date=day, is_active=active)
        at = dt.datetime.combine(day, dt.time(18, 5), LONDON)
        for name in names:
            AttendanceFactory(run=run, runner_name=name, registered_at=at)


@pytest.fixture
def autumn(db: None) -> Term:
    """Six weeks of Tuesdays and Thursdays, give or take, around a few regulars."""
    term = TermFactory(name="Autumn 2026", first=dt.date(2026, 10, 5), last=dt.date(2026, 11, 13))
    runs(
        (dt.date(2026, 9, 29), ["Ana Silva", "Ben Jones"]),  # before the term: not new in it
        (dt.date(2026, 10, 6), ["ana  SILVA", "Cara Lee", "Dev Patel", "Eve Adams"]),  # Tue
        (dt.date(2026, 10, 8), ["Ana Silva", "Cara Lee"]),  # Thu
        (dt.date(2026, 10, 13), ["Ana Silva", "Ben Jones", "Dev Patel", "Finn Ross"]),  # Tue
        (dt.date(2026, 10, 20), ["Ａｎａ Ｓｉｌｖａ", "Gus Hale"]),  # Tue
        (dt.date(2026, 11, 12), ["Ana Silva", "Ben Jones", "Cara Lee"]),  # Thu
        (dt.date(2026, 11, 20), ["Ana Silva"]),  # after the term
    )
    runs((dt.date(2026, 10, 15), []), active=False)  # Thu: storm
    return term


@time_machine.travel(AFTER_TERM, tick=False)
def test_it_counts_the_terms_runs_check_ins_and_runners(autumn) -> None:
    data = report.term_report(autumn)
    assert [(run.date.day, run.checkins) for run in data.held] == [
        (6, 4),
        (8, 2),
        (13, 4),
        (20, 2),
        (12, 3),
    ]
    assert data.cancelled == 1 and data.to_come == 0
    assert data.checkins == 15
    assert data.runners == 7  # Ana (three spellings), Ben, Cara, Dev, Eve, Finn, Gus
    assert data.average == 3.0
    assert data.best is not None and (data.best.date, data.best.checkins) == (
        dt.date(2026, 10, 6),
        4,
    )


@time_machine.travel(AFTER_TERM, tick=False)
def test_first_timers_are_first_runs_with_the_club_and_some_come_back(autumn) -> None:
    data = report.term_report(autumn)
    # Cara, Dev, Eve, Finn and Gus first ran this term; Ana and Ben ran in September.
    assert data.first_timers == 5
    assert data.came_back == 2  # Cara (3 runs) and Dev (2); Eve, Finn and Gus came once
    assert data.came_back_share == 40


@time_machine.travel(AFTER_TERM, tick=False)
def test_it_sums_turnout_by_weekday(autumn) -> None:
    data = report.term_report(autumn)
    assert [(day.name, day.runs, day.checkins) for day in data.weekdays] == [
        ("Tuesday", 3, 10),
        ("Thursday", 2, 5),  # the cancelled Thursday is no run held
    ]


@time_machine.travel(AFTER_TERM, tick=False)
def test_it_ranks_the_runners_with_the_most_runs_ties_sharing_a_rank(autumn) -> None:
    data = report.term_report(autumn)
    assert [(row.rank, row.shared, row.name, row.runs) for row in data.most_runs][:4] == [
        (1, False, "Ana Silva", 5),
        (2, False, "Cara Lee", 3),
        (3, True, "Ben Jones", 2),
        (3, True, "Dev Patel", 2),
    ]


@time_machine.travel(AFTER_TERM, tick=False)
def test_a_setting_shows_the_counts_without_names(client_as, autumn, settings) -> None:
    settings.TERM_REPORT_NAMES = False
    data = report.term_report(autumn)
    assert [(row.rank, row.name, row.runs) for row in data.most_runs][:2] == [
        (1, "", 5),
        (2, "", 3),
    ]
    page = client_as("committee").get(page_url(autumn))
    assert "Ana Silva" not in page.content.decode() and "Cara Lee" not in page.content.decode()
    assert "Counts without names" in text_of(page)
    rows = read_csv(client_as("committee").get(csv_url(autumn)))
    assert ["1", "", "5"] in rows and not any("Ana" in cell for row in rows for cell in row)


def read_csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = response.content if hasattr(response, "content") else b"".join(response)
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def export_rows(client, **query: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    response = client.get("/export/attendance.csv", query)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body, newline="")))


@time_machine.travel(AFTER_TERM, tick=False)
def test_its_figures_match_the_exports_rows_for_the_term(client_as, autumn) -> None:
    client = client_as("committee")
    term_rows = export_rows(client, **{"from": "2026-10-05", "to": "2026-11-13"})
    everything = export_rows(client)
    data = report.term_report(autumn)

    per_run = Counter(row["run date"] for row in term_rows)
    per_runner = Counter(row["runner id"] for row in term_rows)
    first_run: dict[str, str] = {}
    for row in everything:
        first_run.setdefault(row["runner id"], row["run date"])
    new = [runner for runner in per_runner if first_run[runner] >= "2026-10-05"]
    by_weekday: dict[str, list[int]] = defaultdict(list)
    for day, count in per_run.items():
        by_weekday[dt.date.fromisoformat(day).strftime("%A")].append(count)

    assert data.checkins == len(term_rows)
    assert data.runners == len(per_runner)
    assert sorted((run.date.isoformat(), run.checkins) for run in data.held) == sorted(
        per_run.items()
    )
    assert data.average == statistics.mean(per_run.values())
    assert data.best is not None and data.best.checkins == max(per_run.values())
    assert data.first_timers == len(new)
    assert data.came_back == sum(1 for runner in new if per_runner[runner] > 1)
    assert {day.name: (day.runs, day.checkins) for day in data.weekdays} == {
        name: (len(counts), sum(counts)) for name, counts in by_weekday.items()
    }
    names = Counter(row["runner"] for row in term_rows)
    assert [(row.name, row.runs) for row in data.most_runs] == sorted(
        names.items(), key=lambda item: (-item[1], item[0].casefold())
    )


@time_machine.travel(AFTER_TERM, tick=False)
def test_the_page_shows_the_figures_and_links_the_csv_and_the_export(client_as, autumn) -> None:
    page = client_as("organiser").get(page_url(autumn))
    text = text_of(page)
    assert page.status_code == 200
    for figure in (
        "Runs held 5 and 1 cancelled",
        "Check-ins 15",
        "Different runners 7",
        "Average turnout 3.0 check-ins per run held",
        "Best turnout 4 Tuesday 6 October",
        "First-timers 5 2 (40%) came back at least once more this term",
    ):
        assert figure in text
    assert "Tuesday 3 10 3.3" in text
    assert "1 Ana Silva 5" in text and "=3 Ben Jones 2" in text
    html = page.content.decode()
    assert f'href="{csv_url(autumn)}"' in html
    assert 'href="/export/attendance.csv?from=2026-10-05&amp;to=2026-11-13"' in html
    assert '<svg class="chart"' in html


@time_machine.travel(AFTER_TERM, tick=False)
def test_the_csv_holds_the_figures_the_weekdays_and_the_most_runs(client_as, autumn) -> None:
    response = client_as("committee").get(csv_url(autumn))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="term-report-autumn-2026.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    figures = dict(row for row in rows[: rows.index([])] if len(row) == 2)
    assert figures["term"] == "Autumn 2026"
    assert figures["runs held"] == "5" and figures["runs cancelled"] == "1"
    assert figures["check-ins"] == "15" and figures["different runners"] == "7"
    assert figures["average turnout"] == "3.0" and figures["best turnout"] == "4"
    assert figures["best turnout on"] == "2026-10-06"
    assert figures["first-timers"] == "5"
    assert figures["first-timers who came back that term"] == "2"
    assert ["weekday", "runs", "check-ins", "average turnout"] in rows
    assert ["Tuesday", "3", "10", "3.3"] in rows
    assert ["rank", "runner", "runs"] in rows
    assert ["1", "Ana Silva", "5"] in rows


@time_machine.travel(AFTER_TERM, tick=False)
def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(client_as) -> None:
    term = TermFactory(first=dt.date(2026, 10, 5), last=dt.date(2026, 10, 9))
    runs((dt.date(2026, 10, 6), ["=HYPERLINK(1)"]))
    rows = read_csv(client_as("committee").get(csv_url(term)))
    assert ["1", "'=HYPERLINK(1)", "1"] in rows


@time_machine.travel(dt.datetime(2026, 10, 14, 20, 0, tzinfo=LONDON), tick=False)
def test_a_term_under_way_says_so_and_counts_up_to_today(client_as, autumn) -> None:
    data = report.term_report(autumn)
    assert [run.date.day for run in data.held] == [6, 8, 13]
    assert data.to_come == 2  # the 15th is cancelled already
    assert data.cancelled == 0
    text = text_of(client_as("committee").get(page_url(autumn)))
    assert "The term is still under way: these are the figures up to Wednesday 14 October" in text
    assert "with 2 runs still to come" in text


def test_an_empty_term_reads_as_empty_not_as_an_error(client_as) -> None:
    term = TermFactory()
    page = client_as("committee").get(page_url(term))
    assert page.status_code == 200
    text = text_of(page)
    assert "Runs held 0" in text and "Nobody has checked in this term yet." in text
    rows = read_csv(client_as("committee").get(csv_url(term)))
    assert ["runs held", "0"] in rows and ["best turnout on", ""] in rows


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_anonymised_check_ins_count_but_name_nobody(client_as, settings) -> None:
    settings.RETENTION_YEARS = 3
    term = TermFactory(name="Autumn 2022", first=dt.date(2022, 10, 3), last=dt.date(2022, 12, 9))
    runs(
        (dt.date(2022, 10, 4), ["Ana Silva", "Ben Jones"]),
        (dt.date(2022, 10, 6), ["Ana Silva"]),
        (dt.date(2026, 11, 24), ["Ana Silva"]),  # Ana still runs; Ben has left
    )
    before = report.term_report(term)
    assert services.apply_retention().checkins == 3
    after = report.term_report(term)
    assert (after.checkins, after.runners) == (before.checkins, before.runners) == (3, 2)
    assert (
        (after.first_timers, after.came_back) == (before.first_timers, before.came_back) == (2, 1)
    )
    assert after.most_runs == []  # nobody is named
    assert "Ana Silva" not in client_as("committee").get(page_url(term)).content.decode()
    # Ana's named self is no first-timer later: her first runs were anonymised, not forgotten.
    later = TermFactory(name="Autumn 2026", first=dt.date(2026, 9, 28), last=dt.date(2026, 12, 11))
    assert report.term_report(later).first_timers == 0
    assert Attendance.objects.filter(runner_name="").count() == 3


@pytest.mark.parametrize("role", ROLES)
def test_only_the_committee_and_organisers_see_it(client_as, role) -> None:
    term = TermFactory()
    expected = {"anonymous": 302, "plain user": 302}.get(role, 200)
    assert client_as(role).get(page_url(term)).status_code == expected
    assert client_as(role).get(csv_url(term)).status_code == expected


def test_an_unknown_term_is_a_404(client_as) -> None:
    assert (
        client_as("committee").get(reverse("admin:attendance_term_report", args=[999])).status_code
        == 404
    )


def test_its_queries_do_not_grow_with_runs_or_runners(
    client_as, django_assert_max_num_queries
) -> None:
    term = TermFactory(first=dt.date(2026, 1, 5), last=dt.date(2026, 3, 27))
    for day in range(0, 80, 2):
        AttendanceFactory.create_batch(3, run=RunFactory(date=term.first + dt.timedelta(days=day)))
    client = client_as("committee")
    # Session, user, the device its session passed, permissions (2), the term, its runs, its
    # runners.
    with django_assert_max_num_queries(8):
        assert client.get(page_url(term)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(csv_url(term)).status_code == 200


@time_machine.travel(dt.datetime(2026, 10, 13, 18, 30, tzinfo=LONDON), tick=False)
def test_todays_run_still_open_counts_its_check_ins_but_not_in_the_turnout(client_as, autumn):
    data = report.term_report(autumn)
    assert [run.date.day for run in data.held] == [6, 8]
    assert data.today_run is not None and data.today_run.checkins == 4
    assert data.average == 3.0  # (6 Oct 4, 8 Oct 2): today is not a run held yet
    text = text_of(client_as("committee").get(page_url(autumn)))
    assert "Today's run is still open: its 4 check-ins so far count among the check-ins" in text
