from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from calendar_app.models import club_today
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_it_says_when_and_where_today_s_run_is(client: Client) -> None:
    run = RunFactory(place="The Oval")
    AttendanceFactory(run=run, runner_name="Ana Silva")
    text = text_of(client.get("/"))
    assert "We run today" in text
    assert "18:00" in text and "The Oval" in text
    assert "Ana Silva" not in text  # names never reach anonymous pages
    assert run.checkin_path() not in client.get("/").content.decode()


def test_it_leads_to_the_page_for_typing_the_code(client: Client) -> None:
    RunFactory()
    page = client.get("/").content.decode()
    assert 'href="/c/">Type the check-in code</a>' in page


def test_it_says_when_the_next_run_is_when_there_is_none_today(client: Client) -> None:
    RunFactory(date=club_today() + dt.timedelta(days=1), is_active=False)
    later = RunFactory(date=club_today() + dt.timedelta(days=3), place="Boathouse steps")
    text = text_of(client.get("/"))
    assert "No run today" in text
    assert f"Next run: {later.date:%A} {later.date.day} {later.date:%B}, 18:00, Boathouse" in text


def test_it_says_when_no_run_is_on_the_calendar(client: Client) -> None:
    RunFactory(date=club_today() - dt.timedelta(days=2))
    text = text_of(client.get("/"))
    assert "No run today" in text
    assert "The next run isn't on the calendar yet." in text


def test_it_says_when_today_s_run_is_cancelled_and_when_the_next_is(client: Client) -> None:
    RunFactory(is_active=False)
    RunFactory(date=club_today() + dt.timedelta(days=2))
    text = text_of(client.get("/"))
    assert "Today's run is cancelled" in text
    assert "Next run:" in text
