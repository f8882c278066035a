"""GET /api/qr/{session_id} (staff) and GET /api/qr/validate/{token}."""

from __future__ import annotations

from typing import Literal

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema

from attendance import wording
from attendance.api import Problem
from attendance.codes import WrongCode, run_for_code
from calendar_app import shortcodes
from calendar_app.models import CheckinState, Run
from calendar_app.tokens import SESSION_ID_PATTERN, read_token
from qrcodes import services
from runclub.accounts.apiauth import staff

router = Router(tags=["qr"])
IMAGES = {
    "svg": (services.svg_bytes, "image/svg+xml"),
    "png": (services.png_bytes, "image/png"),
}


class TokenCheck(Schema):
    valid: bool = Field(..., description="true only if the token is genuine and open today")
    reason: str
    session_id: str | None = Field(default=None, description="The run the token names, if genuine.")
    date: str | None = Field(default=None, description="The run's date (YYYY-MM-DD), if genuine.")


def unknown() -> TokenCheck:
    """A token or code that is no run's (worded in the club's language when asked)."""
    return TokenCheck(valid=False, reason=wording.unknown_code().message)


@router.get(
    "/validate/{token}",
    response={200: TokenCheck, 429: Problem},
    summary="Is this check-in token, or short code, good?",
    description="`token` is the long signed token of a `/checkin/<token>/` link, or the short "
    "code of a `/c/<code>` link in any case (wrong short codes are rate-limited).",
)
def validate(request: HttpRequest, token: str) -> TokenCheck:
    """Raises TooManyWrongCodes (a 429, runclub.api) while the caller is over its limit."""
    if ":" in token:
        try:
            run = Run.objects.filter(session_id=read_token(token)).first()
        except signing.BadSignature:
            return unknown()
    else:
        code = shortcodes.normalise(token)
        if code is None:
            return unknown()
        try:
            run = run_for_code(request, code)
        except WrongCode:
            return unknown()
    if run is None:
        return unknown()
    state = run.checkin_state()
    return TokenCheck(
        valid=state is CheckinState.OPEN,
        reason=wording.checkin_state(run, state).message,
        session_id=run.session_id,
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
