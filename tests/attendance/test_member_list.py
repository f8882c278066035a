"""The club's member list: imported from a CSV (command and admin), and with
CHECKIN_MEMBER_NUMBER=only a number alone checks a member in by name."""

from __future__ import annotations

import datetime as dt
import io
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from attendance.models import Attendance, Member, Runner
from attendance.services import apply_retention, erase_runners
from calendar_app.models import Run, club_today
from tests.api.helpers import post_json
from tests.factories import RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

LIST = (
    "Surname,number,Name,Email\n"
    "Patel,20240001,Maya Patel,maya@example.org\n"
    "Okafor,2024 0002,Ben Okafor,ben@example.org\n"
    ",,,\n"
    "Nobody,,No Number,\n"
    "Twice,20240001,Maya Again,\n"
    "Bad,12,Too Short,\n"
    "Blank,20240003,,\n"
)


def import_list(text: str) -> str:
    out = io.StringIO()
    sys_stdin, sys.stdin = sys.stdin, io.StringIO(text)
    try:
        call_command("import_members", "-", stdout=out)
    finally:
        sys.stdin = sys_stdin
    return out.getvalue()


def test_the_command_imports_a_list_and_says_what_it_did() -> None:
    out = import_list(LIST)
    assert "Member list: 2 added, 0 changed, 0 unchanged, 4 refused." in out
    assert "refused: line 5 (Nobody,,No Number,): no number" in out
    assert "refused: line 6 (Twice,20240001,Maya Again,): this number is on an earlier line" in out
    assert "refused: line 7 (Bad,12,Too Short,): that doesn't look like a member number" in out
    assert "refused: line 8 (Blank,20240003,,): Please type your name." in out
    assert dict(Member.objects.values_list("number", "name")) == {
        "20240001": "Maya Patel",
        "20240002": "Ben Okafor",
    }


def test_importing_again_updates_and_keeps_the_rest(tmp_path: Path) -> None:
    import_list(LIST)
    again = tmp_path / "members.csv"
    again.write_text("name,number\nMaya P. Patel,20240001\nCara Lee,20240004\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_members", str(again), stdout=out)
    assert "1 added, 1 changed, 0 unchanged, 0 refused." in out.getvalue()
    assert Member.objects.get(number="20240001").name == "Maya P. Patel"
    assert Member.objects.filter(number="20240002").exists()  # not in this file: stays
    out = io.StringIO()
    call_command("import_members", str(again), stdout=out)
    assert "0 added, 0 changed, 2 unchanged, 0 refused." in out.getvalue()


def test_a_file_without_the_two_columns_is_refused_whole() -> None:
    with pytest.raises(CommandError, match="one called number and one called name"):
        import_list("id,full name\n1,Maya\n")
    assert not Member.objects.exists()


