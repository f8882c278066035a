"""Middleware any app's requests pass through: bodies in UTF-8, a busy database as a 503,
one that cannot save at all as a 507."""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable

from django.db import DatabaseError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext_lazy as _

from runclub.lib import storage
from runclub.lib.http import READING_METHODS

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# The server cannot store what it was sent (RFC 4918): nothing was saved, and sending it
# again will not help until someone frees the disk (static/js/checkin.js stops retrying).
INSUFFICIENT_STORAGE = 507
# The API's answer to a body in another charset (its pages answer with 400.html). The
# infrastructure's few sentences are marked where they are said: runclub/lib has no app's
# wording module to put them in, and imports none.
NOT_UTF8 = _("Send the request body as UTF-8 (charset=utf-8).")

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class Utf8BodiesMiddleware:
    """A body declared in another charset than UTF-8 is a 400, before anything reads it.

    Every form of ours and every JSON client sends UTF-8; Django would otherwise fail
    deep inside on ``charset=utf-16`` or an unknown charset.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        charset = request.content_params.get("charset") if request.content_params else None
        if charset and request.method not in READING_METHODS and not _is_utf8(charset):
            logger.info("refused a %s body for %s", charset[:40], request.path)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(NOT_UTF8)}, status=400)
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


class DatabaseBusyMiddleware(MiddlewareMixin):
    """Answer 503 "try again" when the database is locked or busy, and 507 "give your name to
    an organiser" when it cannot save at all (a full disk, a read-only DATA_DIR, a missing
    database: runclub.lib.storage), so nobody retries what retrying will not fix.

    Every write runs in its own transaction, so by the time the exception gets
    here it has been rolled back: nothing was saved either way.
    """

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError):
            return None
        trouble = storage.diagnose(exception)
        if trouble is not None:
            storage.note(trouble, exception)
            return render(request, "507.html", status=INSUFFICIENT_STORAGE)
        if not isinstance(exception, OperationalError):
            return None
        logger.warning(
            "database unavailable for %s %s: %s", request.method, request.path, exception
        )
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
