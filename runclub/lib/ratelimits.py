"""Abuse limits: who the client is, and how many posts it may make.

django-ratelimit counts; this module decides the keys. The limits fail open: if
the cache cannot be reached, runners still check in (and a warning is logged).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit import ALL
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Limits count per minute; the window resets within one.
RETRY_AFTER_SECONDS = 60

View = Callable[..., HttpResponse]


def client_address(request: HttpRequest) -> str:
    """The real client's address: REMOTE_ADDR, or the proxies' record of it.

    With ``TRUSTED_PROXY_COUNT`` = N, each of our N proxies appended the address
    it saw to X-Forwarded-For, so the client is the Nth entry from the right.
    Entries further left were written by the client and prove nothing.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [entry for entry in forwarded if entry]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _browser(request: HttpRequest) -> str:
    """One phone or script: its CSRF cookie (every form post has one), else its user agent.

    Keyed with the address too, so a cookie copied across many machines (a load test,
    a shared script) is not one bucket for all of them. An API client without cookies
    is told apart by its User-Agent on its address; one that changes it every time
    still meets the per-address limit.
    """
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if cookie:
        return f"{client_address(request)}|cookie|{cookie}"
    agent = request.META.get("HTTP_USER_AGENT", "")
    return f"{client_address(request)}|agent|{hashlib.sha256(agent.encode()).hexdigest()}"


@dataclass(frozen=True)
class Limit:
    group: str
    setting: str  # the settings name holding the rate, e.g. "20/m"
    key: Callable[[HttpRequest], str | None]


# One budget per address for the form and the API together: what bounds a flood.
CHECKIN_PER_ADDRESS = Limit("checkin-address", "RATELIMIT_CHECKIN_PER_ADDRESS", client_address)
# One phone: a volunteer checking in friends meets it, and is told how long to wait.
CHECKIN_PER_BROWSER = Limit("checkin-browser", "RATELIMIT_CHECKIN_PER_BROWSER", _browser)
CHECKIN_LIMITS = (CHECKIN_PER_ADDRESS, CHECKIN_PER_BROWSER)
# Log-in posts per address (a browser that has logged in before is not counted). Wrong
# passwords per username are django-axes' (runclub.accounts.lockouts), in the database.
LOGIN_LIMITS = (Limit("login-address", "RATELIMIT_LOGIN_PER_ADDRESS", client_address),)
# Short codes guessed wrong, from the check-in pages and the API alike (attendance.codes).
WRONG_CODE_LIMIT = Limit("wrong-code-address", "RATELIMIT_WRONG_CODE_PER_ADDRESS", client_address)


class Exceeded(Ratelimited):
    """Past ``limit``: ``allowed`` in its window, the window ending in ``seconds_left``."""

    def __init__(self, limit: Limit, allowed: int, seconds_left: int) -> None:
        super().__init__(limit.group)
        self.limit = limit
        self.allowed = allowed
        self.seconds_left = seconds_left


# Where a refused request notes the limit it met, for its log line (runclub.lib.requestlog).
_MET = "runclub.limit_met"


def limit_met(request: HttpRequest) -> str:
    """The setting of the limit ``request`` was refused under, or ""."""
    return str(request.META.get(_MET, ""))


def _note(request: HttpRequest, limit: Limit) -> None:
    request.META[_MET] = limit.setting


def enforce(request: HttpRequest, limits: tuple[Limit, ...]) -> None:
    """Count this request against ``limits``; raise ``Exceeded`` (a ``Ratelimited``) past
    any of them."""
    for limit in limits:
        usage = _usage(request, limit, increment=True, method="POST")
        if usage is not None and usage["count"] > _allowed(limit):
            # django-ratelimit's windows are fixed: the count starts again the second after
            # this one ends (at its last second the window is still this one).
            seconds_left = min(max(int(usage["time_left"]), 0) + 1, window_seconds(limit))
            _note(request, limit)
            raise Exceeded(limit, _allowed(limit), seconds_left)


def exceeded(request: HttpRequest, limit: Limit) -> bool:
    """Whether ``request``'s client has used up ``limit`` already (this request not counted)."""
    used = _used(request, limit, increment=False)
    if used is not None and used >= _allowed(limit):
        _note(request, limit)
        return True
    return False


def count(request: HttpRequest, limit: Limit) -> None:
    """Count one against ``request``'s client under ``limit`` (e.g. a wrong code)."""
    _used(request, limit, increment=True)


def _used(request: HttpRequest, limit: Limit, increment: bool, method: object = ALL) -> int | None:
    """How many ``request``'s client has used of ``limit`` in this window (this request too,
    if ``increment``); None if it is not counted: another method, no key, or no cache (the
    limits fail open, RATELIMIT_FAIL_OPEN)."""
    usage = _usage(request, limit, increment, method)
    return None if usage is None else int(usage["count"])


def _usage(
    request: HttpRequest, limit: Limit, increment: bool, method: object = ALL
) -> dict[str, int] | None:
    """django-ratelimit's count and seconds left in this window, or None (as ``_used``)."""
    value = limit.key(request)
    if value is None:
        return None
    try:
        usage = get_usage(
            request,
            group=limit.group,
            key=lambda _group, _request: value,
            rate=getattr(settings, limit.setting),
            method=method,
            increment=increment,
        )
    except RedisError:
        # Redis is down: runclub.lib.breaker has said so once for the whole outage.
        return None
    if usage is None:
        return None
    return {"count": int(usage["count"]), "time_left": int(usage["time_left"])}


def _allowed(limit: Limit) -> int:
    return int(getattr(settings, limit.setting).partition("/")[0])


def log_refusal(request: HttpRequest, exception: Ratelimited) -> None:
    """One line per refusal, page or API, with the address it counted."""
    logger.warning(
        "rate limit %s hit by %s on %s", exception, client_address(request), request.path
    )


def window_seconds(limit: Limit) -> int:
    """How long ``limit`` counts over: 600 for "30/10m". A client past it may wait that long."""
    rate = re.fullmatch(r"\d+/(\d*)([smhd])", getattr(settings, limit.setting))
    assert rate is not None, "rates are checked when settings load (runclub.lib.env.envrate)"
    multiple, period = rate.groups()
    return int(multiple or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[period]


def limited(*limits: Limit) -> Callable[[View], View]:
    """Decorate a view so its POSTs count against ``limits``."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            enforce(request, limits)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
