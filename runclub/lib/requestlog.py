"""One log line per request, as the rate limits see it.

``203.0.113.7 POST /c/7K3M9QXD 200 12ms``: the client's address after ``TRUSTED_PROXY_COUNT``
(runclub.lib.ratelimits.client_address, so behind Render's or Railway's proxies it is the
runner's, not the proxy's), the method, the path without its query string (where secrets such
as a log-in's next page or an export's filters would be), the status and the time the app took.
A 429 adds the limit it met (``limit=RATELIMIT_WRONG_CODE_PER_ADDRESS``). daphne's own access
line, which names the proxy and no duration, is off (``-v 0`` in the Procfile and Makefile).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from runclub.lib.ratelimits import client_address, limit_met

logger = logging.getLogger("runclub.requests")

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class RequestLogMiddleware:
    """First in the chain, so every answer is timed and logged, /healthz's included."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        took = (time.perf_counter() - started) * 1000
        limit = limit_met(request)
        logger.info(
            "%s %s %s %s %.0fms%s",
            client_address(request),
            request.method,
            request.path,
            response.status_code,
            took,
            f" limit={limit}" if limit else "",
        )
        return response


class AnsweredElsewhere(logging.Filter):
    """Drop django.request's "Not Found: /x" and "Service Unavailable: /x" lines: the request
    line says the same. Errors with a traceback (a 500) stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", 500)
        return bool(record.exc_info) or status == 500 or not (400 <= status < 600)
