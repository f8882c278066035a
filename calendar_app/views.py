"""Organisers' calendar pages, served inside the admin (see RunAdmin.get_urls), and the
public feed of run days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import conditional_page, require_GET, require_POST

from calendar_app import feed as run_feed
from calendar_app import wording
from calendar_app.days import Outcome
from calendar_app.forms import DayForm, ScheduleForm
from calendar_app.models import Run, club_today
from calendar_app.services import (
    calendar_day,
    change_day,
    create_schedule,
    month_terms,
    month_weeks,
)
from runclub.accounts.roles import can_edit_calendar, can_see_calendar
from runclub.lib.http import HtmxHttpRequest

TEMPLATE = "calendar_app/admin/calendar.html"


def month_url(day: dt.date, selected: dt.date | None = None) -> str:
    url = reverse("admin:calendar_app_run_calendar_month", args=[day.year, day.month])
    return f"{url}?day={selected:%Y-%m-%d}" if selected else url


def calendar_this_month(request: HtmxHttpRequest) -> HttpResponse:
    today = club_today()
    return redirect(month_url(today, today))


def selected_day(request: HtmxHttpRequest, first: dt.date) -> dt.date | None:
    """The day whose panel is open: ``?day=``, else today if it is in the month shown."""
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = club_today()
    return day if (day.year, day.month) == (first.year, first.month) else None


def calendar_month(request: HtmxHttpRequest, year: int, month: int) -> HttpResponse:
    if not can_see_calendar(request.user):
        raise PermissionDenied
    # The bounds keep the previous and next month links inside what dates can hold.
    if not (dt.MINYEAR < year < dt.MAXYEAR and 1 <= month <= 12):
        raise Http404("No such month.")
    first = dt.date(year, month, 1)
    return render_month(request, first, selected_day(request, first))


def render_month(
    request: HtmxHttpRequest,
    first: dt.date,
    selected: dt.date | None,
    form: DayForm | None = None,
    outcome: Outcome | None = None,
    status: int = 200,
) -> HttpResponse:
    today = club_today()
    day = calendar_day(selected, today) if selected else None
    if form is None and day is not None:
        starts_at, place = day.suggested()
        form = DayForm(initial={"date": selected, "starts_at": starts_at, "place": place})
    weeks = month_weeks(first.year, first.month, today)
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": wording.CALENDAR,
        "month": first,
        "previous": month_url(first - dt.timedelta(days=1)),
        "next": month_url(first + dt.timedelta(days=31)),
        "this_month": month_url(today, today),
        "weeks": weeks,
        "terms": month_terms(weeks),
        "selected": day,
        "form": form,
        "outcome": outcome,
        "outcome_said": wording.day_changed(outcome) if outcome else "",
        "can_edit": can_edit_calendar(request.user),
        "opts": Run._meta,
    }
    # htmx swaps the calendar in place; a whole page otherwise (and for errors, which
    # htmx puts in the page's #content).
    template = f"{TEMPLATE}#calendar" if request.htmx and status == 200 else TEMPLATE
    return render(request, template, context, status=status)


@require_POST
def change(request: HtmxHttpRequest) -> HttpResponse:
    """A change to one day: open, cancel, remove, or its time and place."""
    if not can_edit_calendar(request.user):
        raise PermissionDenied
    form = DayForm(request.POST)
    if not form.is_valid():
        if "date" in form.errors or "change" in form.errors:
            return HttpResponse(str(wording.NOT_A_DAY_CHANGE), status=400)
        date = form.cleaned_data["date"]
        return render_month(request, date.replace(day=1), date, form, status=400)
    date = form.cleaned_data["date"]
    outcome = change_day(
        date,
        form.change_asked(),
        starts_at=form.cleaned_data["starts_at"],
        # A form without the field (a bare "open") keeps the place; an emptied one clears it.
        place=form.cleaned_data["place"].strip() if "place" in request.POST else None,
        confirmed=form.cleaned_data["confirm"],
    )
    if not outcome.done:
        # A question to answer, or a change refused: the day's panel says which, and why.
        status = 200 if outcome.question else 409
        return render_month(request, date.replace(day=1), date, form, outcome, status)
    messages.success(request, wording.day_changed(outcome))
    back = form.cleaned_data["next"]
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    # The panel's anchor, so that without JavaScript a phone lands on the day just changed.
    return redirect(month_url(date, date) + "#day-panel")


def schedule(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.has_perm("calendar_app.add_run"):
        raise PermissionDenied
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = create_schedule(form.schedule())
        messages.success(request, wording.schedule_added(len(result.created), len(result.existing)))
        first = form.cleaned_data["first"]
        return redirect(month_url(first))
    context = {
        **admin.site.each_context(request),
        "title": wording.ADD_SCHEDULE,
        "form": form,
        "opts": Run._meta,
    }
    status = 400 if form.is_bound else 200
    return render(request, "calendar_app/admin/schedule.html", context, status=status)


@require_GET
@conditional_page  # an unchanged feed is a 304 to a calendar that sends its ETag back
def feed(request: HttpRequest) -> HttpResponse:
    """``/calendar.ics``: the club's run days for anyone's calendar app."""
    response = HttpResponse(run_feed.feed(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="runs.ics"'
    return response
