from __future__ import annotations

import codecs
import logging
from collections.abc import Callable

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.db import DatabaseError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin

from calendar_app.models import Run
from runclub.http import READING_METHODS

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
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
                detail = "Send the request body as UTF-8 (charset=utf-8)."
                return JsonResponse({"detail": detail}, status=400)
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


class DatabaseBusyMiddleware(MiddlewareMixin):
    """Answer 503 "try again" when the database is locked, busy or unreachable.

    Every write runs in its own transaction, so by the time the exception gets
    here it has been rolled back: the runner can simply send the form again.
    """

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        logger.warning(
            "database unavailable for %s %s: %s", request.method, request.path, exception
        )
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


# What django-csp's view decorators set on a response to change its policies.
_PER_RESPONSE_POLICY = tuple(
    f"_csp_{part}{suffix}"
    for part in ("exempt", "config", "update", "replace")
    for suffix in ("", "_ro")
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header built once per process.

    No page of ours uses a nonce or changes its policy, so every response carries the
    same header, which django-csp would build from the settings twice per response (the
    policy and the report-only one): a tenth of the check-in form's CPU. A response
    that has a nonce, a report-only policy or its own policy takes django-csp's path.
    """

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self.policy = build_policy()
        self.plain = bool(self.policy) and not build_policy(report_only=True)
        excluded = (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES") or ()
        self.excluded = tuple(excluded)
        # As django-csp does: asking for a nonce once the header is written is an error.
        self.too_late = CheckableLazyObject(self._csp_nonce_post_response)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            not self.plain
            or settings.DEBUG  # django-csp leaves Django's debug pages alone
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
        ):
            return super().process_response(request, response)
        if HEADER not in response and not request.path_info.startswith(self.excluded):
            response[HEADER] = self.policy
        request.csp_nonce = self.too_late  # type: ignore[attr-defined]
        return response
