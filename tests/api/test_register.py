"""POST /api/register: the check-in form's rules, as JSON."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client

from attendance.models import Attendance
from calendar_app.models import Run, club_today
from tests.api.helpers import post_json
from tests.factories import AttendanceFactory, RunFactory

pytestmark = pytest.mark.django_db


def register(client: Client, session_id: str, name: str):  # type: ignore[no-untyped-def]
    return post_json(client, "/api/register", {"session_id": session_id, "runner_name": name})


def test_it_checks_a_runner_in(client: Client, run: Run) -> None:
    AttendanceFactory.create_batch(2, run=run)
    response = register(client, run.session_id, "  Ana Silva ")
    assert response.status_code == 201
    assert response.json() == {
        "success": True,
        "message": "You're in, Ana. Runner 3 today.",
        "current_count": 3,
        "runner_name": "Ana Silva",
    }
    assert Attendance.objects.filter(run=run, runner_name="Ana Silva").exists()


def test_it_accepts_the_seed_clients_timestamp(client: Client, run: Run) -> None:
    body = {"session_id": run.session_id, "runner_name": "Ana", "timestamp": "2020-01-01T00:00"}
    assert post_json(client, "/api/register", body).status_code == 201
    assert Attendance.objects.get().registered_at.date() != dt.date(2020, 1, 1)


def test_it_refuses_the_same_name_twice(client: Client, run: Run) -> None:
    register(client, run.session_id, "Ana Silva")
    response = register(client, run.session_id, "ＡＮＡ　ＳＩＬＶＡ")
    assert response.status_code == 409
    body = response.json()
    assert body["success"] is False
    # Another client: told the name is in, never whose spelling it was or when.
    assert body["message"] == (
        "This name is already checked in today. No need to do it again. Not you? Someone "
        "with the same name got here first: check in with your surname or an initial added."
    )
    assert body["runner_name"] == "ＡＮＡ　ＳＩＬＶＡ"
    assert body["current_count"] == 1
    assert Attendance.objects.count() == 1


def test_an_unknown_session_is_404(client: Client, run: Run) -> None:
    response = register(client, "A" * 22, "Ana")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "That code isn't one of ours. Check it against the code shown at the run "
        "and try again, or ask an organiser."
    }


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("   ", "Please type your name."),
        ("Ana\x00", "invisible control characters"),
        ("!!!", "at least one letter or digit"),
        ("\u202ezaiD alraC\u202c", "change the direction it is shown in"),
        ("Сarla Diaz", "“Сarla” mixes Cyrillic and Latin letters that look alike."),
        ("x" * 300, "That name is too long: 255 characters at most, please."),
    ],
)
def test_an_invalid_name_is_400_with_the_forms_reason(
    client: Client, run: Run, name: str, reason: str
) -> None:
    response = register(client, run.session_id, name)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"session_id": "short", "runner_name": "Ana"},
        {"runner_name": "Ana"},
        {"session_id": "A" * 22, "runner_name": "x" * 1021},
        {"session_id": "A" * 22, "runner_name": ""},
        {"session_id": 12, "runner_name": ["Ana"]},
        [],
    ],
)
def test_a_malformed_request_is_422(client: Client, body: object) -> None:
    response = post_json(client, "/api/register", body)
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize("raw", ["{", "not json", '{"session_id": "x",}', "\x00"])
def test_malformed_json_is_400_not_a_crash(client: Client, raw: str) -> None:
    response = post_json(client, "/api/register", raw)
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}


@pytest.mark.parametrize(
    ("days", "is_active", "status", "words"),
    [
        (-1, True, 410, "Check-in has closed"),
        (1, True, 403, "isn't open yet"),
        (0, False, 403, "was cancelled"),
    ],
)
def test_a_run_that_is_not_open_today_says_why(
    client: Client, days: int, is_active: bool, status: int, words: str
) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=days), is_active=is_active)
    response = register(client, run.session_id, "Ana")
    assert response.status_code == status
    assert response.json()["success"] is False
    assert words in response.json()["message"]
    assert Attendance.objects.count() == 0


def test_a_retry_with_the_same_submission_id_is_the_check_in_it_made(
    client: Client, run: Run
) -> None:
    body = {"session_id": run.session_id, "runner_name": "Ana", "submission_id": str(uuid.uuid4())}
    assert post_json(client, "/api/register", body).status_code == 201
    again = post_json(Client(), "/api/register", body)
    assert again.status_code == 201
    assert again.json()["message"] == "You're in, Ana. Runner 1 today."
    assert Attendance.objects.count() == 1


def test_invisible_characters_are_removed_and_do_not_make_a_second_runner(
    client: Client, run: Run
) -> None:
    response = register(client, run.session_id, "Carla\u200b Diaz\u00ad")
    assert response.status_code == 201
    assert response.json()["runner_name"] == "Carla Diaz"
    assert register(client, run.session_id, "Carla\u200d Diaz").status_code == 409
    assert Attendance.objects.get().runner_name == "Carla Diaz"


def test_a_cyrillic_look_alike_is_a_duplicate(client: Client, run: Run) -> None:
    register(client, run.session_id, "Maya Okafor")
    assert register(client, run.session_id, "Мауа Okafor").status_code == 409
