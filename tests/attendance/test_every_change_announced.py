"""Every way check-ins or today's run change tells the live page: a committee member's open
socket hears each one, from the runner's phone to the admin, the paper list, merges, erasure
and retention, and today's run cancelled, re-opened, added, removed or moved on the calendar
page, in the admin, by the schedule, the API or add_run_day.

The services announce (attendance/services.py, calendar_app/services.py); views, the admin and
commands only call them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attendance.models import Attendance, Runner, RunnerName, stored_key
from calendar_app.models import Run, club_today
from tests.api.helpers import post_json
from tests.attendance.test_live_socket import count_in, in_thread, watch
from tests.authenticator import log_in
from tests.factories import AttendanceFactory, RunFactory, StaffFactory
from tests.helpers import checkin

pytestmark = pytest.mark.django_db(transaction=True)

APPS = ["attendance", "calendar_app", "qrcodes", "runclub"]
ROOT = Path(__file__).resolve().parents[2]
FIVE_MINUTES = dt.timedelta(minutes=5)


@pytest.fixture(autouse=True)
def _fresh_channel_layer(settings: object) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@dataclass
class Club:
    """Today's run with Ana Silva, Ben Jones and "Ana S" (Ana, typed another way and not yet
    merged) checked in; an organiser logged in."""

    run: Run
    organiser: Client

    def checkin(self, name: str) -> Attendance:
        return Attendance.objects.get(run=self.run, runner_name=name)

    def runner(self, name: str) -> Runner:
        return self.checkin(name).runner


def the_club() -> Club:
    run = RunFactory()
    for name in ("Ana Silva", "Ben Jones", "Ana S"):
        # At 18:05, as the run's page shows them: rows posted back unchanged are not saved.
        AttendanceFactory(run=run, runner_name=name, registered_at=run.starts + FIVE_MINUTES)
    organiser = Client()
    log_in(organiser, StaffFactory())
    return Club(run, organiser)


def admin_post(club: Club, url: str, data: dict, status: int = 302) -> None:
    response = club.organiser.post(url, data)
    assert response.status_code == status, response.content.decode()[:2000]


def checkin_time(club: Club) -> dict[str, str]:
    return {"registered_at_0": f"{club.run.date:%d/%m/%Y}", "registered_at_1": "18:05"}


def runs_page(club: Club, rows: list[tuple[int | str, str]], **run: str) -> dict[str, object]:
    """The run's admin page as posted: its fields and its check-in rows."""
    data: dict[str, object] = {
        "date": f"{club.run.date:%Y-%m-%d}",
        "starts_at": "18:00",
        "place": club.run.place,
        "is_active": "on",
        "attendances-TOTAL_FORMS": str(len(rows)),
        "attendances-INITIAL_FORMS": str(sum(1 for pk, _ in rows if pk)),
        **run,
    }
    for i, (pk, name) in enumerate(rows):
        for prefix in ("", "initial-"):  # the time's default is "now": the page sends both
            data |= {
                f"{prefix}attendances-{i}-registered_at_0": f"{club.run.date:%d/%m/%Y}",
                f"{prefix}attendances-{i}-registered_at_1": "18:05",
            }
        data |= {
            f"attendances-{i}-id": str(pk),
            f"attendances-{i}-run": str(club.run.pk),
            f"attendances-{i}-runner_name": name,
        }
    return data


def existing_rows(club: Club) -> list[tuple[int | str, str]]:
    return [(a.pk, a.runner_name) for a in club.run.attendances.order_by("pk")]


# Each surface changes today's check-ins (or today's run) one way; the watcher's next
# message shows the count it leaves, or a text (None: the same board, told again).


def the_form(club: Club) -> int | str | None:
    assert checkin(Client(), club.run, "Cara Lee").status_code == 200
    return 4


def the_api(club: Club) -> int | str | None:
    body = {"session_id": club.run.session_id, "runner_name": "Cara Lee"}
    assert post_json(Client(), "/api/register", body).status_code == 201
    return 4


def admin_add(club: Club) -> int | str | None:
    data = {"run": club.run.pk, "runner_name": "Cara Lee", **checkin_time(club)}
    admin_post(club, reverse("admin:attendance_attendance_add"), data)
    return 4


def admin_change(club: Club) -> int | str | None:
    ben = club.checkin("Ben Jones")
    data = {"run": club.run.pk, "runner_name": "Benjamin Jones", **checkin_time(club)}
    admin_post(club, reverse("admin:attendance_attendance_change", args=[ben.pk]), data)
    return "Benjamin Jones"


