from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from runclub.accounts import logins

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class StaffSessionMiddleware:
    """Staff sessions end after ``ADMIN_SESSION_HOURS`` without a request (``logins``).

    A runner's request carries no session cookie, so it costs the check-in nothing.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            logins.keep_alive_or_end(request)
        return self.get_response(request)
