"""Checking a runner in: the one place the check-in rules live."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction

from attendance.models import Attendance
from calendar_app.models import CheckinState, Run


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
    number, count = attendance.number_and_count()
    return CheckIn(attendance, number, count, replayed)


def runs_with_club(attendance: Attendance) -> int:
    """How many runs this runner has checked in to, this one included: "your 23rd run".

    Runners are told apart exactly as the duplicate rule tells them apart (by name key, one
    check-in per run), so this counts runs: one query on the ``attendance_runner`` index, in
    plain SQL since it runs on every check-in (the ORM's compiling cost ten times the query).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Attendance._meta.db_table} WHERE name_key = %s",
            [attendance.name_key],
        )
        (runs,) = cursor.fetchone()
    return int(runs)


def erase_runners(name_keys: Iterable[str]) -> int:
    """Delete every check-in of these runners (compared by ``names.name_key``), on every run.

    Returns how many check-ins were deleted.
    """
    deleted, _ = Attendance.objects.filter(name_key__in=set(name_keys)).delete()
    return deleted
