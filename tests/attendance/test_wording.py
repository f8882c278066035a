"""One outcome, one wording: the page, POST /api/register and GET /api/qr/validate agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from attendance import wording
from calendar_app.models import CheckinState, Run, club_today
from calendar_app.tokens import make_token
from tests.api.helpers import post_json
from tests.factories import RunFactory
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db


def register(client: Client, run: Run, name: str):  # type: ignore[no-untyped-def]
    return post_json(client, "/api/register", {"session_id": run.session_id, "runner_name": name})


@pytest.mark.parametrize(
    ("days", "is_active", "state"),
    [
        (-1, True, CheckinState.OVER),
        (2, True, CheckinState.NOT_YET),
        (0, False, CheckinState.CANCELLED),
    ],
)
def test_a_closed_run_is_worded_alike_everywhere(
    client: Client, days: int, is_active: bool, state: CheckinState
) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=days), is_active=is_active)
    words = wording.checkin_state(run, state)
    page = text_of(checkin(client, run, "Ana"))
    assert words.headline in page and words.detail in page
    assert register(client, run, "Ana").json()["message"] == words.message
    for token in (make_token(run.session_id), run.short_code):
        assert client.get(f"/api/qr/validate/{token}").json()["reason"] == words.message


def test_an_open_run_is_worded_alike_by_both_validations(client: Client, run: Run) -> None:
    words = wording.checkin_state(run, CheckinState.OPEN)
    for token in (make_token(run.session_id), run.short_code):
        assert client.get(f"/api/qr/validate/{token}").json()["reason"] == words.message


def test_checked_in_and_already_in_are_worded_alike(client: Client, run: Run) -> None:
    page = text_of(checkin(client, run, "Ana Silva"))
    words = wording.checked_in("Ana Silva", 1)
    assert words.headline in page and words.detail in page

    api = register(client, run, "Bo Chen").json()
    assert api["message"] == wording.checked_in("Bo Chen", 2).message

    duplicate_page = text_of(checkin(Client(), run, "ana silva"))
    duplicate_api = register(Client(), run, "ANA SILVA").json()["message"]
    headline, detail = duplicate_api.split(". ", 1)
    assert headline == "This name is already checked in today"
    assert headline in duplicate_page and detail.replace(". ", ". Enjoy the run! ", 1) in (
        duplicate_page
    )


def test_an_unknown_code_is_worded_alike(client: Client, run: Run) -> None:
    words = wording.unknown_code()
    page = text_of(client.get("/c/ZZZZZZZZ"))
    assert words.headline in page and words.detail in page
    assert client.get("/api/qr/validate/ZZZZZZZZ").json()["reason"] == words.message
    response = post_json(client, "/api/register", {"session_id": "A" * 22, "runner_name": "Ana"})
    assert response.json()["detail"] == words.message


def test_the_check_in_page_heads_with_its_runs_day_and_time(client: Client) -> None:
    run = RunFactory(date=club_today(), starts_at=dt.time(7, 5), place="The Oval")
    html = client.get(run.checkin_path()).content.decode()
    day = run.date
    assert f"<title>Check in · {day:%a} {day.day} {day:%b} · " in html
    assert f"<h1>{day:%A} {day.day} {day:%B}</h1>" in html
    assert '<p class="run-meta">07:05 · The Oval</p>' in html


def test_a_run_day_is_worded_as_djangos_date_filters_word_it() -> None:
    day = wording.run_day(dt.date(2026, 3, 1), dt.time(18, 30))
    assert (day.short, day.long, day.starts) == ("Sun 1 Mar", "Sunday 1 March", "18:30")
