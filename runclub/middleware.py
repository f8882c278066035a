"""The project's own middleware: the host's health check, answered before anything else."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from calendar_app.models import Run

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class HealthCheckMiddleware:
    """``/healthz``: 200 when the app can serve check-ins, 503 when its database cannot.

    First in the chain, so a platform's health check (plain HTTP, its own Host header)
    is answered before host validation, the HTTPS redirect or sessions. It reads the
    runs table and nothing else: never Redis, never the write lock, so it answers
    quickly while Redis hangs or a burst of check-ins queues for the database.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        try:
            Run.objects.exists()
        except DatabaseError:
            # The reason stays in the log: it can name files and servers.
            logger.exception("health check: the database cannot be read")
            return _plain("database unavailable\n", 503)
        return _plain("ok\n", 200)


def _plain(text: str, status: int) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
