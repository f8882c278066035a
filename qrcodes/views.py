from __future__ import annotations

from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from attendance import live
from calendar_app.models import Run, club_today
from qrcodes import services
from runclub.accounts.roles import can_edit_calendar


def code_context(run: Run | None) -> dict[str, Any]:
    """The run, its code (when it can be scanned), and whether it is today's."""
    if run is None:
        return {"run": None, "today": club_today()}
    # segno's own output, no user text unescaped.
    svg = mark_safe(services.svg_bytes(run).decode())
    return {"run": run, "svg": svg, "today": club_today()}


def todays_run() -> Run | None:
    """Today's run if it is open for check-in: a cancelled run's code is not projected."""
    return Run.objects.today().active().first()


@staff_member_required
def page(request: HttpRequest, session_id: str) -> HttpResponse:
    run = get_object_or_404(Run, session_id=session_id)
    return render(request, "qrcodes/qr.html", code_context(run))


@staff_member_required
def today(request: HttpRequest) -> HttpResponse:
    """Today's code, whichever run that is: a bookmark that moves to the new day at midnight."""
    context = {
        **code_context(todays_run()),
        **live.follow_day(),
        "following_today": True,
        "cancelled_today": Run.objects.today().filter(is_active=False).exists(),
        "next_run": Run.objects.active().filter(date__gt=club_today()).order_by("date").first(),
        "can_edit": can_edit_calendar(request.user),
    }
    return render(request, "qrcodes/qr.html", context)


def projector_context(run: Run | None) -> dict[str, Any]:
    # Count only, never names: a room full of people can read it.
    return {**code_context(run), "live": live.snapshot(), "show_names": False}


@staff_member_required
def projector(request: HttpRequest, session_id: str) -> HttpResponse:
    """The QR code beside today's live count, for a projector: count only, never names."""
    run = get_object_or_404(Run, session_id=session_id)
    context = {**projector_context(run), "ws_path": live.WS_PATH}
    return render(request, "qrcodes/projector.html", context)


@staff_member_required
def today_projector(request: HttpRequest) -> HttpResponse:
    context = {
        **projector_context(todays_run()),
        **live.follow_day(),
        "following_today": True,
        "ws_path": live.WS_PATH,
    }
    return render(request, "qrcodes/projector.html", context)


def _download(run: Run, body: bytes, extension: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="checkin-{run.date:%Y-%m-%d}.{extension}"'
    )
    return response


@staff_member_required
def svg(request: HttpRequest, session_id: str) -> HttpResponse:
    run = get_object_or_404(Run, session_id=session_id)
    return _download(run, services.svg_bytes(run), "svg", "image/svg+xml")


@staff_member_required
def png(request: HttpRequest, session_id: str) -> HttpResponse:
    run = get_object_or_404(Run, session_id=session_id)
    return _download(run, services.png_bytes(run), "png", "image/png")
