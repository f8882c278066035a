"""The CSV export: /export/attendance.csv and the admin actions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from attendance.export import safe_cell
from tests.factories import AttendanceFactory, RunFactory

pytestmark = pytest.mark.django_db

URL = "/export/attendance.csv"


def table(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


@pytest.fixture
def season(db: None) -> None:
    for day, names in ((6, ["Ana Silva", "Ben Jones"]), (8, ["Zoë Müller"]), (13, ["Ana Silva"])):
        run = RunFactory(date=dt.date(2026, 10, day), place="The Oval")
        for name in names:
            AttendanceFactory(run=run, runner_name=name)


def test_it_streams_every_check_in_under_a_header_row(client_as, season) -> None:
    response = client_as("committee").get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = table(response)
    assert rows[0] == [
        "run date",
        "start time",
        "place",
        "run cancelled",
        "runner name",
        "checked in at (Europe/London)",
        "runner",
        "runner id",
    ]
    assert [(row[0], row[4]) for row in rows[1:]] == [
        ("2026-10-06", "Ana Silva"),
        ("2026-10-06", "Ben Jones"),
        ("2026-10-08", "Zoë Müller"),
        ("2026-10-13", "Ana Silva"),
    ]


def test_it_filters_by_dates_and_run(client_as, season) -> None:
    client = client_as("committee")
    rows = table(client.get(URL, {"from": "2026-10-07", "to": "2026-10-12"}))
    assert [row[4] for row in rows[1:]] == ["Zoë Müller"]
    run = RunFactory(date=dt.date(2026, 10, 20))
    AttendanceFactory(run=run, runner_name="Cara Lee")
    rows = table(client.get(URL, {"run": run.session_id}))
    assert [row[4] for row in rows[1:]] == ["Cara Lee"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "06/10/2026"}, "from: Write the date as YYYY-MM-DD"),
        ({"to": "2026-02-30"}, "to: Write the date as YYYY-MM-DD"),
        ({"from": "2026-10-09", "to": "2026-10-01"}, "'to' comes before 'from'"),
        ({"run": "../etc/passwd"}, "'run' is not a run's id"),
        ({"to": "0001-01-01"}, "to: Pick a date in 1900 or later."),
        ({"run": "A" * 22}, "There is no run with that id"),
    ],
)
def test_a_bad_filter_is_a_400_that_says_why(client_as, query, message) -> None:
    response = client_as("committee").get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_is_neutralised(client_as, start: str) -> None:
    AttendanceFactory(run=RunFactory(place=f"{start}HYPERLINK(1)"), runner_name=f"{start}1+1 Ana")
    row = table(client_as("organiser").get(URL))[1]
    assert row[2] == f"'{start}HYPERLINK(1)"
    assert row[4] == f"'{start}1+1 Ana"


def test_safe_cell_leaves_ordinary_text_alone() -> None:
    assert safe_cell("Ana-Maria O'Neil") == "Ana-Maria O'Neil"
    assert safe_cell("-Ana") == "'-Ana"


def test_it_marks_cancelled_runs_and_gives_club_local_times(client_as, settings) -> None:
    run = RunFactory(date=dt.date(2026, 7, 7), is_active=False)
    AttendanceFactory(
        run=run, registered_at=dt.datetime(2026, 7, 7, 17, 5, tzinfo=dt.UTC), runner_name="Ana"
    )
    row = table(client_as("organiser").get(URL))[1]
    assert row[3] == "cancelled"
    assert row[5] == "2026-07-07 18:05:00"  # Europe/London, summer time


def test_check_in_times_read_back_as_date_times_in_the_club_zone(client_as) -> None:
    run = RunFactory(date=dt.date(2026, 6, 2), starts_at=dt.time(17, 30))
    AttendanceFactory(
        run=run, registered_at=dt.datetime(2026, 6, 2, 16, 45, tzinfo=dt.UTC), runner_name="Ana"
    )
    body = b"".join(client_as("organiser").get(URL).streaming_content).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(body, newline=""))
    row = next(reader)
    column = next(name for name in reader.fieldnames or [] if name.startswith("checked in at"))
    zone = column.removeprefix("checked in at (").removesuffix(")")
    assert zone == "Europe/London"
    # What a spreadsheet does with the cell: a plain date-time, then read in the named zone.
    checked_in = dt.datetime.strptime(row[column], "%Y-%m-%d %H:%M:%S")
    assert checked_in == dt.datetime(2026, 6, 2, 17, 45)
    assert checked_in.replace(tzinfo=ZoneInfo(zone)) == dt.datetime(
        2026, 6, 2, 16, 45, tzinfo=dt.UTC
    )
    assert dt.time.fromisoformat(row["start time"]) == dt.time(17, 30)


@pytest.mark.parametrize(
    ("role", "status"),
    [("plain user", 403), ("committee", 200), ("organiser", 200), ("superuser", 200)],
)
def test_only_staff_who_may_see_names_can_export(client_as, season, role, status) -> None:
    response = client_as(role).get(URL)
    assert response.status_code == status
    if status != 200:
        assert b"Ana Silva" not in response.content


def test_anonymous_visitors_are_sent_to_log_in(client_as, season) -> None:
    response = client_as("anonymous").get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_admin_actions_export_the_selection(client_as, season) -> None:
    client = client_as("committee")
    from attendance.models import Attendance
    from calendar_app.models import Run

    ana = Attendance.objects.filter(runner_name="Ben Jones").values_list("pk", flat=True)
    response = client.post(
        reverse("admin:attendance_attendance_changelist"),
        {"action": "export_csv", "_selected_action": list(ana)},
    )
    assert [row[4] for row in table(response)[1:]] == ["Ben Jones"]
    run = Run.objects.get(date=dt.date(2026, 10, 13))
    response = client.post(
        reverse("admin:calendar_app_run_changelist"),
        {"action": "export_csv", "_selected_action": [run.pk]},
    )
    assert [row[4] for row in table(response)[1:]] == ["Ana Silva"]


@pytest.mark.django_db(transaction=True)
async def test_under_asgi_it_streams_from_an_async_iterator(season, async_client) -> None:
    from asgiref.sync import sync_to_async

    from tests.authenticator import log_in
    from tests.factories import StaffFactory

    # A transactional test's database is flushed, groups included: a superuser then.
    user = await sync_to_async(StaffFactory)()
    await sync_to_async(log_in)(async_client, user)
    response = await async_client.get(URL)
    assert response.is_async, "a sync iterator would be read whole into memory first"
    body = b"".join([chunk async for chunk in response.streaming_content])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert [row[4] for row in rows].count("Ana Silva") == 2


@pytest.mark.parametrize(
    ("role", "exports"),
    [
        ("anonymous", False),
        ("plain user", False),
        ("committee", True),
        ("organiser", True),
        ("superuser", True),
    ],
)
def test_the_export_actions_are_for_those_who_may_see_names(client_as, season, role, exports):
    from attendance.models import Attendance

    response = client_as(role).post(
        reverse("admin:attendance_attendance_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(Attendance.objects.values_list("pk", flat=True)),
        },
    )
    assert isinstance(response, StreamingHttpResponse) is exports
    if not exports:
        assert b"Ana Silva" not in response.content
