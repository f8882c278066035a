"""Whose session this is, and whether it still counts: the same answer for a page, an API call,
an export and a live socket.

A session counts while
- Django still finds its account (not logged out, password unchanged: Django's own check),
- it has given what ``ADMIN_2FA`` asks (``twofactor.passes``; a device removed by
  ``reset_2fa`` or the admin no longer verifies it), and
- it was used within ``ADMIN_SESSION_HOURS``.

Its last use is kept in the ``security`` cache, not the session: reading pages must not take
the database's write lock (a run day's check-ins need it), and the ``security`` cache is one
a flood of new keys cannot empty. The session itself holds the password step's time, so a
session whose last use the cache forgot (a restart without Redis) counts from its log-in.
"""

from __future__ import annotations

import contextlib
import functools
import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import is_verified
from django_otp.models import Device

from runclub.accounts import twofactor

# A session's last use is written (to the cache) at most this often.
SEEN_EVERY_SECONDS = 60


def session_seconds() -> float:
    return max(1.0, settings.ADMIN_SESSION_HOURS * 3600)


def _seen_key(session_key: str) -> str:
    return f"staff-seen:{session_key}"


def last_used(request: HttpRequest) -> float | None:
    """When this session was last used (a request), or logged in if the cache forgot."""
    try:
        last = caches["security"].get(_seen_key(request.session.session_key or ""))
    except Exception:  # the cache is down (runclub.lib.breaker has said so): count from log-in
        last = None
    times = [t for t in (last, request.session.get(twofactor.LOGGED_IN_AT)) if t is not None]
    return max(times) if times else None


def _note_use(request: HttpRequest, last: float | None) -> None:
    now = time.time()
    if last is None or now - last > min(SEEN_EVERY_SECONDS, session_seconds() / 10):
        with contextlib.suppress(Exception):
            caches["security"].set(
                _seen_key(request.session.session_key or ""),
                now,
                timeout=round(session_seconds()) + SEEN_EVERY_SECONDS,
            )


def verify(request: HttpRequest, user: Any) -> Any:
    """django-otp's reading of the session: ``user.otp_device`` (the device it passed, if it
    still exists and is the account's) and ``user.is_verified()``."""
    device = None
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if persistent_id:
        device = Device.from_persistent_id(persistent_id)
        if device is not None and (device.user_id != user.pk or not device.confirmed):
            device = None
        if device is None:
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
    user.otp_device = device
    user.is_verified = functools.partial(is_verified, user)
    return user


def session_user(request: HttpRequest, user: Any, touch: bool) -> tuple[Any, Any]:
    """``(user, enrolling)``: the account this session may act as (else ``AnonymousUser``),
    and the account held at set-up after its password (else None).

    A session past its hours, or no longer meeting the two-factor rule, is ended (flushed).
    ``touch``: this request counts as use (a page, not a socket's re-check).
    """
    if not user.is_authenticated:
        return user, None
    user = verify(request, user)
    last = last_used(request)
    # A session with neither time was never logged in here: it counts as ended.
    if last is None or time.time() - last > session_seconds():
        end(request)
        return AnonymousUser(), None
    if twofactor.passes(user):
        if touch:
            _note_use(request, last)
        return user, None
    if twofactor.may_enrol(user, request.session.get(twofactor.LOGGED_IN_AT)):
        return AnonymousUser(), user
    end(request)
    return AnonymousUser(), None


def end(request: HttpRequest) -> None:
    """End the session (not the request's user object, which may be lazy)."""
    request.session.flush()


def user_of_session(session_key: str | None) -> Any:
    """The account session ``session_key`` may still act as, read afresh from the store (a live
    socket's check): ``AnonymousUser`` once it has ended in any way."""
    if not session_key:
        return AnonymousUser()
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user, _enrolling = session_user(request, auth.get_user(request), touch=False)
    return user


def mark_logged_in(request: HttpRequest) -> None:
    """Note the password step's time in the session (the hours count from it at the latest)."""
    request.session[twofactor.LOGGED_IN_AT] = time.time()
