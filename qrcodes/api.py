"""GET /api/qr/{session_id} (staff) and GET /api/qr/validate/{token}."""

from __future__ import annotations

from typing import Literal

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema

from calendar_app.models import CheckinState, Run
from calendar_app.tokens import SESSION_ID_PATTERN, read_token
from qrcodes import services
from runclub.apiauth import staff

router = Router(tags=["qr"])

REASONS = {
    CheckinState.OPEN: "Open for check-in today.",
    CheckinState.CANCELLED: "This run is cancelled.",
    CheckinState.NOT_YET: "Check-in opens on the day of the run.",
    CheckinState.OVER: "Check-in for this run has closed.",
}
IMAGES = {
    "svg": (services.svg_bytes, "image/svg+xml"),
    "png": (services.png_bytes, "image/png"),
}


class TokenCheck(Schema):
    valid: bool = Field(..., description="true only if the token is genuine and open today")
    reason: str
    session_id: str | None = Field(default=None, description="The run the token names, if genuine.")
    date: str | None = Field(default=None, description="The run's date (YYYY-MM-DD), if genuine.")


@router.get("/validate/{token}", response=TokenCheck, summary="Is this check-in token good?")
def validate(request: HttpRequest, token: str) -> TokenCheck:
    try:
        session_id = read_token(token)
    except signing.BadSignature:
        return TokenCheck(valid=False, reason="This is not a check-in code of ours.")
    run = Run.objects.filter(session_id=session_id).first()
    if run is None:
        return TokenCheck(valid=False, reason="That run no longer exists.")
    state = run.checkin_state()
    return TokenCheck(
        valid=state is CheckinState.OPEN,
        reason=REASONS[state],
        session_id=session_id,
        date=run.date.isoformat(),
    )


@router.get(
    "/{session_id}",
    auth=staff,
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The run's check-in QR code",
                "content": {"image/svg+xml": {}, "image/png": {}},
            }
        }
    },
    summary="A run's check-in QR code, SVG or PNG (staff)",
)
def qr_image(
    request: HttpRequest,
    session_id: str = Path(..., pattern=f"^{SESSION_ID_PATTERN}$"),
    format: Literal["svg", "png"] = "svg",
) -> HttpResponse:
    run = get_object_or_404(Run, session_id=session_id)
    render, content_type = IMAGES[format]
    return HttpResponse(render(run), content_type=content_type)
