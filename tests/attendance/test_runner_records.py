"""A runner's own records: everything held about them, as CSV and JSON, logged without a name."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from attendance import services
from attendance.members import import_members
from attendance.models import Attendance, Runner
from attendance.services import merge_names, merge_runners
from tests.factories import AttendanceFactory, RunFactory, StaffFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def ana(settings: object) -> Runner:
    """Ana, who checked in under three spellings since merged, with a member number."""
    settings.CHECKIN_MEMBER_NUMBER = "optional"
    first = AttendanceFactory(
        run=RunFactory(date=dt.date(2026, 10, 6), place="=HYPERLINK(evil)"),
        runner_name="Ana Silva",
    )
    AttendanceFactory(run=RunFactory(date=dt.date(2026, 10, 8)), runner_name="ana  silva")
    other = AttendanceFactory(run=RunFactory(date=dt.date(2026, 10, 13)), runner_name="Ana S")
    AttendanceFactory(run=RunFactory(date=dt.date(2026, 10, 15)), runner_name="Ben Jones")
    runner = first.runner
    runner.member_number = "S1234"
    runner.save()
    merge_runners(runner, [other.runner], StaffFactory())
    merge_names("Ana Sylva", "Ana Silva")  # a spelling taught before she used it
    runner.refresh_from_db()
    return runner


def url(runner: Runner, kind: str) -> str:
    return reverse(f"admin:attendance_runner_records_{kind}", args=[runner.pk])


def test_it_gives_everything_held_as_json(client_as, ana: Runner) -> None:  # type: ignore[no-untyped-def]
    response = client_as("organiser").get(url(ana, "json"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="runner-{ana.pk}-records-'
        f'{dt.datetime.now(LONDON).date():%Y-%m-%d}.json"'
    )
    data = json.loads(response.content)
    assert data["runner"]["name"] == "Ana Silva"
    assert data["runner"]["member_number"] == "S1234"
    assert data["runner"]["names_as_compared"] == ["anas", "anasilva", "anasylva"]
    assert [(c["run_date"], c["name_as_typed"]) for c in data["checkins"]] == [
        ("2026-10-06", "Ana Silva"),
        ("2026-10-08", "ana  silva"),
        ("2026-10-13", "Ana S"),
    ]
    assert data["checkins"][0]["checked_in_at"].endswith(("+00:00", "+01:00"))
    assert [change["what"] for change in data["changes_by_organisers"]] == [
        "Merged 'Ana S' into this runner: 1 check-in moved."
    ]
    assert "Ben Jones" not in response.content.decode()


def test_it_gives_the_same_as_a_table(client_as, ana: Runner) -> None:  # type: ignore[no-untyped-def]
    response = client_as("organiser").get(url(ana, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "record",
        "value",
        "when",
        "run date",
        "start time",
        "place",
        "run cancelled",
    ]
    facts = [(row[0], row[1]) for row in rows[1:]]
    assert ("name", "Ana Silva") in facts
    assert ("member number", "S1234") in facts
    assert [value for record, value in facts if record == "way of writing the name"] == [
        "anas",
        "anasilva",
        "anasylva",
    ]
    checkins = [row for row in rows if row[0] == "check-in"]
    assert [row[1] for row in checkins] == ["Ana Silva", "ana  silva", "Ana S"]
    assert checkins[0][5] == "'=HYPERLINK(evil)"  # a spreadsheet shows it, never runs it


def test_each_download_is_logged_without_the_name(client_as, ana: Runner) -> None:  # type: ignore[no-untyped-def]
    client = client_as("organiser")
    client.get(url(ana, "csv"))
    client.get(url(ana, "json"))
    logged = LogEntry.objects.filter(object_repr="a runner's records").order_by("pk")
    assert [entry.change_message for entry in logged] == [
        "Downloaded a runner's records (CSV): 3 check-ins.",
        "Downloaded a runner's records (JSON): 3 check-ins.",
    ]
    for entry in logged:
        assert "Ana" not in entry.object_repr + entry.change_message and not entry.object_id


def test_it_gives_the_runners_entry_on_the_member_list(client_as, ana: Runner) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 9, 21, 10, 0, tzinfo=LONDON)):
        import_members(["number,name", "S1234,Ana Silva-Moreira", "S9999,Ben Jones"])
    client = client_as("organiser")
    response = client.get(url(ana, "json"))
    assert json.loads(response.content)["member_list"] == {
        "number": "S1234",
        "name": "Ana Silva-Moreira",
        "last_listed": "2026-09-21T10:00:00+01:00",
    }
    rows = list(csv.reader(io.StringIO(client.get(url(ana, "csv")).content.decode("utf-8-sig"))))
    assert [row[:3] for row in rows if row[0].startswith("member list")] == [
        ["member list: number", "S1234", ""],
        ["member list: name", "Ana Silva-Moreira", ""],
        ["member list: last listed", "", "2026-09-21T10:00:00+01:00"],
    ]
    assert "Ben Jones" not in response.content.decode()


def test_a_runner_the_member_list_lacks_has_no_entry(client_as, ana: Runner) -> None:  # type: ignore[no-untyped-def]
    import_members(["number,name", "S9999,Ben Jones"])
    client = client_as("organiser")
    assert json.loads(client.get(url(ana, "json")).content)["member_list"] is None
    assert "member list" not in client.get(url(ana, "csv")).content.decode()


def test_it_counts_check_ins_kept_without_a_name(client_as, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_YEARS = 3
    with time_machine.travel(dt.datetime(2022, 5, 3, 18, 0, tzinfo=LONDON)):
        AttendanceFactory(run=RunFactory(date=dt.date(2022, 5, 3)), runner_name="Ana Silva")
    recent = AttendanceFactory(runner_name="Ana Silva")
    services.apply_retention()
    data = json.loads(client_as("organiser").get(url(recent.runner, "json")).content)
    assert len(data["checkins"]) == 1
    assert data["earlier_checkins_without_name"] == 1


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("plain user", 302), ("committee", 200)]
)
def test_only_those_who_see_names_may_download(client_as, ana, role, status) -> None:  # type: ignore[no-untyped-def]
    assert client_as(role).get(url(ana, "json")).status_code == status


def test_the_runner_page_and_a_check_in_link_to_them(staff_client: Client, ana: Runner) -> None:
    page = staff_client.get(reverse("admin:attendance_runner_change", args=[ana.pk]))
    assert url(ana, "csv") in page.content.decode()
    assert url(ana, "json") in page.content.decode()
    checkin = Attendance.objects.filter(runner=ana).first()
    assert checkin is not None
    page = staff_client.get(reverse("admin:attendance_attendance_change", args=[checkin.pk]))
    assert url(ana, "json") in page.content.decode()


def test_an_unknown_runner_is_a_404(staff_client: Client) -> None:
    assert staff_client.get("/admin/attendance/runner/999999/records.json").status_code == 404
