"""Browsers an account has logged in with: a log-in from any other is in the admin log, and a
known one is let through a lock-out (``runclub.accounts.lockouts``).

The browser keeps a random token in a cookie; only its digest is stored (``KnownBrowser``).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse

from runclub.accounts import wording
from runclub.accounts.models import KnownBrowser
from runclub.lib.ratelimits import client_address

COOKIE = "runclub_browser"
COOKIE_AGE = 2 * 365 * 24 * 3600


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token(request: HttpRequest) -> str | None:
    token = request.COOKIES.get(COOKIE, "")
    return token if 20 <= len(token) <= 64 else None


def is_known(request: HttpRequest, user: Any) -> bool:
    """Whether this browser has logged in as ``user`` before."""
    token = _token(request)
    return (
        token is not None
        and KnownBrowser.objects.filter(user_id=user.pk, key=_digest(token)).exists()
    )


def is_known_anywhere(request: HttpRequest) -> bool:
    """Whether this browser has completed a log-in, as any account."""
    token = _token(request)
    return token is not None and KnownBrowser.objects.filter(key=_digest(token)).exists()


def is_known_for_username(request: HttpRequest, username: str | None) -> bool:
    if not username or _token(request) is None:
        return False
    user = get_user_model().objects.filter(username=username).first()
    return user is not None and is_known(request, user)


def note(request: HttpRequest, user: Any, response: HttpResponse) -> None:
    """After a log-in: a browser this account never used goes in the admin log (its history),
    and is known from now on."""
    if is_known(request, user):
        return
    token = _token(request) or secrets.token_urlsafe(24)
    agent = request.META.get("HTTP_USER_AGENT", "")[:200] or str(wording.NO_BROWSER_NAME)
    KnownBrowser.objects.get_or_create(
        user_id=user.pk, key=_digest(token), defaults={"description": agent}
    )
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=str(wording.NEW_BROWSER).format(
            agent=agent, address=client_address(request)
        ),
        single_object=True,
    )
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
