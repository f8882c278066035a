"""The answer after checking in: the runner's number, their runs with the club, the next run."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote

import pytest
from django.test import Client

from attendance import wording
from attendance.models import Attendance
from attendance.services import runs_with_club
from calendar_app.models import Run, club_today
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db


def past_runs(count: int, name: str) -> None:
    for days in range(1, count + 1):
        run = RunFactory(date=club_today() - dt.timedelta(days=days))
        AttendanceFactory(run=run, runner_name=name)


def test_a_first_run_ever_is_welcomed(client: Client, run: Run) -> None:
    text = text_of(checkin(client, run, "Maya Okafor"))
    assert "You're in, Maya" in text
    assert "Runner 1 today." in text
    assert "Welcome! Your first run with the club." in text


def test_it_counts_runs_with_the_club_by_the_duplicate_rules_identity(
    client: Client, run: Run
) -> None:
    past_runs(21, "maya  OKAFOR")  # another spelling of the same runner
    AttendanceFactory(run=RunFactory(date=club_today() - dt.timedelta(days=40)), runner_name="Maya")
    text = text_of(checkin(client, run, "Maya Okafor"))
    assert "Your 22nd run with the club." in text


@pytest.mark.parametrize(
    ("before", "words"),
    [
        (9, "Double figures! Your 10th run with the club."),
        (24, "A quarter-century! Your 25th run with the club."),
        (49, "Half a century! Your 50th run with the club."),
        (99, "A hundred runs! Your 100th run with the club."),
    ],
)
def test_milestones_get_a_word(client: Client, run: Run, before: int, words: str) -> None:
    past_runs(before, "Maya Okafor")
    assert words in text_of(checkin(client, run, "Maya Okafor"))


def test_an_ordinary_run_gets_its_number_only(client: Client, run: Run) -> None:
    past_runs(2, "Maya Okafor")
    response = checkin(client, run, "Maya Okafor")
    assert "Your 3rd run with the club." in text_of(response)
    assert "milestone" not in response.content.decode()


@pytest.mark.parametrize(
    ("number", "ordinal"),
    [
        *[(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th")],
        *[(13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th")],
    ],
)
def test_ordinals(number: int, ordinal: str) -> None:
    assert wording.ordinal(number) == ordinal


def test_the_count_is_one_query_on_the_runners_index(run: Run, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    attendance = AttendanceFactory(run=run, runner_name="Maya Okafor")
    with django_assert_num_queries(1) as queries:
        assert runs_with_club(attendance) == 1
    assert "WHERE runner_id = " in queries.captured_queries[0]["sql"]


def test_it_says_when_and_where_the_next_run_is(client: Client, run: Run) -> None:
    RunFactory(date=run.date + dt.timedelta(days=1), is_active=False)  # cancelled: skipped
    later = RunFactory(
        date=run.date + dt.timedelta(days=2), starts_at=dt.time(7, 30), place="Boathouse steps"
    )
    text = text_of(checkin(client, run, "Maya Okafor"))
    assert (
        f"Next run: {later.date:%A} {later.date.day} {later.date:%B}, 07:30, Boathouse steps."
        in text
    )


def test_it_says_when_no_next_run_is_on_the_calendar(client: Client, run: Run) -> None:
    assert "The next run isn't on the calendar yet." in text_of(checkin(client, run, "Ana"))


def test_a_run_added_later_is_the_next_run_at_once(
    client: Client, run: Run, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    checkin(client, run, "Ana")
    with django_capture_on_commit_callbacks(execute=True):
        RunFactory(date=run.date + dt.timedelta(days=3), place="The Oval")
    assert "The Oval." in text_of(checkin(client, run, "Bo"))


def test_the_check_in_post_costs_few_queries(
    client: Client, run: Run, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.get(run.checkin_path())
    checkin(client, run, "Ana")  # the next run is cached from here on
    # A new runner: savepoint, their lookup, their runner and name, the check-in, release;
    # then number and count, and runs with the club.
    with django_assert_max_num_queries(8):
        assert checkin(client, run, "Bo").status_code == 200


def test_the_answer_keeps_the_live_counts_element(client: Client, run: Run) -> None:
    AttendanceFactory.create_batch(2, run=run)
    page = checkin(client, run, "Ana").content.decode()
    assert '<strong id="attendance-count">3</strong>' in page


def test_someone_else_is_a_full_size_button(client: Client, run: Run) -> None:
    page = checkin(client, run, "Maya Okafor").content.decode()
    assert f'<a class="button" href="/c/{run.short_code}?other=1">Check in someone else</a>' in page


def test_checking_in_someone_else_keeps_the_owners_name(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Okafor")
    form = client.get(f"{run.checkin_path()}?other=1")
    page = form.content.decode()
    assert 'name="for_other" value="1"' in page
    assert 'value="Maya Okafor"' not in page
    assert "Their name" in text_of(form)

    response = client.post(
        run.checkin_path(), {"runner_name": "Bo Chen", "for_other": "1", "submission_id": ""}
    )
    assert response.status_code == 200
    assert "You're in, Bo" in text_of(response)
    assert "runner_name" not in response.cookies
    assert unquote(client.cookies["runner_name"].value) == "Maya Okafor"
    # The phone is still Maya's: opening the link again says she is in.
    assert "You're in, Maya" in text_of(client.get(run.checkin_path()))
    assert Attendance.objects.filter(run=run).count() == 2


def test_a_name_refused_for_someone_else_keeps_their_form(client: Client, run: Run) -> None:
    client.cookies["runner_name"] = quote("Maya Okafor")
    response = client.post(run.checkin_path(), {"runner_name": "", "for_other": "1"})
    assert response.status_code == 400
    assert 'name="for_other" value="1"' in response.content.decode()


def test_the_duplicate_answer_leads_to_the_form(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Okafor")
    response = checkin(Client(), run, "maya okafor")
    assert response.status_code == 409
    page = response.content.decode()
    assert f'<a class="button" href="/c/{run.short_code}">Check in with another name</a>' in page


def test_a_closed_run_leads_home(client: Client) -> None:
    run = RunFactory(date=club_today() - dt.timedelta(days=1))
    response = client.get(run.checkin_path())
    assert response.status_code == 410
    assert '<a class="button" href="/">Go to the home page</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("days", "is_active"),
    [(-1, True), (0, False), (3, False), (2, True)],
    ids=["over", "cancelled today", "cancelled later", "not yet"],
)
def test_a_run_that_takes_no_check_ins_names_the_next_one(
    client: Client, days: int, is_active: bool
) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=days), is_active=is_active)
    RunFactory(date=club_today() + dt.timedelta(days=7), starts_at=dt.time(7, 30), place="The lake")
    text = text_of(client.get(run.checkin_path()))
    next_day = wording.run_day(club_today() + dt.timedelta(days=7), dt.time(7, 30))
    if days == 2:  # the next run is this one: its own page says when
        assert "Next run:" not in text
    else:
        assert f"Next run: {next_day.long}, 07:30, The lake." in text


@pytest.mark.parametrize(
    ("days", "is_active", "tone"),
    [(-1, True, "answer-stop"), (3, False, "answer-stop"), (2, True, "answer-wait")],
    ids=["over", "cancelled", "not yet"],
)
def test_a_run_not_open_yet_is_answered_calmly_and_a_closed_one_plainly(
    client: Client, days: int, is_active: bool, tone: str
) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=days), is_active=is_active)
    page = client.get(run.checkin_path()).content.decode()
    assert f'<div class="answer {tone}">' in page
    assert '<svg class="answer-icon"' in page  # like every other answer, an icon first


def test_a_long_name_is_greeted_whole_and_allowed_to_wrap(client: Client, run: Run) -> None:
    response = checkin(client, run, "W" * 255)
    assert f"You're in, {'W' * 255}" in text_of(response)


@pytest.mark.parametrize(
    ("name", "greeting"),
    [("Maya Okafor", "Maya"), ("Maya", "Maya"), ("J. Smith", "J. Smith"), ("A B", "A B")],
)
def test_runners_are_greeted_by_their_first_name(name: str, greeting: str) -> None:
    assert wording.greeting_name(name) == greeting


def test_someone_else_is_checked_in_from_the_same_phone_with_the_token_it_was_given(
    run: Run,
) -> None:
    phone = Client(enforce_csrf_checks=True)

    def post_form(name: str, path: str) -> Any:
        page = phone.get(path).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        return phone.post(
            run.checkin_path(), {"runner_name": name, "csrfmiddlewaretoken": token[1]}
        )

    answer = post_form("Ana Silva", run.checkin_path())
    assert answer.status_code == 200
    # The answer has no form and no htmx, so it makes no new token (nor sends its cookie).
    assert "csrftoken" not in answer.cookies
    assert "x-csrftoken" not in answer.content.decode()
    assert post_form("Bo Chen", f"{run.checkin_path()}?other=1").status_code == 200
    assert run.attendances.count() == 2
