"""POST /api/register, GET /api/attendance/today and /api/attendance/history.

The same rules and answers as the check-in form: the rules live in
``attendance.names`` and ``attendance.services``, the status codes on ``CheckinState``,
the words in ``attendance.wording``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from attendance import failures, members, wording
from attendance.cookies import remembered_checkin
from attendance.members import clean_member_number
from attendance.names import MAX_LENGTH, clean_runner_name
from attendance.services import AlreadyCheckedIn, CheckinClosed, check_in, taken_by_number
from calendar_app.api import CalendarDay, CalendarRange
from calendar_app.models import Run, club_today
from calendar_app.tokens import SESSION_ID_PATTERN
from runclub.accounts.apiauth import StaffSession
from runclub.accounts.roles import can_see_names

router = Router(tags=["attendance"])
names_auth = StaffSession(can_see_names, wording.NAMES_NOT_ALLOWED)


class RegistrationRequest(Schema):
    session_id: str = Field(..., min_length=16, max_length=64, pattern=f"^{SESSION_ID_PATTERN}$")
    # Longer than a name may be, so that clean_runner_name tells an over-long name why (400),
    # as the form does, and invisible characters it removes do not count against it.
    runner_name: str | None = Field(
        None,
        min_length=1,
        max_length=4 * MAX_LENGTH,
        description=(
            "Required, except with CHECKIN_MEMBER_NUMBER=only, where the club's member list "
            "names a listed number (a name sent for it is ignored)."
        ),
    )
    member_number: str | None = Field(
        None,
        max_length=64,
        description="Only when the club asks for member numbers (CHECKIN_MEMBER_NUMBER).",
    )
    timestamp: dt.datetime | None = Field(
        None, description="Accepted for older clients and ignored: the server's clock decides."
    )
    submission_id: uuid.UUID | None = Field(
        None,
        description=(
            "A new random id per check-in, sent again unchanged when retrying: a retry whose "
            "first try got through is answered as that check-in (201), not as a duplicate."
        ),
    )


class AttendanceResponse(Schema):
    success: bool
    message: str
    current_count: int
    runner_name: str | None = None


class Problem(Schema):
    detail: str


class TodayAttendance(Schema):
    date: str = Field(..., description="ISO date string (YYYY-MM-DD)")
    has_run: bool
    count: int
    names: list[str] | None = Field(
        default=None, description="Only for the committee and organisers."
    )


@router.post(
    "/register",
    response={
        201: AttendanceResponse,
        400: Problem,
        403: AttendanceResponse,
        404: Problem,
        409: AttendanceResponse,
        410: AttendanceResponse,
        429: Problem,
    },
    summary="Check a runner in",
)
def register(request: HttpRequest, registration: RegistrationRequest) -> Status:
    failures.enforce_checkin_limits(request, registration.session_id)
    run = Run.for_checkin(registration.session_id)
    if run is None:
        failures.record(failures.Reason.FORGED)
        return Status(404, Problem(detail=wording.unknown_code().message))
    number = None
    try:
        number = clean_member_number(registration.member_number)
        only = members.mode() == members.ONLY
        listed = members.member_name(number) if only and number is not None else None
        name = listed or clean_runner_name(registration.runner_name or "")
    except ValidationError as invalid:
        if number is not None and members.mode() == members.ONLY:
            return Status(400, Problem(detail=wording.unlisted_number(number)))
        return Status(400, Problem(detail=invalid.messages[0]))
    try:
        result = check_in(run, name, registration.submission_id, number)
    except CheckinClosed as closed:
        failures.record_closed(run, closed.state)
        message = wording.checkin_state(run, closed.state).message
        return Status(closed.state.status_code, _refusal(message, run, name))
    except AlreadyCheckedIn as duplicate:
        taken = duplicate.attendance
        answer = wording.already_in(
            taken,
            mine=taken.pk == remembered_checkin(request),
            by_number=taken_by_number(taken, number),
        )
        return Status(409, _refusal(f"{answer.outcome.message} {answer.advice}", run, name))
    message = wording.checked_in(name, result.number).message
    return Status(
        201,
        AttendanceResponse(
            success=True, message=message, current_count=result.count, runner_name=name
        ),
    )


def _refusal(message: str, run: Run, name: str) -> AttendanceResponse:
    return AttendanceResponse(
        success=False, message=message, current_count=run.attendances.count(), runner_name=name
    )


@router.get("/attendance/today", response=TodayAttendance, summary="Today's count (and names)")
def attendance_today(request: HttpRequest) -> TodayAttendance:
    run = Run.objects.today().first()
    if run is None:
        return TodayAttendance(date=club_today().isoformat(), has_run=False, count=0)
    names = None
    if can_see_names(request.user):
        names = list(run.attendances.values_list("runner_name", flat=True))
    return TodayAttendance(
        date=run.date.isoformat(),
        has_run=run.is_active,
        count=run.attendances.count(),
        names=names,
    )


@router.get(
    "/attendance/history",
    response=list[CalendarDay],
    auth=names_auth,
    summary="Past run days with their counts (committee and organisers)",
)
def attendance_history(request: HttpRequest, span: Query[CalendarRange]) -> list[CalendarDay]:
    today = club_today()
    return [
        CalendarDay.of(run, for_staff=True) for run in reversed(span.runs()) if run.date <= today
    ]
