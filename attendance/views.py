from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from attendance import live
from attendance.cookies import remember_name, remembered_name
from attendance.forms import CheckInForm
from attendance.services import AlreadyCheckedIn, CheckinClosed, check_in
from calendar_app.models import CheckinState, Run
from runclub.ratelimits import CHECKIN_LIMITS, limited
from runclub.roles import can_see_names

TEMPLATE = "attendance/checkin.html"

CLOSED_STATUS = {
    CheckinState.OVER: 410,
    CheckinState.CANCELLED: 403,
    CheckinState.NOT_YET: 403,
}


def render_card(
    request: HttpRequest, context: dict[str, object], status: int = 200
) -> HttpResponse:
    """The whole page, or only its check-in card when htmx asks."""
    template = f"{TEMPLATE}#card" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@limited(*CHECKIN_LIMITS)
def checkin(request: HttpRequest, session_id: str) -> HttpResponse:
    run = get_object_or_404(Run, session_id=session_id)
    context: dict[str, object] = {"run": run}
    if request.method != "POST":
        state = run.checkin_state()
        if state is not CheckinState.OPEN:
            return render_card(request, {**context, "closed": state.name}, CLOSED_STATUS[state])
        initial = {"runner_name": remembered_name(request), "submission_id": uuid.uuid4()}
        return render_card(request, {**context, "form": CheckInForm(initial=initial)})

    form = CheckInForm(request.POST)
    if not form.is_valid():
        return render_card(request, {**context, "form": form}, 400)
    name = form.cleaned_data["runner_name"]
    try:
        result = check_in(run, name, form.cleaned_data["submission_id"])
    except CheckinClosed as closed:
        return render_card(
            request, {**context, "closed": closed.state.name}, CLOSED_STATUS[closed.state]
        )
    except AlreadyCheckedIn as duplicate:
        return render_card(request, {**context, "duplicate": duplicate.attendance}, 409)
    response = render_card(request, {**context, "checkin": result})
    remember_name(response, name)
    return response


def live_page(request: HttpRequest) -> HttpResponse:
    """Today's count as it grows; names only for those allowed to see them."""
    context = {
        "live": live.snapshot(),
        "show_names": can_see_names(request.user),
        "ws_path": live.WS_PATH,
    }
    return render(request, "attendance/live.html", context)
