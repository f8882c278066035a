"""The project's own middleware: the host's health check, answered before anything else."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from calendar_app.models import Run
from runclub.lib import storage

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class HealthCheckMiddleware:
    """``/healthz``: 200 ``ok`` when the app can serve check-ins; 503 and one word when it
    cannot: ``disk-full``, ``read-only``, ``no-database`` (runclub.lib.storage) or
    ``unavailable`` (the database cannot be read).

    First in the chain, so a platform's health check (plain HTTP, its own Host header)
    is answered before host validation, the HTTPS redirect or sessions. It reads the
    runs table and asks the disk, nothing else: never Redis, never the write lock, so it
    answers quickly while Redis hangs or a burst of check-ins queues for the database.
    A full disk lets reads through, so reading alone would say ``ok`` while every
    check-in fails. The cause goes to the log (once a minute), never to the answer.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        trouble = storage.state()
        if trouble is None:
            try:
                Run.objects.exists()
            except DatabaseError as error:
                trouble = storage.diagnose(error)
                if trouble is None:
                    # The reason stays in the log: it can name files and servers.
                    logger.error("health check: the database cannot be read: %s", error)
                    return _plain("unavailable\n", 503)
        if trouble is not None:
            storage.log_once(trouble)
            return _plain(f"{trouble}\n", 503)
        return _plain("ok\n", 200)


def _plain(text: str, status: int) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
