"""The name rule on every route a check-in arrives by: the form, the API and a paper list."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from attendance.models import Attendance, Runner
from attendance.services import add_paper_list
from calendar_app.models import Run
from tests.api.helpers import post_json
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

ONE_RUNNER = [
    ("Sam O'Neill", "Sam O\u2019Neill"),
    ("Sam O'Neill", "Sam ONeill"),
    ("Chloé Martin", "Chloe Martin"),
    ("Zoë Ångström", "Zoe Angstrom"),
    ("Maya Patel", "Maya Patel\u2800"),
    ("Maya Patel", "Maya Patel\U00016fe4"),
    ("Maya Patel", "Maya Patel\ufffc"),
    ("Maya Patel", "Maya Patel\u0301"),
    ("Maya Patel", "M\u0251ya Patel"),  # Latin alpha
    ("Maya Patil", "Maya Pat\u0131l"),  # dotless i
    ("Maya Patel", "\u1d0daya Patel"),  # small capital M
    ("Maya Patel", "Мауа Patel"),  # a whole Cyrillic word
]
DIFFERENT_PEOPLE = [
    ("Jo Smith", "Joe Smith"),
    ("Ana Lee", "Anna Lee"),
    ("राम शर्मा", "रम शर्मा"),
]


def by_form(run: Run, name: str) -> str:
    """Each check-in from its own phone."""
    data = {"runner_name": name, "submission_id": str(uuid.uuid4())}
    status = Client().post(run.checkin_path(), data).status_code
    return {200: "in", 409: "already in"}[status]


def by_api(run: Run, name: str) -> str:
    body = {"session_id": run.session_id, "runner_name": name}
    status = post_json(Client(), "/api/register", body).status_code
    return {201: "in", 409: "already in"}[status]


def by_paper_list(run: Run, name: str) -> str:
    result = add_paper_list(run, name)
    counts = (len(result.added), len(result.already_in), len(result.refused))
    return {(1, 0, 0): "in", (0, 1, 0): "already in"}[counts]


ROUTES: dict[str, Callable[[Run, str], str]] = {
    "form": by_form,
    "api": by_api,
    "paper list": by_paper_list,
}


@pytest.mark.parametrize("route", ROUTES.values(), ids=ROUTES.keys())
@pytest.mark.parametrize(("first", "second"), ONE_RUNNER)
def test_one_person_typed_two_ways_is_one_runner_checked_in_once(
    run: Run, route: Callable[[Run, str], str], first: str, second: str
) -> None:
    assert route(run, first) == "in"
    assert route(run, second) == "already in"
    assert Runner.objects.count() == 1
    assert Attendance.objects.get().runner_name == first


@pytest.mark.parametrize("route", ROUTES.values(), ids=ROUTES.keys())
@pytest.mark.parametrize(("first", "second"), DIFFERENT_PEOPLE)
def test_different_people_stay_different(
    run: Run, route: Callable[[Run, str], str], first: str, second: str
) -> None:
    assert route(run, first) == "in"
    assert route(run, second) == "in"
    assert Runner.objects.count() == 2


@pytest.mark.parametrize("route", ROUTES.values(), ids=ROUTES.keys())
def test_look_alikes_from_other_scripts_inside_a_word_are_refused(
    run: Run, route: Callable[[Run, str], str]
) -> None:
    for name in ["Ꮇaya Patel", "ꓮna Lee", "Maya Ⲣatel", "Mաya Patel"]:
        with pytest.raises(KeyError):
            route(run, name)  # neither in nor already in: refused (400, or a refusal)
    assert not Attendance.objects.exists()


def test_a_paper_list_says_why_it_refused_a_mixed_name(run: Run) -> None:
    result = add_paper_list(run, "Ꮇaya Patel")
    assert result.refused == [
        (
            "Ꮇaya Patel",
            "“Ꮇaya” mixes Cherokee and Latin letters that look alike. "
            "Please type your name again with one keyboard.",
        )
    ]


EMOJI_NAME = "\U0001f3c3\u200d\u2640\ufe0f Jess \U0001f525"


def test_an_emoji_name_is_stored_intact_and_greeted_by_name(client: Client, run: Run) -> None:
    response = client.post(run.checkin_path(), {"runner_name": EMOJI_NAME})
    assert "You're in, Jess Runner 1 today." in text_of(response)
    assert Attendance.objects.get().runner_name == EMOJI_NAME


def test_the_api_greets_an_emoji_name_by_name(client: Client, run: Run) -> None:
    body = {"session_id": run.session_id, "runner_name": EMOJI_NAME}
    response = post_json(client, "/api/register", body)
    assert response.json()["message"] == "You're in, Jess. Runner 1 today."
    assert response.json()["runner_name"] == EMOJI_NAME
