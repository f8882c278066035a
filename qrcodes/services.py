"""QR codes for check-in links, made to be read across a room or off paper."""

from __future__ import annotations

import io

import segno

from calendar_app.models import Run
from qrcodes import wording

# Level Q survives a quarter of the code being glared out or smudged;
# boost_error raises it further when the URL leaves room. A full QR code, never
# a Micro QR: phone scanners do not read those.
ERROR_LEVEL = "q"
QUIET_ZONE = 4  # modules; the standard's minimum, which scanners rely on
PNG_SCALE = 16  # pixels per module: about 1000 px wide, sharp on a projector


def qr_for(run: Run) -> segno.QRCode:
    return segno.make_qr(run.checkin_url(), error=ERROR_LEVEL, boost_error=True)


def svg_bytes(run: Run) -> bytes:
    buffer = io.BytesIO()
    # viewBox only (omitsize): scales to any screen or sheet without blurring.
    qr_for(run).save(
        buffer,
        kind="svg",
        border=QUIET_ZONE,
        xmldecl=False,
        omitsize=True,
        title=wording.code_title(run),
        dark="#000",
        light="#fff",
    )
    return buffer.getvalue()


def png_bytes(run: Run) -> bytes:
    buffer = io.BytesIO()
    qr_for(run).save(buffer, kind="png", border=QUIET_ZONE, scale=PNG_SCALE)
    return buffer.getvalue()
