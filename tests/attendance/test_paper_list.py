"""Paper lists: "Add check-ins from a list" on a run's admin page, and add_checkins."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from attendance import live
from attendance.models import Attendance, Member
from attendance.services import check_in
from calendar_app.models import Run, club_today
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

SHEET = "Ana Silva\n\n  Ben Jones  \nana  silva\n!!!\nCara Lee\n" + "x" * 300 + "\nBEN JONES\n"


def paper(run: Run) -> str:
    return reverse("admin:attendance_paper_list", args=[run.pk])


def names(run: Run) -> list[str]:
    return sorted(run.attendances.values_list("runner_name", flat=True))


def test_the_runs_page_offers_the_list_to_organisers(client_as, run: Run) -> None:
    change = reverse("admin:calendar_app_run_change", args=[run.pk])
    assert paper(run) in client_as("organiser").get(change).content.decode()
    assert paper(run) not in client_as("committee").get(change).content.decode()
    assert client_as("committee").get(paper(run)).status_code == 403


def test_it_adds_each_runner_once_and_says_what_it_refused(client_as, run: Run) -> None:
    AttendanceFactory(run=run, runner_name="Cara Lee")
    response = client_as("organiser").post(paper(run), {"names": SHEET})
    text = text_of(response)
    assert "2 added, 3 already in, 2 refused." in text
    assert "Added (2) Ana Silva, Ben Jones" in text
    assert "Already in (3) ana silva (as Ana Silva), Cara Lee, BEN JONES (as Ben Jones)" in text
    assert "!!! : A name needs at least one letter or digit." in text
    assert "That name is too long: 255 characters at most, please." in text
    assert names(run) == ["Ana Silva", "Ben Jones", "Cara Lee"]


def test_sending_the_same_list_again_adds_nothing(client_as, run: Run) -> None:
    client = client_as("organiser")
    client.post(paper(run), {"names": "Ana Silva\nBen Jones"})
    response = client.post(paper(run), {"names": "Ana Silva\nBen Jones"})
    assert "0 added, 2 already in, 0 refused." in text_of(response)
    assert Attendance.objects.count() == 2


def test_a_past_run_takes_the_list_dated_at_its_start(client_as) -> None:
    past = RunFactory(date=club_today() - dt.timedelta(days=3), starts_at=dt.time(18, 30))
    response = client_as("organiser").post(paper(past), {"names": "Ana Silva"})
    assert "1 added" in text_of(response)
    assert Attendance.objects.get().registered_at == past.starts


@pytest.mark.parametrize(
    ("days", "active", "message"),
    [(1, True, "has not happened yet"), (-2, False, "is cancelled: re-open it")],
)
def test_a_future_or_cancelled_run_refuses_the_list(
    client_as, days: int, active: bool, message: str
) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=days), is_active=active)
    response = client_as("organiser").post(paper(run), {"names": "Ana Silva"})
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Attendance.objects.exists()


def test_an_empty_list_is_a_form_error(client_as, run: Run) -> None:
    response = client_as("organiser").post(paper(run), {"names": ""})
    assert "This field is required." in text_of(response)


def test_the_live_count_follows(client_as, run: Run, monkeypatch) -> None:
    calls: list[None] = []
    monkeypatch.setattr(live, "checkins_changed", lambda: calls.append(None))
    client_as("organiser").post(paper(run), {"names": "Ana Silva\nBen Jones"})
    assert calls == [None]


def test_with_member_numbers_a_line_may_carry_one_after_a_tab(
    client_as, run: Run, settings: object
) -> None:
    settings.CHECKIN_MEMBER_NUMBER = "required"
    settings.CHECKIN_MEMBER_NUMBER_PATTERN = "[0-9]{8}"
    sheet = "Ana Silva\t12345678\nBen Jones\nCara Lee\t12\nA. Silva\t1234 5678\n"
    response = client_as("organiser").post(paper(run), {"names": sheet})
    text = text_of(response)
    assert "2 added, 1 already in, 1 refused." in text
    assert "A. Silva (as Ana Silva)" in text
    assert "That doesn't look like a student number" in text
    ana = run.attendances.get(runner_name="Ana Silva").runner
    assert ana.member_number == "12345678"


@pytest.fixture
def numbers_only(settings: object) -> None:
    """The door asks for the number alone; Maya Patel is on the member list."""
    settings.CHECKIN_MEMBER_NUMBER = "only"
    settings.CHECKIN_MEMBER_NUMBER_PATTERN = "[A-Z0-9]{4,20}"  # the default: names fit it too
    Member.objects.create(number="20240001", name="Maya Patel")


@pytest.mark.usefixtures("numbers_only")
def test_with_numbers_only_a_listed_number_alone_checks_its_member_in(client_as, run: Run) -> None:
    sheet = "2024 0001\nBen Jones\n"
    response = client_as("organiser").post(paper(run), {"names": sheet})
    text = text_of(response)
    assert "2 added, 0 already in, 0 refused." in text
    assert "Added (2) Maya Patel, Ben Jones" in text
    maya = run.attendances.get(runner_name="Maya Patel")
    assert maya.runner.member_number == "20240001"
    assert "A member number alone checks in the member the club's list names." in text


@pytest.mark.usefixtures("numbers_only")
def test_with_numbers_only_a_number_alone_finds_its_member_already_in(client_as, run: Run) -> None:
    check_in(run, "Maya Patel", member_number="20240001")  # at the door, by her number
    response = client_as("organiser").post(paper(run), {"names": "20240001"})
    assert "0 added, 1 already in, 0 refused." in text_of(response)
    assert run.attendances.count() == 1


@pytest.mark.usefixtures("numbers_only")
def test_with_numbers_only_an_unlisted_number_alone_is_refused_with_its_reason(
    client_as, run: Run
) -> None:
    sheet = "20249999\nS1234567\nAnna\n"
    response = client_as("organiser").post(paper(run), {"names": sheet})
    text = text_of(response)
    assert "1 added, 0 already in, 2 refused." in text
    for number in ("20249999", "S1234567"):
        assert (
            f"{number} : {number} is not on the club's member list: type the runner's name "
            "instead (or the name, a tab and the number, pasted from a sheet), or import the "
            "latest member list first."
        ) in text
    assert names(run) == ["Anna"]  # letters: a name, though the pattern would take it


def test_the_command_reads_a_file(tmp_path: Path) -> None:
    run = RunFactory(date=dt.date(2026, 10, 6))
    sheet = tmp_path / "sheet.txt"
    sheet.write_text(SHEET, encoding="utf-8")
    out = io.StringIO()
    call_command("add_checkins", "2026-10-06", str(sheet), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Run on Tue 06 Oct 2026: 3 added, 2 already in, 2 refused."
    assert lines[1] == "refused: '!!!': A name needs at least one letter or digit."
    assert names(run) == ["Ana Silva", "Ben Jones", "Cara Lee"]


def test_the_command_reads_standard_input_for_today(monkeypatch: pytest.MonkeyPatch) -> None:
    run = RunFactory(date=club_today())
    monkeypatch.setattr("sys.stdin", io.StringIO("Ana Silva\r\nBen Jones\r\n"))
    out = io.StringIO()
    call_command("add_checkins", "today", "-", stdout=out)
    assert "2 added, 0 already in, 0 refused." in out.getvalue()
    assert names(run) == ["Ana Silva", "Ben Jones"]


@pytest.mark.parametrize(
    ("day", "file", "message"),
    [
        ("2026-10-07", "-", "There is no run on Wednesday 07 October 2026"),
        ("07/10/2026", "-", "is not 'today' or a date"),
        ("2026-10-06", "/nonexistent/sheet.txt", "No file at /nonexistent/sheet.txt"),
    ],
)
def test_the_command_says_what_is_wrong(day: str, file: str, message: str) -> None:
    RunFactory(date=dt.date(2026, 10, 6))
    with pytest.raises(CommandError, match=message):
        call_command("add_checkins", day, file)
