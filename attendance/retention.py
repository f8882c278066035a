"""Names are not kept for ever: check-ins older than ``RETENTION_YEARS`` lose them.

A check-in past the period keeps its run and its time, so every count and chart of the
past stays true, but nothing in it names anyone: its typed name is blanked, and it moves
to a nameless runner (``Runner.anonymised``) made for that person's old check-ins, which
has no name, no member number and no way of writing a name, so it never matches a name,
merges or shows among the regulars. Kept as one nameless runner per person so "different
runners" and newcomers stay counted as they were; the named runner keeps only how many of
its check-ins went (``anonymised_checkins``), for "your Nth run" and for not being taken
for a newcomer later.

The admin log's entries about check-ins and runners from before the cutoff lose the names
they quote too. Applied by ``services.apply_retention`` (``manage.py apply_retention``, which
the server runs each night: ``runclub.nightly``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone

from attendance.adminlog import NAMELESS, rename_logged_objects
from attendance.models import ANONYMISED, Attendance, Member, Runner, RunnerName
from calendar_app.models import Run

# Runners anonymised per transaction: short enough not to hold SQLite's write lock for long.
BATCH = 200
# What an admin log entry from before the cutoff says instead of a name.
LOG_NOTE = "details removed after the retention period"


def cutoff(now: dt.datetime | None = None) -> dt.datetime | None:
    """The instant before which check-ins lose their names: the start of the club's day
    ``RETENTION_YEARS`` years before today (a check-in exactly that old is kept, one a day
    older is not). None when names are kept for ever (``RETENTION_YEARS=0``)."""
    years = settings.RETENTION_YEARS
    if not years:
        return None
    zone = timezone.get_default_timezone()
    today = timezone.localdate(now or timezone.now(), zone)
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February, in a year without one
        day = today.replace(year=today.year - years, day=28)
    # Midnight in the club's zone on that day, whatever its offset then (summer or winter).
    return dt.datetime.combine(day, dt.time(0, 0), zone)


def _named_old(before: dt.datetime) -> QuerySet[Attendance]:
    return Attendance.objects.filter(registered_at__lt=before, runner__anonymised=False)


@dataclass(frozen=True)
class Applied:
    checkins: int  # check-ins that lost their names now
    runners: int  # runners none of whose check-ins has a name now (gone from the runner list)


def overdue(now: dt.datetime | None = None) -> bool:
    """Whether a check-in past the period still has a name (the daily job's catch-up)."""
    before = cutoff(now)
    return before is not None and _named_old(before).exists()


def anonymise(now: dt.datetime | None = None) -> Applied:
    """Anonymise every check-in older than ``RETENTION_YEARS``; say how many (the caller,
    ``services.apply_retention``, announces it)."""
    before = cutoff(now)
    if before is None:
        return Applied(0, 0)
    checkins = runners = 0
    while True:
        batch = list(
            _named_old(before).order_by().values_list("runner_id", flat=True).distinct()[:BATCH]
        )
        if not batch:
            break
        with transaction.atomic():
            moved, gone = _anonymise(batch, before)
        checkins += moved
        runners += gone
    runners += _forget_runners_without_checkins(before)
    # The member list too: an entry no import has listed since the cutoff goes.
    Member.objects.filter(listed_at__lt=before).delete()
    _scrub_admin_log(before)
    return Applied(checkins, runners)


def _anonymise(runner_ids: list[int], before: dt.datetime) -> tuple[int, int]:
    latest = dict(
        Attendance.objects.filter(runner__in=runner_ids)
        .values("runner")
        .annotate(latest=Max("registered_at"))
        .values_list("runner", "latest")
    )
    # A runner whose every check-in is past the period becomes the nameless runner itself
    # (keeping its count of check-ins anonymised before: it was no newcomer at these).
    whole = [pk for pk in runner_ids if latest[pk] < before]
    part = [pk for pk in runner_ids if latest[pk] >= before]
    moved = Attendance.objects.filter(runner__in=whole).update(runner_name="", submission_id=None)
    RunnerName.objects.filter(runner__in=whole).delete()
    Runner.objects.filter(pk__in=whole).update(anonymised=True, name="", member_number=None)
    # One who runs with the club still: their old check-ins go to a nameless runner of their
    # own, with no link back.
    for runner_id in part:
        old = Attendance.objects.filter(runner_id=runner_id, registered_at__lt=before)
        remainder = Runner.objects.create(name="", anonymised=True)
        count = old.update(runner=remainder, runner_name="", submission_id=None)
        Runner.objects.filter(pk=runner_id).update(
            anonymised_checkins=F("anonymised_checkins") + count
        )
        moved += count
    return moved, len(whole)


def _forget_runners_without_checkins(before: dt.datetime) -> int:
    """Runners made before the cutoff who have no check-in at all (theirs were deleted) hold
    only a name: they go."""
    _, by_model = Runner.objects.filter(
        anonymised=False, created_at__lt=before, attendances__isnull=True
    ).delete()
    return by_model.get(Runner._meta.label, 0)


def _scrub_admin_log(before: dt.datetime) -> None:
    """Admin log entries from before the cutoff about check-ins, runners and runs' check-in
    rows lose the names they quote."""
    types = ContentType.objects.get_for_models(Attendance, Runner, RunnerName, Run)
    people = [types[Attendance].pk, types[Runner].pk, types[RunnerName].pk]
    old = LogEntry.objects.filter(action_time__lt=before)
    mine = old.filter(content_type__in=people).exclude(change_message__endswith=LOG_NOTE)
    # Erasures and downloads name nobody, and their details are the record of a request.
    for entry in mine.exclude(object_repr__in=NAMELESS):
        entry.object_repr = ANONYMISED
        entry.change_message = f"{_action(entry)}: {LOG_NOTE}"
        entry.save(update_fields=["object_repr", "change_message"])
    for entry in old.filter(content_type=types[Run], change_message__contains='"object"'):
        if rename_logged_objects(entry, lambda shown: shown != ANONYMISED, ANONYMISED):
            entry.save(update_fields=["change_message"])


def _action(entry: LogEntry) -> str:
    return {1: "Added", 2: "Changed", 3: "Deleted"}.get(entry.action_flag, "Changed")
