"""Everything the club holds about one runner, for a runner who asks (a subject access request).

Organisers download it from the runner's admin page as CSV or JSON; the admin log says that
a runner's records were downloaded, never whose (``adminlog.log_records_download``).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from attendance import wording
from attendance.export import BOM, safe_cell
from attendance.models import Member, Runner


def _local(moment: Any) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def records(runner: Runner) -> dict[str, Any]:
    """The runner, their entry on the club's member list, every way their name was written
    (merged names included), every check-in, and what organisers changed about them."""
    checkins = runner.attendances.select_related("run").order_by("registered_at", "pk")
    member = (
        Member.objects.filter(number=runner.member_number).first() if runner.member_number else None
    )
    changes = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Runner), object_id=str(runner.pk)
    ).order_by("action_time")
    return {
        "club": settings.CLUB_NAME,
        "made_at": _local(timezone.now()),
        "time_zone": timezone.get_current_timezone_name(),
        "runner": {
            "id": runner.pk,
            "name": runner.name,
            "member_number": runner.member_number,
            "known_since": _local(runner.created_at),
            # As the duplicate rule compares them: every spelling merged into this runner.
            "names_as_compared": sorted(runner.names.values_list("name_key", flat=True)),
        },
        # As imported from the students' union's list, by the runner's member number.
        "member_list": (
            {"number": member.number, "name": member.name, "last_listed": _local(member.listed_at)}
            if member is not None
            else None
        ),
        "checkins": [
            {
                "run_date": checkin.run.date.isoformat(),
                "run_start": checkin.run.starts_at.strftime("%H:%M"),
                "place": checkin.run.place,
                "run_cancelled": not checkin.run.is_active,
                "name_as_typed": checkin.runner_name,
                "checked_in_at": _local(checkin.registered_at),
            }
            for checkin in checkins
        ],
        # Older than RETENTION_YEARS: kept as counts, with nothing that says whose they were.
        "earlier_checkins_without_name": runner.anonymised_checkins,
        "changes_by_organisers": [
            {"at": _local(entry.action_time), "what": entry.get_change_message()}
            for entry in changes
        ],
    }


# The CSV's columns (its headings are in the club's language: wording.RECORDS_CSV).
CSV_COLUMNS = ["record", "value", "when", "run_date", "start_time", "place", "run_cancelled"]


def as_csv(data: dict[str, Any]) -> str:
    """The same records as one table, a row per fact, for a spreadsheet (for the runner to
    read: its headings and what each row is are in the club's language)."""
    out = io.StringIO()
    writer = csv.writer(out)
    words = wording.RECORDS_CSV
    writer.writerow([words[column] for column in CSV_COLUMNS])
    runner = data["runner"]

    def row(record: str, value: object, when: str = "", *run: str) -> None:
        writer.writerow(
            [words[record], safe_cell(str(value)), when, *(safe_cell(cell) for cell in run)]
        )

    row("club", data["club"])
    row("name", runner["name"])
    if runner["member_number"]:
        row("member_number", runner["member_number"])
    row("known_since", "", runner["known_since"])
    member = data["member_list"]
    if member is not None:
        row("member_list_number", member["number"])
        row("member_list_name", member["name"])
        row("member_list_last_listed", "", member["last_listed"])
    for key in runner["names_as_compared"]:
        row("way_written", key)
    for checkin in data["checkins"]:
        row(
            "checkin",
            checkin["name_as_typed"],
            checkin["checked_in_at"],
            checkin["run_date"],
            checkin["run_start"],
            checkin["place"],
            str(words["cancelled"]) if checkin["run_cancelled"] else "",
        )
    if data["earlier_checkins_without_name"]:
        row("anonymised", data["earlier_checkins_without_name"])
    for change in data["changes_by_organisers"]:
        row("change", change["what"], change["at"])
    row("made_at", "", data["made_at"])
    return BOM + out.getvalue()
