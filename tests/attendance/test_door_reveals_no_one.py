"""An anonymous answer at the door shows another person's name, number or check-in time only
to the browser (or submission) that made that check-in: the form at the long link and at the
typed code's short link, and the API, with member numbers off and on."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from attendance.models import Attendance
from calendar_app.models import Run
from tests.api.helpers import post_json

pytestmark = pytest.mark.django_db

Door = Callable[[Client, Run, str, str], HttpResponse]


def long_link(client: Client, run: Run, name: str, number: str) -> HttpResponse:
    data = {"runner_name": name, "member_number": number, "submission_id": str(uuid.uuid4())}
    return client.post(run.token_path(), data)


def typed_code(client: Client, run: Run, name: str, number: str) -> HttpResponse:
    data = {"runner_name": name, "member_number": number, "submission_id": str(uuid.uuid4())}
    return client.post(f"/c/{run.short_code.lower()}", data)


def api(client: Client, run: Run, name: str, number: str) -> HttpResponse:
    body = {"session_id": run.session_id, "runner_name": name, "member_number": number or None}
    return post_json(client, "/api/register", body)


DOORS = {"form": long_link, "typed code": typed_code, "api": api}


def reveals(response: HttpResponse, attendance: Attendance) -> list[str]:
    """What of ``attendance`` the answer shows: its name, number or time."""
    text = response.content.decode()
    shown = []
    if attendance.runner_name in text or attendance.runner_name.split()[0] in text:
        shown.append("name")
    number = attendance.runner.member_number
    if number and number in text:
        shown.append("number")
    at = timezone.localtime(attendance.registered_at)
    if re.search(rf"\b{at:%H:%M}\b", text):
        shown.append("time")
    return shown


@pytest.mark.parametrize("door", DOORS.values(), ids=DOORS.keys())
def test_a_name_already_in_is_answered_without_its_spelling_or_time(run: Run, door: Door) -> None:
    door(Client(), run, "Maya Patel", "")
    taken = Attendance.objects.get()
    response = door(Client(), run, "MAYA PATEL", "")
    assert response.status_code == 409
    assert reveals(response, taken) == []
    assert "This name is already checked in today" in response.content.decode()


@pytest.mark.parametrize("door", DOORS.values(), ids=DOORS.keys())
@pytest.mark.parametrize("mode", ["optional", "required"])
def test_a_number_already_in_is_answered_with_no_name(
    run: Run, door: Door, mode: str, settings: object
) -> None:
    settings.CHECKIN_MEMBER_NUMBER = mode  # type: ignore[attr-defined]
    door(Client(), run, "Maya Patel", "20240001")
    taken = Attendance.objects.get()
    response = door(Client(), run, "Anyone At All", "20240001")
    assert response.status_code == 409
    assert reveals(response, taken) == []
    page = response.content.decode()
    assert "This number is already checked in today" in page
    assert "same name" not in page  # the advice fits the clash


@pytest.mark.parametrize("door", DOORS.values(), ids=DOORS.keys())
def test_the_phone_that_made_the_check_in_is_told_whose_and_when(run: Run, door: Door) -> None:
    phone = Client()
    long_link(phone, run, "Maya Patel", "")  # the form tells the phone whose it is
    taken = Attendance.objects.get()
    response = door(phone, run, "maya patel", "")
    assert response.status_code == 409
    assert reveals(response, taken) == ["name", "time"]


def test_a_stranger_opening_the_link_sees_the_form_not_who_is_in(run: Run) -> None:
    long_link(Client(), run, "Maya Patel", "")
    response = Client().get(run.checkin_path())
    assert 'name="runner_name"' in response.content.decode()
    assert reveals(response, Attendance.objects.get()) == []