def admin_delete(club: Club) -> int | str | None:
    ben = club.checkin("Ben Jones")
    admin_post(club, reverse("admin:attendance_attendance_delete", args=[ben.pk]), {"post": "yes"})
    return 2


def admin_bulk_delete(club: Club) -> int | str | None:
    ids = [club.checkin("Ben Jones").pk, club.checkin("Ana S").pk]
    data = {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    admin_post(club, reverse("admin:attendance_attendance_changelist"), data)
    return 1


def the_runs_page_adds(club: Club) -> int | str | None:
    rows = [*existing_rows(club), ("", "Cara Lee")]
    admin_post(
        club, reverse("admin:calendar_app_run_change", args=[club.run.pk]), runs_page(club, rows)
    )
    return 4


def the_runs_page_deletes(club: Club) -> int | str | None:
    data = runs_page(club, existing_rows(club))
    data["attendances-0-DELETE"] = "on"
    admin_post(club, reverse("admin:calendar_app_run_change", args=[club.run.pk]), data)
    return 2


def the_runs_page_cancels(club: Club) -> int | str | None:
    data = runs_page(club, existing_rows(club), is_active="", confirm_cancel="on")
    del data["is_active"]
    admin_post(club, reverse("admin:calendar_app_run_change", args=[club.run.pk]), data)
    return "cancelled"


def the_runs_page_moves(club: Club) -> int | str | None:
    data = runs_page(club, existing_rows(club), starts_at="19:15", place="Boathouse")
    admin_post(club, reverse("admin:calendar_app_run_change", args=[club.run.pk]), data)
    return "19:15 · Boathouse"


def the_calendar_page_cancels(club: Club) -> int | str | None:
    calendar_page(club.organiser, "cancel", confirm="on")  # people are in: asked, and sure
    return "cancelled"


def the_calendar_page_moves(club: Club) -> int | str | None:
    calendar_page(club.organiser, "save", starts_at="19:15", place="Boathouse")
    return "19:15 · Boathouse"


def admin_deletes_the_run(club: Club) -> int | str | None:
    admin_post(club, reverse("admin:calendar_app_run_delete", args=[club.run.pk]), {"post": "yes"})
    return 0


def admin_renames_a_runner(club: Club) -> int | str | None:
    ben = club.runner("Ben Jones")
    data = {
        "name": "Benjamin Jones",
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "1",
        "names-0-id": ben.names.get().pk,
        "names-0-runner": ben.pk,
        "attendances-TOTAL_FORMS": "1",
        "attendances-INITIAL_FORMS": "1",
        "attendances-0-id": club.checkin("Ben Jones").pk,
        "attendances-0-runner": ben.pk,
    }
    admin_post(club, reverse("admin:attendance_runner_change", args=[ben.pk]), data)
    return None


def the_paper_list(club: Club) -> int | str | None:
    url = reverse("admin:attendance_paper_list", args=[club.run.pk])
    admin_post(club, url, {"names": "Cara Lee\nDev Patel"}, status=200)
    return 5


def the_add_checkins_command(club: Club) -> int | str | None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO("Cara Lee\n"))
        call_command("add_checkins", "today", "-", stdout=io.StringIO())
    return 4


def merging_in_the_admin(club: Club) -> int | str | None:
    keep, other = club.runner("Ana Silva"), club.runner("Ana S")
    data = {
        "action": "merge",
        "_selected_action": [keep.pk, other.pk],
        "keep": keep.pk,
        "confirm": "yes",
    }
    admin_post(club, reverse("admin:attendance_runner_changelist"), data)
    return 2  # both were in today: one runner, once


def merging_likely_variants(club: Club) -> int | str | None:
    keep, other = club.runner("Ana Silva"), club.runner("Ana S")
    data = {"keep-0": keep.pk, "merge-0": [keep.pk, other.pk]}
    admin_post(club, reverse("admin:attendance_runner_variants"), data)
    return 2


def the_merge_runners_command(club: Club) -> int | str | None:
    call_command("merge_runners", "Ana S", "Ana Silva", stdout=io.StringIO())
    return 2


def undoing_a_merge(club: Club) -> int | str | None:
    ana = club.runner("Ana Silva")
    RunnerName.objects.create(runner=ana, name_key=stored_key("Ana Silvaa"))
    split = ana.names.get(name_key=stored_key("Ana Silvaa"))
    admin_post(club, reverse("admin:attendance_runner_split", args=[split.pk]), {})
    return None


