"""/qr/today/ and its projector view: today's code, following the day by themselves."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from tests.authenticator import log_in
from tests.factories import CommitteeFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

PAGES = ["/qr/today/", "/qr/today/projector/"]
# Europe/London is an hour ahead of UTC in June: the club's midnight is 23:00 UTC.
BEFORE_MIDNIGHT = dt.datetime(2026, 6, 2, 22, 59, 30, tzinfo=dt.UTC)  # Tue 23:59:30 in London
AFTER_MIDNIGHT = dt.datetime(2026, 6, 2, 23, 0, 30, tzinfo=dt.UTC)  # Wed 00:00:30 in London
TUESDAY, WEDNESDAY = dt.date(2026, 6, 2), dt.date(2026, 6, 3)


def refresh_seconds(response) -> int:  # type: ignore[no-untyped-def]
    return int(re.search(r'js/follow-day\.js" data-seconds="(\d+)"', response.content.decode())[1])


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=" + path)


@pytest.mark.parametrize("path", PAGES)
def test_it_shows_todays_code(staff_client: Client, run, path: str) -> None:
    response = staff_client.get(path)
    assert response.status_code == 200
    assert run.checkin_url() in response.content.decode()
    assert "This code is for" not in text_of(response)


@pytest.mark.parametrize("path", PAGES)
def test_it_moves_to_the_new_days_code_at_the_clubs_midnight(staff_client: Client, path) -> None:
    tuesday = RunFactory(date=TUESDAY)
    wednesday = RunFactory(date=WEDNESDAY)
    with time_machine.travel(BEFORE_MIDNIGHT, tick=False):
        response = staff_client.get(path)
        assert tuesday.checkin_url() in response.content.decode()
        # It reloads itself a moment after midnight, club time.
        assert 30 <= refresh_seconds(response) <= 35
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        response = staff_client.get(path)
        page = response.content.decode()
        assert wednesday.checkin_url() in page and tuesday.checkin_url() not in page
        assert 24 * 3600 - 60 < refresh_seconds(response) <= 24 * 3600 + 5


@pytest.mark.parametrize("path", PAGES)
def test_after_midnight_it_says_there_is_no_run(staff_client: Client, path: str) -> None:
    tuesday = RunFactory(date=TUESDAY)
    RunFactory(date=dt.date(2026, 6, 4), place="Boathouse")
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        response = staff_client.get(path)
    assert response.status_code == 200
    assert tuesday.checkin_url() not in response.content.decode()
    assert "<svg" not in response.content.decode()
    assert "No run" in text_of(response)


def test_it_names_the_next_run_when_there_is_none_today(staff_client: Client) -> None:
    RunFactory(date=dt.date(2026, 6, 4), place="Boathouse")
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        text = text_of(staff_client.get("/qr/today/"))
    assert "No run today" in text
    assert "Next run: Thursday 4 June, 18:00, Boathouse" in text


def test_a_cancelled_run_is_not_projected(staff_client: Client) -> None:
    run = RunFactory(is_active=False)
    response = staff_client.get("/qr/today/")
    assert "Today's run is cancelled" in text_of(response)
    assert run.checkin_url() not in response.content.decode()


def test_the_committee_may_open_it(run) -> None:
    client = Client()
    log_in(client, CommitteeFactory())
    assert run.checkin_url() in client.get("/qr/today/").content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_the_page_follows_the_day_and_says_so_without_javascript(staff_client, run, path) -> None:
    page = staff_client.get(path).content.decode()
    assert re.search(r'<script src="[^"]*js/follow-day\.js" data-seconds="\d+" defer>', page)
    assert "<noscript>" in page and "reload this page after midnight" in page


def test_a_runs_own_page_does_not_follow_the_day(staff_client: Client, run) -> None:
    assert "follow-day" not in staff_client.get(run.qr_path()).content.decode()


@time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("suffix", ["", "projector/"])
def test_a_code_for_another_day_says_so_in_large_type(staff_client: Client, suffix: str) -> None:
    friday = RunFactory(date=dt.date(2026, 11, 27))
    last_week = RunFactory(date=dt.date(2026, 11, 19))
    today = RunFactory(date=dt.date(2026, 11, 25))
    page = staff_client.get(friday.qr_path() + suffix).content.decode()
    assert '<p class="not-today-title">This code is for Friday 27 November</p>' in page
    assert "check-in is not open yet" in page
    assert (
        "its check-in has closed" in staff_client.get(last_week.qr_path() + suffix).content.decode()
    )
    assert "not-today" not in staff_client.get(today.qr_path() + suffix).content.decode()
