"""GET /checkin/<token>/: the form a runner sees after scanning the code."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.test import Client

from calendar_app.models import Run, club_today
from tests.factories import RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_it_shows_the_run_and_one_name_field(client: Client, run: Run) -> None:
    response = client.get(run.checkin_path())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="runner-name">Your name</label>' in page
    assert 'autocomplete="name"' in page
    assert page.count('name="runner_name"') == 1
    text = text_of(response)
    assert run.date.strftime("%A") in text
    assert "18:00" in text
    assert "The Oval, north gate" in text
    assert "Check in" in text


def test_it_fills_in_the_remembered_name(client: Client, run: Run) -> None:
    client.cookies["runner_name"] = quote("Zoë Ó Briain")
    response = client.get(run.checkin_path())
    assert 'value="Zoë Ó Briain"' in response.content.decode()


def test_it_starts_empty_on_a_new_phone(client: Client, run: Run) -> None:
    response = client.get(run.checkin_path())
    assert 'value=""' in response.content.decode()


def test_it_escapes_a_remembered_name(client: Client, run: Run) -> None:
    client.cookies["runner_name"] = quote('"><script>alert(1)</script>')
    page = client.get(run.checkin_path()).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_it_works_without_javascript(client: Client, run: Run) -> None:
    page = client.get(run.checkin_path()).content.decode()
    assert f'<form method="post" action="{run.checkin_path()}"' in page


def test_htmx_gets_only_the_card(client: Client, run: Run) -> None:
    response = client.get(run.checkin_path(), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="checkin-card"')
    assert "<html" not in page


def test_a_past_run_is_gone(client: Client) -> None:
    run = RunFactory(date=club_today() - dt.timedelta(days=7))
    response = client.get(run.checkin_path())
    assert response.status_code == 410
    assert f"This run was on {run.date:%A} {run.date.day} {run.date:%B %Y}" in text_of(response)


def test_a_future_run_is_not_open_yet(client: Client) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=2))
    response = client.get(run.checkin_path())
    assert response.status_code == 403
    assert f"Check-in opens on {run.date:%A} {run.date.day} {run.date:%B %Y}" in text_of(response)


def test_a_cancelled_run_says_so(client: Client) -> None:
    run = RunFactory(is_active=False)
    response = client.get(run.checkin_path())
    assert response.status_code == 403
    assert "This run is cancelled" in text_of(response)
    assert 'name="runner_name"' not in response.content.decode()


def test_a_cancelled_run_next_week_names_tonights_run(client: Client) -> None:
    RunFactory(date=club_today(), starts_at=dt.time(18, 30))
    cancelled = RunFactory(date=club_today() + dt.timedelta(days=7), is_active=False)
    text = text_of(client.get(cancelled.checkin_path()))
    assert "This run is cancelled" in text
    assert "Next run: today, 18:30" in text
    assert "The next run isn't on the calendar yet." not in text


def test_a_run_not_open_yet_names_tomorrows_run_by_its_day(client: Client) -> None:
    tomorrow = RunFactory(date=club_today() + dt.timedelta(days=1), starts_at=dt.time(7, 0))
    later = RunFactory(date=club_today() + dt.timedelta(days=3))
    text = text_of(client.get(later.checkin_path()))
    assert f"Next run: {tomorrow.date:%A} {tomorrow.date.day} {tomorrow.date:%B}, 07:00" in text
