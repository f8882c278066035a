"""Organisers' calendar pages, served inside the admin (see RunAdmin.get_urls)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from calendar_app.forms import DayForm, ScheduleForm
from calendar_app.models import Run, club_today
from calendar_app.services import calendar_day, create_schedule, month_weeks
from runclub.http import HtmxHttpRequest
from runclub.roles import can_edit_calendar, can_see_calendar

TEMPLATE = "calendar_app/admin/calendar.html"


def month_url(day: dt.date) -> str:
    return reverse("admin:calendar_app_run_calendar_month", args=[day.year, day.month])


def calendar_this_month(request: HttpRequest) -> HttpResponse:
    return redirect(month_url(club_today()))


def calendar_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not can_see_calendar(request.user):
        raise PermissionDenied
    # The bounds keep the previous and next month links inside what dates can hold.
    if not (dt.MINYEAR < year < dt.MAXYEAR and 1 <= month <= 12):
        raise Http404("No such month.")
    first = dt.date(year, month, 1)
    context = {
        **admin.site.each_context(request),
        "title": f"Calendar: {first:%B %Y}",
        "month": first,
        "previous": month_url(first - dt.timedelta(days=1)),
        "next": month_url(first + dt.timedelta(days=31)),
        "today": month_url(club_today()),
        "weeks": month_weeks(year, month, club_today()),
        "can_edit": can_edit_calendar(request.user),
        "opts": Run._meta,
    }
    return render(request, TEMPLATE, context)


@require_POST
def toggle_day(request: HtmxHttpRequest) -> HttpResponse:
    if not can_edit_calendar(request.user):
        raise PermissionDenied
    form = DayForm(request.POST)
    if not form.is_valid():
        return HttpResponse("That is not a date on the calendar.", status=400)
    date = form.cleaned_data["date"]
    Run.toggle_day(date)
    if request.htmx:
        day = calendar_day(date, club_today())
        return render(request, f"{TEMPLATE}#day", {"day": day, "can_edit": True})
    messages.success(request, f"{date:%A %d %B %Y}: {calendar_day(date, date).state_label}.")
    return redirect(month_url(date))


def schedule(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("calendar_app.add_run"):
        raise PermissionDenied
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = create_schedule(form.schedule())
        messages.success(
            request,
            f"Added {len(result.created)} run days; {len(result.existing)} were already "
            "on the calendar and were left as they were.",
        )
        first = form.cleaned_data["first"]
        return redirect(month_url(first))
    context = {
        **admin.site.each_context(request),
        "title": "Add a recurring schedule",
        "form": form,
        "opts": Run._meta,
    }
    status = 400 if form.is_bound else 200
    return render(request, "calendar_app/admin/schedule.html", context, status=status)
