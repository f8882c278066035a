"""Failed log-ins, counted by django-axes in the database (no cache flood forgets them).

Two ceilings (``settings.AXES_LOCKOUT_PARAMETERS``): wrong passwords for one username from
one address (``LOGIN_FAILURES_PER_ADDRESS``), and for one username from everywhere
(``LOGIN_FAILURES_PER_USERNAME``, higher), each for ``LOGIN_LOCKOUT_MINUTES``. Someone guessing
from their own address locks only that address out of that account; the owner logs in from
anywhere else. A browser that has logged in as the account before (``browsers``) is let
through even then, and is never counted.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from runclub.accounts import browsers, wording
from runclub.lib.ratelimits import client_address


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The username as Django's log-in compares it (NFKC), in any case: one count for
    "organiser", "Organiser" and the full-width "ｏｒｇａｎｉｓｅｒ"."""
    raw = (credentials or {}).get("username") or request.POST.get("auth-username", "")
    name = AbstractBaseUser.normalize_username(str(raw)).strip().casefold()
    return name or None


def address(request: HttpRequest) -> str:
    return client_address(request)


def known_browser(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    raw = (credentials or {}).get("username") or request.POST.get("auth-username")
    return browsers.is_known_for_username(request, raw)


class Handler(AxesDatabaseHandler):
    """axes' database handler, with a ceiling for each of its two counts.

    axes compares one number, the largest count over its parameter sets, with one limit.
    Here the per-username count is scaled to the per-address limit first, so each set meets
    its own ceiling: ``n * A // U >= A`` exactly when ``n >= U``.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        per_address, per_username = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        ceiling = settings.AXES_FAILURE_LIMIT
        return max(per_address, per_username * ceiling // settings.LOGIN_FAILURES_PER_USERNAME)


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """axes' answer once a ceiling is reached: what happened, and what the owner can do."""
    context = {
        "title": wording.LOCKED_TITLE,
        "wording": wording,
        "locked": str(wording.LOCKED).format(minutes=settings.LOGIN_LOCKOUT_MINUTES),
        "what_now": str(wording.LOCKED_WHAT_NOW).format(
            who=username(request, credentials) or "USERNAME"
        ),
    }
    reply = render(request, "accounts/locked_out.html", context, status=429)
    reply["Retry-After"] = str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    return reply