def erasing_from_the_checkin_list(club: Club) -> int | str | None:
    data = {
        "action": "erase_runners",
        "_selected_action": [club.checkin("Ben Jones").pk],
        "confirm": "yes",
    }
    admin_post(club, reverse("admin:attendance_attendance_changelist"), data)
    return 2


def erasing_from_the_runner_list(club: Club) -> int | str | None:
    data = {"action": "erase", "_selected_action": [club.runner("Ben Jones").pk], "confirm": "yes"}
    admin_post(club, reverse("admin:attendance_runner_changelist"), data)
    return 2


def retention(club: Club) -> int | str | None:
    long_ago = RunFactory(date=club.run.date - dt.timedelta(days=6 * 365))
    AttendanceFactory(
        run=long_ago,
        runner_name="Old Timer",
        registered_at=timezone.now() - dt.timedelta(days=6 * 365),
    )
    call_command("apply_retention", stdout=io.StringIO())
    assert not Attendance.objects.filter(runner_name="Old Timer").exists()
    return None


SURFACES: list[Callable[[Club], int | str | None]] = [
    the_form,
    the_api,
    admin_add,
    admin_change,
    admin_delete,
    admin_bulk_delete,
    the_runs_page_adds,
    the_runs_page_deletes,
    the_runs_page_cancels,
    the_runs_page_moves,
    the_calendar_page_cancels,
    the_calendar_page_moves,
    admin_deletes_the_run,
    admin_renames_a_runner,
    the_paper_list,
    the_add_checkins_command,
    merging_in_the_admin,
    merging_likely_variants,
    the_merge_runners_command,
    undoing_a_merge,
    erasing_from_the_checkin_list,
    erasing_from_the_runner_list,
    retention,
]


@pytest.mark.parametrize("surface", SURFACES, ids=lambda surface: surface.__name__)
async def test_a_watcher_hears_every_change(surface: Callable[[Club], int | str | None]) -> None:
    club: Club = await in_thread(the_club)
    watcher = await watch(await in_thread(StaffFactory))
    assert count_in(await watcher.receive_from()) == 3

    expected = await in_thread(lambda: surface(club))

    message = await watcher.receive_from(timeout=5)
    if isinstance(expected, int):
        assert count_in(message) == expected
    elif expected is not None:
        assert expected in message
    await watcher.disconnect()


# Today's run itself, before anyone is in (a run with check-ins cannot be removed). Each
# starts from today as its case says and returns the board's run line after the change.

OPEN, CANCELLED, NO_RUN = "open", "cancelled", "no run"
RUN_LINE = {
    OPEN: "18:00 · The Oval, north gate",
    CANCELLED: "18:00 · The Oval, north gate · cancelled",
    NO_RUN: "No run today",
}


def today_is(state: str) -> None:
    if state != NO_RUN:
        RunFactory(is_active=state == OPEN)


