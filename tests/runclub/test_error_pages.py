"""Every error page names the club and leads somewhere: no dead ends."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from calendar_app.models import Run
from runclub.views import server_error
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _club_name(settings: object) -> None:
    settings.CLUB_NAME = "Hare & Hounds RC"


def assert_no_dead_end(response) -> None:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    assert "Hare &amp; Hounds RC" in page
    assert '<a class="button" href="/">Go to the home page</a>' in page


def test_not_found(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert_no_dead_end(response)
    assert 'href="/c/">Type a check-in code</a>' in response.content.decode()
    assert "Page not found · Hare & Hounds RC" in text_of(response)


def test_a_forged_check_in_link(client: Client) -> None:
    response = client.get("/checkin/" + "A" * 22 + ":" + "B" * 43 + "/")
    assert response.status_code == 404
    assert_no_dead_end(response)


def test_bad_request(client: Client, run: Run) -> None:
    response = checkin(client, run, "x" * 3_000_000)
    assert response.status_code == 400
    assert_no_dead_end(response)


def test_missing_security_cookie(run: Run) -> None:
    response = checkin(Client(enforce_csrf_checks=True), run, "Ana")
    assert response.status_code == 403
    assert_no_dead_end(response)


def test_too_many_check_ins(client: Client, run: Run, settings: object) -> None:
    settings.RATELIMIT_CHECKIN_PER_ADDRESS = "1/m"
    checkin(client, run, "Ana")
    response = checkin(client, run, "Bo")
    assert response.status_code == 429
    assert_no_dead_end(response)


def test_server_error_names_the_club_without_a_request_context() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_no_dead_end(response)
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize(
    ("template", "tone"),
    [
        ("404.html", "answer-stop"),
        ("507.html", "answer-stop"),
        ("429.html", "answer-warn"),
        ("503.html", "answer-warn"),
    ],
)
def test_a_page_that_says_wait_looks_unlike_one_that_says_no(template: str, tone: str) -> None:
    page = render_to_string(template, {"club_name": "Hare & Hounds RC"})
    assert f'<div class="answer {tone}">' in page
    assert '<svg class="answer-icon"' in page  # an icon first, as on every answer
