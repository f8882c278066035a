from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from attendance import charts, export, failures, live, members
from attendance.cookies import remember_name, remember_number, remembered_name, remembered_number
from attendance.forms import CheckInForm, DateRangeForm, ExportForm
from attendance.history import history as attendance_history
from attendance.models import Attendance
from attendance.services import AlreadyCheckedIn, CheckinClosed, check_in
from calendar_app.models import CheckinState, Run
from runclub.http import HtmxHttpRequest
from runclub.roles import can_see_names, names_required

TEMPLATE = "attendance/checkin.html"


def render_card(
    request: HtmxHttpRequest, context: dict[str, object], status: int = 200
) -> HttpResponse:
    """The whole page, or only its check-in card when htmx asks."""
    template = f"{TEMPLATE}#card" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request: HtmxHttpRequest, session_id: str) -> HttpResponse:
    failures.enforce_checkin_limits(request, session_id)
    run = Run.for_checkin(session_id)
    if run is None:
        if request.method != "HEAD":
            failures.record(failures.Reason.FORGED)
        raise Http404("No run has that check-in link.")
    context: dict[str, object] = {"run": run, "member_number": _member_number_field()}
    if request.method != "POST":
        state = run.checkin_state()
        if state is not CheckinState.OPEN:
            if request.method == "GET":
                failures.record_closed(run, state)
            return render_card(request, {**context, "closed": state.name}, state.status_code)
        initial = {
            "runner_name": remembered_name(request),
            "member_number": remembered_number(request),
            "submission_id": uuid.uuid4(),
        }
        return render_card(request, {**context, "form": CheckInForm(initial=initial)})

    form = CheckInForm(request.POST)
    if not form.is_valid():
        return render_card(request, {**context, "form": form}, 400)
    name, number = form.cleaned_data["runner_name"], form.cleaned_data["member_number"]
    try:
        result = check_in(run, name, form.cleaned_data["submission_id"], number)
    except CheckinClosed as closed:
        failures.record_closed(run, closed.state)
        return render_card(
            request, {**context, "closed": closed.state.name}, closed.state.status_code
        )
    except AlreadyCheckedIn as duplicate:
        return render_card(request, {**context, "duplicate": duplicate.attendance}, 409)
    response = render_card(request, {**context, "checkin": result})
    remember_name(response, name)
    if number is not None:
        remember_number(response, number)
    return response


def _member_number_field() -> dict[str, object] | None:
    """The form's second field, when the club asks for member numbers."""
    if not members.enabled():
        return None
    return {
        "label": members.label(),
        "required": members.mode() == members.REQUIRED,
        "numeric": members.numeric(),
        "help": settings.CHECKIN_MEMBER_NUMBER_HELP,
    }


def unknown_link(request: HttpRequest) -> HttpResponse:
    if request.method != "HEAD":
        failures.record(failures.Reason.FORGED)
    raise Http404("No run has that check-in link.")


def live_page(request: HttpRequest) -> HttpResponse:
    """Today's count as it grows; names only for those allowed to see them."""
    context = {
        "live": live.snapshot(),
        "show_names": can_see_names(request.user),
        "ws_path": live.WS_PATH,
    }
    return render(request, "attendance/live.html", context)


@require_GET
@names_required
def export_csv(request: HttpRequest) -> HttpResponseBase:
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            f"The export could not be made: {form.problems()}\n",
            content_type="text/plain; charset=utf-8",
        )
    return export.csv_response(request, form.attendances(), form.label())


def history(request: HttpRequest) -> HttpResponse:
    """The committee's charts over a date range (served inside the admin)."""
    if not can_see_names(request.user):
        raise PermissionDenied
    form = DateRangeForm(request.GET or None)
    first, last = form.period()
    if not form.is_bound:
        form = DateRangeForm(initial={"from": first, "to": last})
    data = attendance_history(first, last)
    new_and_returning, unit = charts.new_and_returning(data)
    context = {
        **admin.site.each_context(request),
        "title": "Attendance history",
        "opts": Attendance._meta,
        "form": form,
        "history": data,
        "charts": {
            "over_time": charts.over_time(data),
            "new_and_returning": new_and_returning,
            "by_weekday": charts.by_weekday(data),
            "regulars": charts.regulars(data),
        },
        "bar_unit": unit,
        "export_query": urlencode({"from": first, "to": last}),
    }
    status = 400 if form.errors else 200
    return render(request, "attendance/admin/history.html", context, status=status)