def test_organisers_upload_the_list_in_the_admin(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("organiser")
    url = reverse("admin:attendance_member_import")
    assert "Import the member list" in text_of(
        client.get(reverse("admin:attendance_member_changelist"))
    )
    upload = SimpleUploadedFile("union.csv", LIST.encode("utf-8-sig"), "text/csv")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    text = text_of(response)
    assert "2 added, 0 changed, 0 unchanged, 4 refused." in text
    assert "line 7 (Bad,12,Too Short,): that doesn't look like a member number" in text
    assert client_as("committee").post(url, {}).status_code == 403


@pytest.fixture
def only(settings: object) -> None:
    settings.CHECKIN_MEMBER_NUMBER = "only"  # type: ignore[attr-defined]
    settings.CHECKIN_MEMBER_NUMBER_PATTERN = "[0-9]{8}"  # type: ignore[attr-defined]
    Member.objects.create(number="20240001", name="Maya Patel")


def post(phone: Client, run: Run, **fields: str):  # type: ignore[no-untyped-def]
    return phone.post(run.checkin_path(), {"submission_id": str(uuid.uuid4()), **fields})


def test_the_form_asks_for_the_number_alone(client: Client, run: Run, only: None) -> None:
    page = client.get(run.checkin_path()).content.decode()
    assert '<label for="member-number">Student number</label>' in page
    assert 'id="runner-name"' not in page
    assert '<input type="hidden" name="runner_name" value="">' in page


def test_a_listed_number_checks_its_member_in_by_name(client: Client, run: Run, only: None) -> None:
    response = post(client, run, member_number="2024 0001")
    assert response.status_code == 200
    assert "You're in, Maya Runner 1 today." in text_of(response)
    attendance = Attendance.objects.get()
    assert (attendance.runner_name, attendance.runner.member_number) == (
        "Maya Patel",
        "20240001",
    )


def test_an_unlisted_number_is_asked_once_for_a_name(client: Client, run: Run, only: None) -> None:
    asked = post(client, run, member_number="20249999")
    assert asked.status_code == 200
    assert "20249999 isn't on the club's member list yet. Type your name once" in text_of(asked)
    page = asked.content.decode()
    assert 'id="runner-name"' in page and 'name="name_for" value="20249999"' in page
    assert not Attendance.objects.exists()

    answer = post(
        client, run, member_number="20249999", runner_name="Jo Bloggs", name_for="20249999"
    )
    assert "You're in, Jo" in text_of(answer)
    assert answer.cookies["member_number"].value == "20249999"
    assert answer.cookies["runner_name"].value == "Jo%20Bloggs"

    # The next run: the phone sends the remembered name with the number, and is not asked.
    Run.objects.filter(pk=run.pk).update(date=club_today() - dt.timedelta(days=7))
    Attendance.objects.update(registered_at=Run.objects.get(pk=run.pk).starts)
    today = RunFactory()
    page = client.get(today.checkin_path()).content.decode()
    assert 'name="runner_name" value="Jo Bloggs"' in page
    assert 'name="name_for" value="20249999"' in page
    again = post(
        client, today, member_number="20249999", runner_name="Jo Bloggs", name_for="20249999"
    )
    assert "You're in, Jo" in text_of(again)
    assert Runner.objects.get().runs_with_club() == 2


def test_another_number_typed_on_the_phone_is_not_given_its_owners_name(
    client: Client, run: Run, only: None
) -> None:
    asked = post(
        client, run, member_number="20248888", runner_name="Jo Bloggs", name_for="20249999"
    )
    assert "isn't on the club's member list yet" in text_of(asked)
    assert not Attendance.objects.exists()


def test_a_number_already_in_names_no_one(client: Client, run: Run, only: None) -> None:
    post(Client(), run, member_number="20240001")
    response = post(Client(), run, member_number="20240001")
    assert response.status_code == 409
    assert "This number is already checked in today" in text_of(response)
    assert "Maya" not in response.content.decode()


def test_the_api_checks_a_listed_number_in_by_name(client: Client, run: Run, only: None) -> None:
    body = {"session_id": run.session_id, "member_number": "20240001"}
    response = post_json(client, "/api/register", body)
    assert response.status_code == 201
    assert response.json()["message"] == "You're in, Maya. Runner 1 today."
    unlisted = post_json(client, "/api/register", {**body, "member_number": "20249999"})
    assert unlisted.status_code == 400
    assert "isn't on the club's member list yet" in unlisted.json()["detail"]
    named = {**body, "member_number": "20249999", "runner_name": "Jo Bloggs"}
    assert post_json(client, "/api/register", named).status_code == 201


def test_the_export_shows_the_members_name(
    client: Client, staff_client: Client, run: Run, only: None
) -> None:
    post(client, run, member_number="20240001")
    response = staff_client.get("/export/attendance.csv")
    export = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "Maya Patel" in export


def test_erasing_a_runner_takes_them_off_the_member_list(
    client: Client, run: Run, only: None
) -> None:
    post(client, run, member_number="20240001")
    erase_runners(Runner.objects.values_list("pk", flat=True))
    assert not Member.objects.exists()


def test_retention_removes_members_no_list_has_named_since(settings: object) -> None:
    settings.RETENTION_YEARS = 1  # type: ignore[attr-defined]
    Member.objects.create(number="20200001", name="Long Gone")
    Member.objects.filter(number="20200001").update(
        listed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    Member.objects.create(number="20260001", name="Still Here")
    apply_retention()
    assert list(Member.objects.values_list("number", flat=True)) == ["20260001"]
