from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from runclub.accounts import sessions

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class StaffSessionMiddleware:
    """Every request with a session gets the account it may act as (``sessions.session_user``):
    django-otp's verification, ``ADMIN_2FA`` and ``ADMIN_SESSION_HOURS`` applied in one place,
    so no page, API call or export is reached with the password alone or after the hours.

    ``request.enrolling_user`` is the account held at set-up after its password (only the
    set-up's pages use it). A runner's request carries no session cookie: it costs nothing.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user, enrolling = sessions.session_user(request, request.user, touch=True)
            request.user = user
            request.enrolling_user = enrolling  # type: ignore[attr-defined]
        return self.get_response(request)
