"""The organisers' month calendar in the admin."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from calendar_app.models import Run
from tests.conftest import ROLES
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

TOGGLE = reverse("admin:calendar_app_run_calendar_toggle")


def month(year: int, number: int) -> str:
    return reverse("admin:calendar_app_run_calendar_month", args=[year, number])


def cell(response, day: dt.date) -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    found = re.search(rf'<td id="day-{day:%Y-%m-%d}".*?</td>', page, flags=re.S)
    assert found, f"no cell for {day}"
    return found[0]


@time_machine.travel(dt.datetime(2026, 10, 14, 12, 0, tzinfo=dt.UTC))
def test_it_shows_each_day_as_run_cancelled_or_nothing_with_its_count(client_as) -> None:
    run = RunFactory(date=dt.date(2026, 10, 6))
    AttendanceFactory.create_batch(3, run=run)
    RunFactory(date=dt.date(2026, 10, 8), is_active=False)
    response = client_as("organiser").get(month(2026, 10))
    assert response.status_code == 200
    assert "rc-run" in cell(response, dt.date(2026, 10, 6))
    assert "3 checked in" in cell(response, dt.date(2026, 10, 6))
    assert "cancelled" in cell(response, dt.date(2026, 10, 8))
    assert "no run" in cell(response, dt.date(2026, 10, 7))
    assert "today" in cell(response, dt.date(2026, 10, 14))
    assert "today" not in cell(response, dt.date(2026, 10, 13))


@time_machine.travel(dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC))
def test_it_links_to_the_previous_and_next_month_across_years(client_as) -> None:
    client = client_as("committee")
    assert client.get(reverse("admin:calendar_app_run_calendar")).url == month(2026, 1)
    page = client.get(month(2026, 1)).content.decode()
    assert f'href="{month(2025, 12)}"' in page
    assert f'href="{month(2026, 2)}"' in page


@pytest.mark.parametrize(("year", "number"), [(2026, 13), (2026, 0), (9999, 12), (0, 1)])
def test_it_answers_a_month_it_cannot_show_with_404(client_as, year: int, number: int) -> None:
    assert client_as("organiser").get(month(year, number)).status_code == 404


def test_its_queries_do_not_grow_with_the_runs_shown(
    client_as, django_assert_max_num_queries
) -> None:
    client = client_as("organiser")
    for day in range(1, 29):
        run = RunFactory(date=dt.date(2026, 2, day))
        AttendanceFactory(run=run)
    with django_assert_max_num_queries(6):
        assert client.get(month(2026, 2)).status_code == 200


def test_a_click_with_htmx_toggles_the_day_and_answers_its_cell(client_as) -> None:
    client = client_as("organiser")
    response = client.post(TOGGLE, {"date": "2026-10-06"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Run.objects.get(date=dt.date(2026, 10, 6)).is_active
    html = response.content.decode()
    assert html.strip().startswith('<td id="day-2026-10-06"')
    assert "run day" in text_of(response)
    assert "<html" not in html


def test_without_javascript_a_click_toggles_and_returns_to_the_month(client_as) -> None:
    RunFactory(date=dt.date(2026, 10, 6))
    client = client_as("organiser")
    response = client.post(TOGGLE, {"date": "2026-10-06"}, follow=True)
    assert response.redirect_chain[-1][0] == month(2026, 10)
    assert "cancelled" in text_of(response)
    assert not Run.objects.get(date=dt.date(2026, 10, 6)).is_active


def test_a_toggle_without_the_csrf_token_changes_nothing(db) -> None:
    from tests.factories import OrganiserFactory

    client = Client(enforce_csrf_checks=True)
    client.force_login(OrganiserFactory())
    response = client.post(TOGGLE, {"date": "2026-10-06"})
    assert response.status_code == 403
    assert not Run.objects.exists()


def test_every_day_form_carries_the_csrf_token(client_as) -> None:
    page = client_as("organiser").get(month(2026, 10)).content.decode()
    forms = re.findall(rf'<form [^>]*action="{TOGGLE}".*?</form>', page, flags=re.S)
    assert forms and all("csrfmiddlewaretoken" in form for form in forms)


def test_a_bad_date_is_a_400_that_says_so(client_as) -> None:
    response = client_as("organiser").post(TOGGLE, {"date": "2026-02-30"})
    assert response.status_code == 400
    assert "not a date" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "sees", "toggles"),
    [
        ("anonymous", False, False),
        ("plain user", False, False),
        ("committee", True, False),
        ("organiser", True, True),
        ("superuser", True, True),
    ],
)
def test_each_role_sees_and_toggles_as_allowed(client_as, role: str, sees: bool, toggles: bool):
    assert role in ROLES
    client = client_as(role)
    page = client.get(month(2026, 10))
    if role in ("anonymous", "plain user"):
        # Not staff: the admin sends them to its login page.
        assert page.status_code == 302 and "/admin/login/" in page.url
    else:
        assert page.status_code == 200
        assert (f'action="{TOGGLE}"' in page.content.decode()) is toggles
    answer = client.post(TOGGLE, {"date": "2026-10-06"})
    assert Run.objects.filter(date=dt.date(2026, 10, 6)).exists() is toggles
    if sees and not toggles:
        assert answer.status_code == 403
