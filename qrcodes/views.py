from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from attendance import live
from calendar_app.models import Run
from qrcodes import services


@staff_member_required
def page(request: HttpRequest, session_id: str) -> HttpResponse:
    run = get_object_or_404(Run, session_id=session_id)
    svg = mark_safe(services.svg_bytes(run).decode())  # segno's own output, no user text unescaped
    return render(request, "qrcodes/qr.html", {"run": run, "svg": svg})


@staff_member_required
def projector(request: HttpRequest, session_id: str) -> HttpResponse:
    """The QR code beside today's live count, for a projector: count only, never names."""
    run = get_object_or_404(Run, session_id=session_id)
    svg = mark_safe(services.svg_bytes(run).decode())  # segno's own output, no user text unescaped
    context = {"run": run, "svg": svg, "live": live.snapshot(), "show_names": False}
    return render(request, "qrcodes/projector.html", {**context, "ws_path": live.WS_PATH})


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