def run_line(message: str) -> str:
    """The board's line under the date: the run's time and place, cancelled, or none."""
    match = re.search(r'<p class="run-meta">(.*?)</p>', message, re.DOTALL)
    assert match, message
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def calendar_page(organiser: Client, change: str, **fields: str) -> None:
    """A change to today on the organisers' calendar (calendar_app.views.change)."""
    data = {"date": f"{club_today():%Y-%m-%d}", "change": change, **fields}
    response = organiser.post(reverse("admin:calendar_app_run_calendar_day"), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def todays_run() -> Run:
    return Run.objects.get(date=club_today())


def the_calendar_page_reopens(organiser: Client) -> str:
    calendar_page(organiser, "open")
    return RUN_LINE[OPEN]


def the_calendar_page_removes(organiser: Client) -> str:
    calendar_page(organiser, "remove", confirm="on")  # today's: asked, and sure
    return RUN_LINE[NO_RUN]


def the_calendar_page_adds(organiser: Client) -> str:
    calendar_page(organiser, "open", starts_at="07:30", place="Boathouse")
    return "07:30 · Boathouse"


def the_calendar_page_moves_the_run(organiser: Client) -> str:
    calendar_page(organiser, "save", starts_at="19:15", place="")
    return "19:15"


def the_schedule_adds_today(organiser: Client) -> str:
    today = f"{club_today():%Y-%m-%d}"
    data = {
        "weekdays": [str(club_today().weekday())],
        "starts_at": "18:30",
        "place": "Riverside",
        "first": today,
        "last": today,
    }
    response = organiser.post(reverse("admin:calendar_app_run_schedule"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return "18:30 · Riverside"


def run_form(date: dt.date, **fields: str) -> dict[str, str]:
    """The run admin's form as posted, without check-ins."""
    return {
        "date": f"{date:%Y-%m-%d}",
        "starts_at": "18:00",
        "place": "The Oval, north gate",
        "is_active": "on",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
        **fields,
    }


def the_admin_adds_todays_run(organiser: Client) -> str:
    data = run_form(club_today(), starts_at="06:45", place="Parks")
    response = organiser.post(reverse("admin:calendar_app_run_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return "06:45 · Parks"


def the_admin_moves_the_run_to_tomorrow(organiser: Client) -> str:
    url = reverse("admin:calendar_app_run_change", args=[todays_run().pk])
    response = organiser.post(url, run_form(club_today() + dt.timedelta(days=1)))
    assert response.status_code == 302, response.content.decode()[:2000]
    return RUN_LINE[NO_RUN]


def the_api_cancels(organiser: Client) -> str:
    body = {"date": f"{club_today():%Y-%m-%d}", "has_run": False}
    assert post_json(organiser, "/api/calendar/configure", body).status_code == 200
    return RUN_LINE[CANCELLED]


def the_api_reopens(organiser: Client) -> str:
    body = {"date": f"{club_today():%Y-%m-%d}", "has_run": True}
    assert post_json(organiser, "/api/calendar/configure", body).status_code == 200
    return RUN_LINE[OPEN]


def the_add_run_day_command_reopens(organiser: Client) -> str:
    call_command("add_run_day", "today", "--place", "Boathouse", stdout=io.StringIO())
    return "18:00 · Boathouse"


TODAY_SURFACES: list[tuple[str, Callable[[Client], str]]] = [
    (CANCELLED, the_calendar_page_reopens),
    (OPEN, the_calendar_page_removes),
    (NO_RUN, the_calendar_page_adds),
    (OPEN, the_calendar_page_moves_the_run),
    (NO_RUN, the_schedule_adds_today),
    (NO_RUN, the_admin_adds_todays_run),
    (OPEN, the_admin_moves_the_run_to_tomorrow),
    (OPEN, the_api_cancels),
    (CANCELLED, the_api_reopens),
    (CANCELLED, the_add_run_day_command_reopens),
]


async def organiser_client() -> Client:
    organiser = Client()
    await in_thread(lambda: log_in(organiser, StaffFactory()))
    return organiser


@pytest.mark.parametrize(
    ("today", "surface"), TODAY_SURFACES, ids=[surface.__name__ for _, surface in TODAY_SURFACES]
)
async def test_a_watcher_hears_every_change_to_todays_run(
    today: str, surface: Callable[[Client], str]
) -> None:
    await in_thread(lambda: today_is(today))
    organiser = await organiser_client()
    watcher = await watch(await in_thread(StaffFactory))
    assert run_line(await watcher.receive_from()) == RUN_LINE[today]

    expected = await in_thread(lambda: surface(organiser))

    assert run_line(await watcher.receive_from(timeout=5)) == expected
    await watcher.disconnect()


async def test_a_change_to_another_days_run_is_not_announced() -> None:
    """The board shows today's run alone; at midnight it reads the new day by itself."""
    await in_thread(lambda: RunFactory(date=club_today() + dt.timedelta(days=1)))
    organiser = await organiser_client()
    watcher = await watch()
    await watcher.receive_from()

    def change_tomorrow() -> None:
        tomorrow = club_today() + dt.timedelta(days=1)
        data = {"date": f"{tomorrow:%Y-%m-%d}", "change": "cancel"}
        assert (
            organiser.post(reverse("admin:calendar_app_run_calendar_day"), data).status_code == 302
        )
        run = Run.objects.get(date=tomorrow)
        url = reverse("admin:calendar_app_run_change", args=[run.pk])
        assert organiser.post(url, run_form(tomorrow, place="Boathouse")).status_code == 302
        body = {"date": f"{tomorrow + dt.timedelta(days=1):%Y-%m-%d}", "has_run": True}
        assert post_json(organiser, "/api/calendar/configure", body).status_code == 200

    await in_thread(change_tomorrow)
    assert await watcher.receive_nothing(timeout=0.5)
    await watcher.disconnect()


def announcers(name: str) -> set[str]:
    """The files that call ``name`` (a definition is no call)."""
    return {
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if re.search(rf"(?<!def )\b{name}\(", path.read_text())
    }


def test_only_the_services_announce() -> None:
    """Views, the admin and commands call a service; none announces by hand."""
    assert announcers("checkins_changed") == {"attendance/services.py"}
    assert announcers("today_changed") == {"calendar_app/services.py"}
