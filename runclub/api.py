"""The JSON API at /api/: one NinjaAPI, a router per app.

OpenAPI at /api/openapi.json, interactive docs at /api/docs (assets from static/).

What a caller is told (each refusal's ``detail``) is in the club's language; the schema's
titles, summaries and descriptions stay in English, as docs/api.md does: they are for the
developers who write a client, and its field names are the contract.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, OperationalError
from django.http import HttpRequest, HttpResponse
from django_ratelimit.exceptions import Ratelimited
from ninja import NinjaAPI

from attendance import wording
from attendance.api import router as attendance_router
from attendance.codes import TooManyWrongCodes
from calendar_app.api import router as calendar_router
from qrcodes.api import router as qr_router
from runclub import wording as runclub_wording
from runclub.lib import ratelimits, storage
from runclub.lib.middleware import INSUFFICIENT_STORAGE, RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="runclub",
    version="1",
    description="Run days, check-ins and QR codes for the club's runs.",
    urls_namespace="api",
)
api.add_router("/calendar", calendar_router)
api.add_router("/", attendance_router)
api.add_router("/qr", qr_router)


@api.exception_handler(Ratelimited)
def ratelimited(request: HttpRequest, exc: Ratelimited) -> HttpResponse:
    ratelimits.log_refusal(request, exc)
    detail = str(runclub_wording.TOO_MANY_CHECKINS)
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(ratelimits.RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(TooManyWrongCodes)
def too_many_wrong_codes(request: HttpRequest, exc: TooManyWrongCodes) -> HttpResponse:
    detail = wording.too_many_wrong_codes().message
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(ratelimits.window_seconds(ratelimits.WRONG_CODE_LIMIT))
    return response


@api.exception_handler(DatabaseError)
def database_busy(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    # The JSON twin of DatabaseBusyMiddleware: rolled back, nothing saved. Busy: send it
    # again; unable to save at all (a full disk...): sending again will not help.
    trouble = storage.diagnose(exc)
    if trouble is not None:
        storage.note(trouble, exc)
        detail = str(wording.RETRYING["broken"])
        return api.create_response(request, {"detail": detail}, status=INSUFFICIENT_STORAGE)
    if not isinstance(exc, OperationalError):
        raise exc
    logger.warning("database unavailable for %s %s: %s", request.method, request.path, exc)
    detail = str(runclub_wording.DATABASE_BUSY)
    response = api.create_response(request, {"detail": detail}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
