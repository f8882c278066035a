"""Checking a runner in, and erasing one: the one place these rules live."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from attendance.live import checkins_changed
from attendance.models import Attendance
from attendance.names import name_key
from calendar_app.models import CheckinState, Run

# What the admin's history says in place of an erased runner's name.
ERASED = "an erased runner"


class CheckinClosed(Exception):
    def __init__(self, run: Run, state: CheckinState) -> None:
        super().__init__(f"check-in for {run} is {state.value}")
        self.run = run
        self.state = state


class AlreadyCheckedIn(Exception):
    def __init__(self, attendance: Attendance) -> None:
        super().__init__(f"{attendance.runner_name} is already checked in")
        self.attendance = attendance


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    number: int  # "runner number N today"
    count: int  # everyone checked in so far
    replayed: bool  # True when a resent form found its own earlier check-in


def check_in(run: Run, runner_name: str, submission_id: uuid.UUID | None = None) -> CheckIn:
    """Check ``runner_name`` in to ``run``.

    ``runner_name`` must already be clean (``names.clean_runner_name``).
    Raises CheckinClosed if the run is not open today, AlreadyCheckedIn if the
    name is taken by another submission.
    """
    state = run.checkin_state()
    if state is not CheckinState.OPEN:
        raise CheckinClosed(run, state)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                run=run, runner_name=runner_name, submission_id=submission_id
            )
        replayed = False
    except IntegrityError:
        existing = run.attendances.for_name(runner_name).first()
        if existing is None:
            raise
        if submission_id is None or existing.submission_id != submission_id:
            raise AlreadyCheckedIn(existing) from None
        attendance, replayed = existing, True
    if not replayed:
        checkins_changed()
    number, count = attendance.number_and_count()
    return CheckIn(attendance, number, count, replayed)


def erase_runners(name_keys: Iterable[str]) -> int:
    """Delete every check-in of these runners (compared by ``names.name_key``), on every run,
    and their names from the admin's history.

    Returns how many check-ins were deleted.
    """
    keys = set(name_keys)
    with transaction.atomic():
        checkins = Attendance.objects.filter(name_key__in=keys)
        ids = [str(pk) for pk in checkins.values_list("pk", flat=True)]
        deleted, _ = checkins.delete()
        _scrub_admin_log(keys, ids)
    checkins_changed()
    return deleted


def _scrub_admin_log(keys: set[str], ids: list[str]) -> None:
    """Replace the runners' names in the admin's log entries with ``ERASED``.

    Entries name a check-in as ``str(attendance)``, which starts with the runner's name
    followed by " at ": on the check-in's own entries (``object_repr``) and in the
    entries of the run it was edited under (``change_message``, its inline's "object").
    """

    def names_one(text: str) -> bool:
        return any(name_key(text).startswith(f"{key} at ") for key in keys)

    types = ContentType.objects.get_for_models(Attendance, Run)
    entries = LogEntry.objects.filter(content_type__in=types.values())
    for entry in entries.iterator():
        changed = False
        if entry.content_type_id == types[Attendance].pk and (
            entry.object_id in ids or names_one(entry.object_repr)
        ):
            entry.object_repr = ERASED
            changed = True
        if '"object"' in entry.change_message:
            try:
                message = json.loads(entry.change_message)
            except ValueError:
                message = []  # a hand-written message: Django's own are JSON
            for part in message:
                for detail in part.values():
                    if isinstance(detail, dict) and names_one(str(detail.get("object", ""))):
                        detail["object"] = ERASED
                        changed = True
            entry.change_message = json.dumps(message)
        if changed:
            entry.save(update_fields=["object_repr", "change_message"])
