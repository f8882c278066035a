"""Member numbers, when a club wants them: a second field that identifies the runner."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from urllib.parse import unquote

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from attendance.models import Attendance, Runner
from calendar_app.models import Run
from runclub.lib.env import envchoice, envpattern
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def numbers(settings: object) -> object:
    settings.CHECKIN_MEMBER_NUMBER = "required"
    settings.CHECKIN_MEMBER_NUMBER_PATTERN = "^[0-9]{8}$"
    settings.CHECKIN_MEMBER_NUMBER_HELP = "Eight digits, on your student card."
    return settings


def post(client: Client, run: Run, name: str, number: str):  # type: ignore[no-untyped-def]
    data = {"runner_name": name, "member_number": number, "submission_id": str(uuid.uuid4())}
    return client.post(run.checkin_path(), data)


def test_off_by_default_the_form_has_one_field(client: Client, run: Run) -> None:
    page = client.get(run.checkin_path()).content.decode()
    assert 'name="member_number"' not in page
    assert post(client, run, "Ana Silva", "whatever").status_code == 200
    assert Runner.objects.get().member_number is None


def test_required_the_form_asks_for_the_number_with_the_clubs_label(
    client: Client, run: Run, numbers: object
) -> None:
    page = client.get(run.checkin_path())
    assert 'name="member_number"' in page.content.decode()
    assert 'inputmode="numeric"' in page.content.decode()
    assert "Student number Eight digits, on your student card." in text_of(page)
    response = post(client, run, "Ana Silva", "")
    assert response.status_code == 400
    assert "Please type your student number." in text_of(response)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("typed", ["1234", "1234567a", "123456789", "12345678" * 10])
def test_a_number_that_does_not_fit_the_pattern_is_a_400_that_says_why(
    client: Client, run: Run, numbers: object, typed: str
) -> None:
    response = post(client, run, "Ana Silva", typed)
    assert response.status_code == 400
    assert "That doesn't look like a student number: please check it. Eight digits" in text_of(
        response
    )
    assert 'aria-invalid="true" aria-describedby="number-error"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_spaces_and_full_width_digits_are_the_same_number(
    client: Client, run: Run, numbers: object
) -> None:
    assert post(client, run, "Ana Silva", " 1234 5678 ").status_code == 200
    assert post(Client(), run, "Someone", "１２３４５６７８").status_code == 409
    assert Runner.objects.get().member_number == "12345678"


def test_the_same_number_under_another_name_is_a_duplicate(
    client: Client, run: Run, numbers: object
) -> None:
    assert post(client, run, "Ana Silva", "12345678").status_code == 200
    response = post(Client(), run, "A. Silva", "12345678")
    assert response.status_code == 409
    text = text_of(response)
    assert "This number is already checked in today" in text
    assert "Ana Silva" not in text and "same name" not in text


def test_the_same_name_with_another_number_is_someone_else(
    client: Client, run: Run, numbers: object
) -> None:
    assert post(client, run, "Ana Silva", "12345678").status_code == 200
    assert post(Client(), run, "Ana Silva", "87654321").status_code == 200
    assert sorted(Runner.objects.values_list("member_number", flat=True)) == [
        "12345678",
        "87654321",
    ]


def test_the_number_finds_the_runner_on_a_later_run_whatever_the_name(
    client: Client, run: Run, numbers: object
) -> None:
    last_week = RunFactory(date=run.date - dt.timedelta(days=7))
    earlier = AttendanceFactory(run=last_week, runner_name="Ana Silva")
    Runner.objects.filter(pk=earlier.runner_id).update(member_number="12345678")
    assert post(client, run, "Ana", "12345678").status_code == 200
    assert Runner.objects.get().runs_with_club() == 2


def test_a_runner_known_by_name_takes_their_number(
    client: Client, run: Run, settings: object
) -> None:
    settings.CHECKIN_MEMBER_NUMBER = "optional"
    AttendanceFactory(run=RunFactory(date=run.date - dt.timedelta(days=7)), runner_name="Ana")
    page = client.get(run.checkin_path())
    assert "Student number (optional)" in text_of(page)
    assert post(client, run, "ana", "ab12cd").status_code == 200
    runner = Runner.objects.get()
    assert runner.member_number == "AB12CD"
    assert runner.runs_with_club() == 2


def test_optional_without_a_number_the_name_decides(
    client: Client, run: Run, settings: object
) -> None:
    settings.CHECKIN_MEMBER_NUMBER = "optional"
    assert post(client, run, "Ana Silva", "").status_code == 200
    assert post(Client(), run, "ana silva", "").status_code == 409


def test_the_phone_remembers_the_number(client: Client, run: Run, numbers: object) -> None:
    response = post(client, run, "Ana Silva", "12345678")
    assert unquote(response.cookies["member_number"].value) == "12345678"
    assert response.cookies["member_number"]["httponly"]
    Attendance.objects.all().delete()  # not in today: the form, filled in
    assert 'value="12345678"' in client.get(run.checkin_path()).content.decode()


def test_the_number_is_never_on_the_live_page(
    client: Client, staff_client: Client, run: Run, numbers: object
) -> None:
    post(client, run, "Ana Silva", "12345678")
    assert "Ana Silva" in text_of(staff_client.get("/live/"))
    for watcher in (client, staff_client):
        assert "12345678" not in watcher.get("/live/").content.decode()
        assert "12345678" not in watcher.get("/api/attendance/today").content.decode()


def test_the_api_takes_the_number_and_never_gives_it_back(
    client: Client, run: Run, numbers: object
) -> None:
    def register(name: str, number: str | None):  # type: ignore[no-untyped-def]
        body = {"session_id": run.session_id, "runner_name": name, "member_number": number}
        return client.post("/api/register", json.dumps(body), content_type="application/json")

    assert register("Ana Silva", None).json()["detail"] == "Please type your student number."
    created = register("Ana Silva", "12345678")
    assert created.status_code == 201
    assert "12345678" not in created.content.decode()
    assert register("Somebody", "12345678").status_code == 409


def test_the_admin_and_the_csv_show_it(client_as, run: Run, numbers: object) -> None:
    post(Client(), run, "Ana Silva", "12345678")
    client = client_as("committee")
    checkins = client.get(reverse("admin:attendance_attendance_changelist"))
    assert "12345678" in text_of(checkins)
    found = client.get(reverse("admin:attendance_attendance_changelist"), {"q": "12345678"})
    assert "Ana Silva" in text_of(found)
    body = b"".join(client.get("/export/attendance.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    assert [(row["runner name"], row["member number"]) for row in rows] == [
        ("Ana Silva", "12345678")
    ]


def test_erasing_the_runner_removes_the_number(client_as, run: Run, numbers: object) -> None:
    post(Client(), run, "Ana Silva", "12345678")
    runner = Runner.objects.get()
    data = {"action": "erase", "_selected_action": [runner.pk], "confirm": "yes"}
    client_as("organiser").post(reverse("admin:attendance_runner_changelist"), data)
    assert not Runner.objects.filter(member_number="12345678").exists()
    assert not Attendance.objects.exists()


def test_an_organiser_edits_a_runners_number(client_as, run: Run, numbers: object) -> None:
    runner = AttendanceFactory(run=run, runner_name="Ana Silva").runner
    change = reverse("admin:attendance_runner_change", args=[runner.pk])
    client = client_as("organiser")
    form = {
        "name": "Ana Silva",
        "member_number": "12345678",
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "1",
        "names-0-id": runner.names.get().pk,
        "names-0-runner": runner.pk,
        "attendances-TOTAL_FORMS": "1",
        "attendances-INITIAL_FORMS": "1",
        "attendances-0-id": runner.attendances.get().pk,
        "attendances-0-runner": runner.pk,
    }
    refused = client.post(change, {**form, "member_number": "1234"})
    assert "That doesn't look like a student number" in text_of(refused)
    other = AttendanceFactory(run=run, runner_name="Bo Chen").runner
    Runner.objects.filter(pk=other.pk).update(member_number="87654321")
    taken = client.post(change, {**form, "member_number": "8765 4321"})
    assert "Runner with this Member number already exists." in text_of(taken)
    assert client.post(change, form).status_code == 302
    runner.refresh_from_db()
    assert runner.member_number == "12345678"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CHECKIN_MEMBER_NUMBER", "maybe", "must be one of: off, optional, required"),
        ("CHECKIN_MEMBER_NUMBER_PATTERN", "[0-9{8}", "is not a regular expression"),
    ],
)
def test_nonsense_settings_stop_the_app(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        if variable == "CHECKIN_MEMBER_NUMBER":
            envchoice(variable, "off", ("off", "optional", "required"))
        else:
            envpattern(variable, ".*")


def test_a_runner_in_without_a_number_who_sends_one_is_already_in(
    client: Client, run: Run, settings: object
) -> None:
    settings.CHECKIN_MEMBER_NUMBER = "optional"
    assert post(client, run, "Ana Silva", "").status_code == 200
    response = post(Client(), run, "ana silva", "12345678")
    assert response.status_code == 409
    assert Runner.objects.get().member_number is None, "nothing of a refused check-in is kept"
