"""Organisers' log-ins: a second factor, sessions that end when left alone, new browsers logged.

The second factor is a TOTP code from an authenticator app (django-otp's ``TOTPDevice``),
asked after the password and before the account is logged in at all: until it is given,
the browser holds only a short-lived "password checked" mark in its session, so no page
that trusts ``request.user`` (admin, QR, export, API) can be reached with the password alone.

``ADMIN_2FA``: ``required`` sends an account without a device to enrol before it is let in
(the first admin on a fresh machine included); ``optional`` asks accounts that enrolled;
``off`` asks nobody.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from runclub.accounts.models import KnownBrowser
from runclub.lib.ratelimits import client_address

REQUIRED, OPTIONAL, OFF = "required", "optional", "off"
PENDING = "runclub_login_pending"
# The password step is good for this long: time to open the app and type the code.
PENDING_SECONDS = 300
SEEN = "runclub_logged_in_at"
# A staff session's last-seen time is written (to the cache) at most this often.
SEEN_EVERY_SECONDS = 60
BROWSER_COOKIE = "runclub_browser"
BROWSER_COOKIE_AGE = 2 * 365 * 24 * 3600
DEVICE_NAME = "Authenticator app"


def mode() -> str:
    return str(settings.ADMIN_2FA)


def device_for(user: AbstractBaseUser) -> TOTPDevice | None:
    """The account's enrolled (confirmed) authenticator, if any."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def second_step(user: AbstractBaseUser) -> str | None:
    """What the account must do after its password: "code", "enrol", or None (nothing)."""
    if mode() == OFF:
        return None
    if device_for(user) is not None:
        return "code"
    return "enrol" if mode() == REQUIRED else None


# The step between password and code ---------------------------------------------------


def hold(request: HttpRequest, user: AbstractBaseUser, next_url: str) -> None:
    """Remember that ``user`` gave the right password, for the code step, without logging in."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": next_url,
        "at": time.time(),
    }


@dataclass(frozen=True)
class Pending:
    user: Any
    next_url: str


def pending(request: HttpRequest) -> Pending | None:
    """The account whose password was just checked, while the code step is still open."""
    held = request.session.get(PENDING)
    if not isinstance(held, dict) or time.time() - held.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = held.get("user")
    if not isinstance(user_id, int):
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.is_staff:
        return None
    user.backend = held["backend"]
    return Pending(user, str(held.get("next") or "/admin/"))


WRONG_CODE = "That code isn't right. Type the six digits your authenticator app shows now."
WAIT = "Too many wrong codes in a row: wait {wait}, then type the code your app shows then."


def _wait(device: TOTPDevice) -> str | None:
    """How long django-otp makes this device wait after wrong codes, if it does now."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or not details.get("locked_until"):
        return None
    seconds = max(1, round((details["locked_until"] - timezone.now()).total_seconds()))
    return WAIT.format(wait="a second" if seconds == 1 else f"{seconds} seconds")


def attempt(
    user: AbstractBaseUser, code: str, device: TOTPDevice | None = None
) -> TOTPDevice | str:
    """The device, if it accepts ``code``; else why not, in words for the form."""
    device = device or device_for(user)
    if device is None:
        return WRONG_CODE
    wait = _wait(device)
    if wait is not None:
        return wait
    return verify(user, code, device) or WRONG_CODE


def verify(
    user: AbstractBaseUser, code: str, device: TOTPDevice | None = None
) -> TOTPDevice | None:
    """The device that accepts ``code``. django-otp doubles a wait after each wrong code
    (1 s, 2 s, 4 s...), so guessing six digits is hopeless."""
    device = device or device_for(user)
    code = "".join(code.split())
    if device is None or not code.isdigit():
        return None
    with transaction.atomic():
        return device if device.verify_token(code) else None


# Enrolling ----------------------------------------------------------------------------------


def enrolling_device(user: AbstractBaseUser) -> TOTPDevice:
    """The not yet confirmed device this account is enrolling (the same key on every reload)."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user_id=user.pk, name=DEVICE_NAME, confirmed=False)


def confirm(user: AbstractBaseUser, code: str) -> TOTPDevice | str:
    """Enrol the account's new device if ``code`` is the one its app shows; else why not."""
    device = enrolling_device(user)
    accepted = attempt(user, code, device)
    if isinstance(accepted, str):
        return accepted
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
    return device


def remove_devices(user: AbstractBaseUser) -> int:
    """Forget the account's authenticators (a lost phone): it enrols again at its next log-in
    under ``ADMIN_2FA=required``."""
    deleted, _ = TOTPDevice.objects.filter(user_id=user.pk).delete()
    return deleted


# Logging in, staying in, being logged out ---------------------------------------------------


def complete(
    request: HttpRequest, user: User, device: TOTPDevice | None, next_url: str
) -> HttpResponse:
    """Log ``user`` in (after every step it needed); note the browser if it is a new one."""
    request.session.pop(PENDING, None)
    login(request, user)
    if device is not None:
        otp_login(request, device)
    request.session[SEEN] = time.time()
    response = HttpResponseRedirect(next_url)
    note_browser(request, user, response)
    return response


def session_seconds() -> int:
    return max(1, round(settings.ADMIN_SESSION_HOURS * 3600))


def keep_alive_or_end(request: HttpRequest) -> None:
    """End a staff session left alone for ``ADMIN_SESSION_HOURS``; else note it is in use.

    The last request's time is kept in the cache, not the session: reading pages must not
    take the database's write lock (a run day's check-ins need it). The session holds the
    log-in's time, so a session whose last use the cache forgot (a restart without Redis)
    counts from its log-in.
    """
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return
    now = time.time()
    key = f"staff-seen:{request.session.session_key}"
    try:
        last = cache.get(key)
    except Exception:  # the cache is down (runclub.lib.breaker has said so): sessions go on
        return
    logged_in = request.session.get(SEEN)
    times = [t for t in (last, logged_in) if isinstance(t, (int, float))]
    limit = session_seconds()
    if times and now - max(times) > limit:
        logout(request)
        return
    if last is None or now - last > min(SEEN_EVERY_SECONDS, limit / 10):
        with contextlib.suppress(Exception):
            cache.set(key, now, timeout=limit + SEEN_EVERY_SECONDS)


def note_browser(request: HttpRequest, user: AbstractBaseUser, response: HttpResponse) -> None:
    """A log-in from a browser this account never used goes in the admin log (its history)."""
    token = request.COOKIES.get(BROWSER_COOKIE, "")
    if 20 <= len(token) <= 64:
        digest = hashlib.sha256(token.encode()).hexdigest()
        if KnownBrowser.objects.filter(user_id=user.pk, key=digest).exists():
            return
    else:
        token = secrets.token_urlsafe(24)
        digest = hashlib.sha256(token.encode()).hexdigest()
    agent = request.META.get("HTTP_USER_AGENT", "")[:200] or "a browser that gave no name"
    KnownBrowser.objects.create(user_id=user.pk, key=digest, description=agent)
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=str(user.pk),
        object_repr=user.get_username()[:200],
        action_flag=CHANGE,
        change_message=(
            f"Logged in from a new browser: {agent} (address {client_address(request)})."
        ),
    )
    response.set_cookie(
        BROWSER_COOKIE,
        token,
        max_age=BROWSER_COOKIE_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
