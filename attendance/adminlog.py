"""What the admin's history says about runners: entries that name nobody (an erasure, a
download of someone's records), and hiding the names that entries quote (erasure and
retention alike)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType

from attendance.models import Runner

# What the admin's history says in place of an erased runner's name.
ERASED = "an erased runner"
# ... and in place of the runner whose records were downloaded.
RECORDS = "a runner's records"
NAMELESS = (ERASED, RECORDS)


def rename_logged_objects(entry: LogEntry, hides: Callable[[str], bool], shown: str) -> bool:
    """Show ``shown`` for each object a Django admin change message quotes that ``hides``
    (the inline rows edited under a run); whether any was. A hand-written message is kept."""
    if '"object"' not in entry.change_message:
        return False
    try:
        message = json.loads(entry.change_message)
    except ValueError:
        return False
    changed = False
    for part in message:
        for detail in part.values():
            if isinstance(detail, dict) and "object" in detail and hides(str(detail["object"])):
                detail["object"] = shown
                changed = True
    if changed:
        entry.change_message = json.dumps(message)
    return changed


def log_records_download(user: AbstractBaseUser, kind: str, checkins: int) -> None:
    """The admin log says that a runner's records were downloaded, never whose."""
    _log_about_a_runner(
        user, RECORDS, CHANGE, f"Downloaded a runner's records ({kind}): {checkins} check-ins."
    )


def log_erasure(user: AbstractBaseUser, checkins: int) -> None:
    """The admin log says that a runner was erased, never who: a name would undo it."""
    _log_about_a_runner(
        user, ERASED, DELETION, f"Erased a runner: {checkins} check-ins deleted on request."
    )


def _log_about_a_runner(user: AbstractBaseUser, what: str, flag: int, message: str) -> None:
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(Runner),
        object_repr=what,
        action_flag=flag,
        change_message=message,
    )
