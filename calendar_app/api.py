"""GET /api/calendar, POST /api/calendar/configure, GET /api/calendar/today."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from calendar_app import wording
from calendar_app.models import Run, club_today
from calendar_app.services import cancel_day, open_day
from runclub.accounts.apiauth import StaffSession

router = Router(tags=["calendar"])


class CalendarDay(Schema):
    date: str = Field(..., description="ISO date string (YYYY-MM-DD)")
    has_run: bool
    attendance_count: int | None = None
    session_id: str | None = Field(
        default=None, description="Only for staff: with it, a caller can check runners in."
    )

    @classmethod
    def of(cls, run: Run, *, for_staff: bool) -> CalendarDay:
        return cls(
            date=run.date.isoformat(),
            has_run=run.is_active,
            attendance_count=run.checkin_count,
            session_id=run.session_id if for_staff else None,
        )


class CalendarRange(Schema):
    start: dt.date | None = Field(default=None, description="first day (YYYY-MM-DD), inclusive")
    end: dt.date | None = Field(default=None, description="last day (YYYY-MM-DD), inclusive")

    def runs(self) -> list[Run]:
        runs = Run.objects.with_counts().order_by("date")
        if self.start:
            runs = runs.filter(date__gte=self.start)
        if self.end:
            runs = runs.filter(date__lte=self.end)
        return list(runs)


class CalendarChange(Schema):
    date: dt.date
    has_run: bool = Field(..., description="true: a run day (re-opened if cancelled); false: none")


def _is_staff(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_staff


@router.get("", response=list[CalendarDay], summary="Run days, cancelled ones included")
def calendar(request: HttpRequest, span: Query[CalendarRange]) -> list[CalendarDay]:
    return [CalendarDay.of(run, for_staff=_is_staff(request)) for run in span.runs()]


@router.post(
    "/configure",
    response={200: CalendarDay},
    auth=StaffSession(
        lambda user: user.has_perm("calendar_app.change_run"),
        wording.ONLY_ORGANISERS_CHANGE,
    ),
    summary="Make a date a run day, or cancel it (staff)",
)
def configure(request: HttpRequest, change: CalendarChange) -> CalendarDay:
    if change.has_run:
        open_day(change.date)
    else:
        cancel_day(change.date)
    run = Run.objects.with_counts().filter(date=change.date).first()
    if run is None:
        return CalendarDay(date=change.date.isoformat(), has_run=False)
    return CalendarDay.of(run, for_staff=True)


@router.get("/today", response=CalendarDay, summary="Is today a run day?")
def today(request: HttpRequest) -> CalendarDay:
    run = Run.objects.today().with_counts().first()
    if run is None:
        return CalendarDay(date=club_today().isoformat(), has_run=False)
    return CalendarDay.of(run, for_staff=_is_staff(request))
