"""Every way check-ins change tells the live page: a committee member's open socket hears each
one, from the runner's phone to the admin, the paper list, merges, erasure and retention.

The services announce (attendance/services.py); views, the admin and commands only call them.
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
from calendar_app.models import Run
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


def test_only_the_services_announce() -> None:
    """Views, the admin and commands call a service; none announces by hand."""
    callers = {
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"\bcheckins_changed\(", path.read_text())
    }
    assert callers == {"attendance/live.py", "attendance/services.py"}
