"""The privacy notice where the name is typed, and /privacy/, the page it links to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from calendar_app.models import Run, club_today
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

NOTICE = "Your name is kept for the club's attendance records for 3 years."


def _notice_and_link(page: str) -> None:
    assert escape(NOTICE) in page
    assert '<a href="/privacy/">How we use it</a>' in page


def _form(client: Client, run: Run) -> str:
    return client.get(run.checkin_path()).content.decode()


def _form_for_someone_else(client: Client, run: Run) -> str:
    return client.get(run.checkin_path() + "?other=1").content.decode()


def _card_only(client: Client, run: Run) -> str:
    return client.get(run.checkin_path(), headers={"HX-Request": "true"}).content.decode()


def _checked_in(client: Client, run: Run) -> str:
    return client.post(run.checkin_path(), {"runner_name": "Ana Silva"}).content.decode()


def _invalid_name(client: Client, run: Run) -> str:
    answer = client.post(run.checkin_path(), {"runner_name": "   "})
    assert answer.status_code == 400
    return answer.content.decode()


def _already_in(client: Client, run: Run) -> str:
    AttendanceFactory(run=run, runner_name="Ana Silva")
    answer = client.post(run.checkin_path(), {"runner_name": "ana silva"})
    assert answer.status_code == 409
    return answer.content.decode()


def _over(client: Client, run: Run) -> str:
    past = RunFactory(date=club_today() - dt.timedelta(days=7))
    return client.get(past.checkin_path()).content.decode()


def _cancelled(client: Client, run: Run) -> str:
    run.is_active = False
    run.save()
    return client.get(run.checkin_path()).content.decode()


def _not_yet(client: Client, run: Run) -> str:
    coming = RunFactory(date=club_today() + dt.timedelta(days=7))
    return client.get(coming.checkin_path()).content.decode()


def _code_page(client: Client, run: Run) -> str:
    return client.get("/c/").content.decode()


def _wrong_code(client: Client, run: Run) -> str:
    return client.get("/c/?code=AAAA-AAAA").content.decode()


@pytest.mark.parametrize(
    "state",
    [
        _form,
        _form_for_someone_else,
        _card_only,
        _checked_in,
        _invalid_name,
        _already_in,
        _over,
        _cancelled,
        _not_yet,
        _code_page,
        _wrong_code,
    ],
)
def test_it_tells_the_runner_what_is_kept_on_every_state_of_the_card(
    client: Client, run: Run, state: Callable[[Client, Run], str]
) -> None:
    _notice_and_link(state(client, run))


def test_it_names_the_member_number_and_the_clubs_period(
    client: Client, run: Run, settings: object
) -> None:
    settings.CHECKIN_MEMBER_NUMBER = "optional"
    settings.RETENTION_YEARS = 1
    page = _form(client, run)
    expected = "Your name and student number are kept for the club's attendance records for 1 year."
    assert escape(expected) in page


def test_with_names_kept_for_ever_it_says_no_period(
    client: Client, run: Run, settings: object
) -> None:
    settings.RETENTION_YEARS = 0
    expected = escape("Your name is kept for the club's attendance records.") + " <a"
    assert expected in _form(client, run)


def test_the_notice_costs_the_check_in_page_no_query(client: Client, run: Run) -> None:
    client.get(run.checkin_path())  # the run is cached by the first visit
    with CaptureQueriesContext(connection) as queries:
        page = client.get(run.checkin_path()).content.decode()
    assert escape(NOTICE) in page
    # The form's page reads nothing once its run is cached: the notice adds no query either.
    assert queries.captured_queries == []


def test_the_privacy_page_says_what_who_how_long_and_how_to_ask(client: Client) -> None:
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    text = text_of(response)
    assert "your name, as you type it" in text
    assert "the time you checked in" in text
    assert "number" not in text.split("What we keep")[1].split("Why")[0]
    assert "organisers and committee" in text
    assert "Never the public" in text
    assert "Your name is kept for 3 years after each check-in." in text
    assert "a copy of everything we hold about you" in text
    assert "erased" in text
    assert "Ask an organiser at any run" in text
    assert "<script" not in response.content.decode()  # nothing needs JavaScript


def test_it_gives_the_clubs_contact_and_member_numbers_when_set(
    client: Client, settings: object
) -> None:
    settings.CLUB_NAME = "Riverside Harriers"
    settings.PRIVACY_CONTACT = "privacy@riverside.example"
    settings.CHECKIN_MEMBER_NUMBER = "required"
    settings.CHECKIN_MEMBER_NUMBER_LABEL = "Union card number"
    response = client.get("/privacy/")
    page = response.content.decode()
    assert '<a href="mailto:privacy@riverside.example">privacy@riverside.example</a>' in page
    text = text_of(response)
    assert "Riverside Harriers" in text
    assert "your union card number, when you give it" in text
    assert "Your name and union card number are kept for 3 years after each check-in." in text
    assert "Ask an organiser" not in text


def test_a_contact_page_is_linked_as_it_is(client: Client, settings: object) -> None:
    settings.PRIVACY_CONTACT = "https://union.example/runclub/data"
    page = client.get("/privacy/").content.decode()
    assert '<a href="https://union.example/runclub/data">' in page


def test_with_names_kept_for_ever_the_page_says_so(client: Client, settings: object) -> None:
    settings.RETENTION_YEARS = 0
    text = text_of(client.get("/privacy/"))
    assert (
        "Your name is kept for as long as the club keeps its attendance records, "
        "until you ask us to erase it." in text
    )
    settings.CHECKIN_MEMBER_NUMBER = "required"
    assert "Your name and student number are kept for as long as" in text_of(
        client.get("/privacy/")
    )


@pytest.mark.parametrize("daily", [True, False])
def test_it_says_how_long_nightly_backups_keep_names_when_the_club_takes_them(
    client: Client, settings: object, daily: bool
) -> None:
    settings.BACKUP_DAILY = daily
    text = text_of(client.get("/privacy/"))
    said = "a backup copy of our records, for 14 days" in text
    assert said is daily
    assert ("gone from the last copy 14 days later" in text) is daily
