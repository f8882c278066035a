"""Terms: organisers name the club's terms in the admin; the calendar, the run list, history
and the Today screen show them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from calendar_app.models import Term
from tests.factories import AttendanceFactory, RunFactory, TermFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

ADD = reverse("admin:calendar_app_term_add")
AUTUMN = {"name": "Autumn 2026", "first": "2026-09-28", "last": "2026-12-11"}
NOW = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)  # a Wednesday, 17:00 in London


@pytest.fixture
def autumn(db: None) -> Term:
    return TermFactory(name="Autumn 2026", first=dt.date(2026, 9, 28), last=dt.date(2026, 12, 11))


def test_an_organiser_names_a_term_in_the_admin(client_as) -> None:
    response = client_as("organiser").post(ADD, AUTUMN)
    assert response.status_code == 302, text_of(response)
    term = Term.objects.get()
    assert (term.name, term.first, term.last) == (
        "Autumn 2026",
        dt.date(2026, 9, 28),
        dt.date(2026, 12, 11),
    )


def test_the_committee_sees_terms_but_cannot_add_one(client_as, autumn) -> None:
    committee = client_as("committee")
    listing = committee.get(reverse("admin:calendar_app_term_changelist"))
    assert listing.status_code == 200 and "Autumn 2026" in text_of(listing)
    assert committee.post(ADD, {**AUTUMN, "name": "Spring 2027"}).status_code == 403


def test_a_term_ending_before_it_starts_is_refused_at_the_field(client_as) -> None:
    response = client_as("organiser").post(ADD, {**AUTUMN, "last": "2026-09-01"})
    assert response.status_code == 200
    assert "The last day comes before the first." in text_of(response)
    assert not Term.objects.exists()


def test_the_database_refuses_a_term_ending_before_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(name="Backwards", first=dt.date(2026, 9, 2), last=dt.date(2026, 9, 1))


def test_a_one_day_term_is_allowed(client_as) -> None:
    day = {"name": "Freshers' fair", "first": "2026-09-20", "last": "2026-09-20"}
    assert client_as("organiser").post(ADD, day).status_code == 302


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2026-12-01", "2027-01-10"),  # starts inside
        ("2026-09-01", "2026-09-28"),  # ends on its first day
        ("2026-10-01", "2026-10-31"),  # inside it
        ("2026-09-01", "2027-01-01"),  # around it
    ],
)
def test_overlapping_terms_are_refused_naming_the_other(client_as, autumn, first, last) -> None:
    response = client_as("organiser").post(ADD, {"name": "Clash", "first": first, "last": last})
    assert response.status_code == 200
    assert "These days overlap Autumn 2026 (Mon 28 Sep to Fri 11 Dec 2026)" in text_of(response)
    assert Term.objects.count() == 1


def test_a_term_may_be_changed_without_overlapping_itself(client_as, autumn) -> None:
    url = reverse("admin:calendar_app_term_change", args=[autumn.pk])
    response = client_as("organiser").post(url, {**AUTUMN, "last": "2026-12-18"})
    assert response.status_code == 302
    autumn.refresh_from_db()
    assert autumn.last == dt.date(2026, 12, 18)


def test_this_term_is_the_one_today_falls_in_or_else_the_last_one(autumn) -> None:
    spring = TermFactory(name="Spring 2027", first=dt.date(2027, 1, 11), last=dt.date(2027, 3, 19))
    assert Term.current(dt.date(2026, 9, 27)) is None  # before any term
    assert Term.current(dt.date(2026, 9, 28)) == autumn
    assert Term.current(dt.date(2026, 12, 11)) == autumn
    assert Term.current(dt.date(2026, 12, 25)) == autumn  # the holidays: the last one
    assert Term.current(dt.date(2027, 1, 11)) == spring
    assert Term.current(dt.date(2027, 7, 1)) == spring


def test_a_term_counts_its_weeks_from_its_first_days_week(autumn) -> None:
    assert autumn.week(dt.date(2026, 9, 28)) == 1
    assert autumn.week(dt.date(2026, 10, 4)) == 1  # Sunday
    assert autumn.week(dt.date(2026, 10, 5)) == 2
    assert autumn.week(autumn.last) == 11
    assert autumn.progress(dt.date(2026, 11, 25)) == "week 9 of 11"
    assert autumn.progress(dt.date(2026, 12, 14)) == "ended Friday 11 December"


def test_the_term_list_counts_each_terms_run_days_and_links_them(client_as, autumn) -> None:
    for day in (dt.date(2026, 9, 29), dt.date(2026, 12, 11), dt.date(2026, 12, 15)):
        RunFactory(date=day)
    page = client_as("organiser").get(reverse("admin:calendar_app_term_changelist"))
    runs = reverse("admin:calendar_app_run_changelist") + f"?term={autumn.pk}"
    assert f'<a href="{runs}">2</a>' in page.content.decode()
    report = reverse("admin:attendance_term_report", args=[autumn.pk])
    assert f'<a href="{report}">Term report</a>' in page.content.decode()


def test_the_run_list_filters_by_term(client_as, autumn) -> None:
    RunFactory(date=dt.date(2026, 10, 6), place="In term")
    RunFactory(date=dt.date(2026, 12, 22), place="Holiday jog")
    page = client_as("organiser").get(
        reverse("admin:calendar_app_run_changelist"), {"term": autumn.pk}
    )
    assert "In term" in text_of(page) and "Holiday jog" not in text_of(page)
    unknown = client_as("organiser").get(
        reverse("admin:calendar_app_run_changelist"), {"term": "x"}
    )
    assert unknown.status_code == 200 and "In term" not in text_of(unknown)


@time_machine.travel(NOW, tick=False)
def test_the_calendar_names_the_months_terms_and_marks_their_ends(client_as, autumn) -> None:
    TermFactory(name="Spring 2027", first=dt.date(2027, 1, 11), last=dt.date(2027, 3, 19))
    url = reverse("admin:calendar_app_run_calendar_month", args=[2026, 12])
    page = client_as("committee").get(url, {"day": "2026-12-08"})
    caption = re.search(r'class="rc-month">\s*<caption>.*?</caption>', page.content.decode(), re.S)
    assert caption and "Autumn 2026: Mon 28 Sep to Fri 11 Dec 2026" in caption[0]
    assert "Spring 2027" not in caption[0]
    assert "Autumn 2026 ends" in text_of(page)
    assert "Autumn 2026, week 11" in text_of(page)  # the day's panel


@time_machine.travel(NOW, tick=False)
def test_today_sums_up_this_term_so_far(client_as, autumn) -> None:
    AttendanceFactory.create_batch(3, run=RunFactory(date=dt.date(2026, 11, 17)))
    AttendanceFactory.create_batch(2, run=RunFactory(date=dt.date(2026, 11, 19)))
    RunFactory(date=dt.date(2026, 11, 24), is_active=False)  # cancelled: not held
    RunFactory(date=dt.date(2026, 11, 26))  # to come
    RunFactory(date=dt.date(2026, 9, 1))  # before the term
    text = text_of(client_as("committee").get("/admin/"))
    assert "This term: Autumn 2026, week 9 of 11 · 2 runs, 5 check-ins · Term report" in text


@time_machine.travel(NOW, tick=False)
def test_between_terms_today_shows_the_last_one(client_as) -> None:
    TermFactory(name="Summer 2026", first=dt.date(2026, 4, 20), last=dt.date(2026, 6, 19))
    text = text_of(client_as("organiser").get("/admin/"))
    assert "Last term: Summer 2026, ended Friday 19 June · 0 runs, 0 check-ins" in text


@time_machine.travel(NOW, tick=False)
def test_without_terms_today_says_nothing_of_them(client_as) -> None:
    assert "This term" not in text_of(client_as("organiser").get("/admin/"))
