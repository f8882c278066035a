"""Refused check-ins, for organisers: "14 tries today with last Tuesday's code".

Counted without names, per day, run and reason. A flood of refusals must not become a
flood of database writes: each attempt only increments a counter in the cache, and the
first attempt after a quiet spell of ``FLUSH_SECONDS`` moves what has piled up into the
database. Readers add what is still in the cache, so the figures are always current. What
the last attempts of a day left in the cache is moved each night (``flush_pending``,
``manage.py flush_failed_attempts``), before the cache forgets it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django_ratelimit.exceptions import Ratelimited
from redis.exceptions import RedisError

from attendance.models import FailedAttempt
from calendar_app.models import CheckinState, Run, club_today
from runclub.lib.ratelimits import CHECKIN_LIMITS, enforce

logger = logging.getLogger(__name__)

Reason = FailedAttempt.Reason
# At most one database write per day, run and reason in this many seconds (per cache: per
# site with REDIS_URL, per process without).
FLUSH_SECONDS = 10
# Counters left in the cache after their last flush (a quiet day) live this long.
KEEP_DAYS = 3
KEEP_SECONDS = KEEP_DAYS * 24 * 3600

CLOSED_REASONS = {
    CheckinState.OVER: Reason.OVER,
    CheckinState.CANCELLED: Reason.CANCELLED,
    CheckinState.NOT_YET: Reason.NOT_YET,
}


# The cache keys' prefix (tests give each test its own).
PREFIX = "failed-checkins"


def _key(day: dt.date, run_id: int | None, reason: str) -> str:
    return f"{PREFIX}:{day.isoformat()}:{run_id or 0}:{reason}"


def _index(day: dt.date) -> str:
    """The day's list of counters (``<index>`` their number, ``<index>:<n>`` each one's run and
    reason): what the nightly flush looks for, since a cache cannot list its keys."""
    return f"{PREFIX}:{day.isoformat()}:counters"


def record(reason: str, run: Run | None = None) -> None:
    """Count one refused check-in (``reason`` one of ``FailedAttempt.Reason``).

    Never raises for a cache or database problem: counting must not turn a refusal into
    an error page.
    """
    reason = Reason(reason)
    day = club_today()
    run_id = run.pk if run is not None else None
    key = _key(day, run_id, reason)
    try:
        if cache.add(key, 0, KEEP_SECONDS):
            # This process made the counter (adding is atomic): it lists it, once.
            cache.add(_index(day), 0, KEEP_SECONDS)
            slot = cache.incr(_index(day))
            cache.set(f"{_index(day)}:{slot}", (run_id, str(reason)), KEEP_SECONDS)
        cache.incr(key)
        if not cache.add(f"{key}:flushed", 1, FLUSH_SECONDS):
            return
        pending = cache.get(key) or 0
    except (RedisError, OSError, ValueError):
        logger.warning("refused check-in not counted: cache unavailable", exc_info=True)
        return
    if pending:
        _flush(key, day, run_id, reason, pending)


def _flush(key: str, day: dt.date, run_id: int | None, reason: str, pending: int) -> bool:
    """Move ``pending`` counts from the cache into the day's tally; whether they moved."""
    tally = FailedAttempt.objects.filter(day=day, run=run_id, reason=reason)
    try:
        with transaction.atomic():
            if not tally.update(count=F("count") + pending):
                FailedAttempt.objects.create(day=day, run_id=run_id, reason=reason, count=pending)
    except IntegrityError:
        # Another process made the row a moment ago (or the run was deleted).
        try:
            if not tally.update(count=F("count") + pending):
                return False
        except DatabaseError:
            logger.warning("refused check-ins not saved; kept in the cache", exc_info=True)
            return False
    except DatabaseError:
        logger.warning("refused check-ins not saved; kept in the cache", exc_info=True)
        return False
    try:
        cache.decr(key, pending)
    except (RedisError, OSError, ValueError):
        logger.warning("refused check-in counter not reset", exc_info=True)
    return True


def flush_pending() -> int:
    """Move every count still waiting in the cache (the last of each day's refusals, which
    no later attempt flushed) into the database; how many moved. The nightly job."""
    moved = 0
    today = club_today()
    for day in (today - dt.timedelta(days=back) for back in range(KEEP_DAYS + 1)):
        try:
            listed = cache.get(_index(day)) or 0
            counters = cache.get_many([f"{_index(day)}:{n}" for n in range(1, listed + 1)])
            keys = {
                _key(day, run_id, reason): (run_id, reason) for run_id, reason in counters.values()
            }
            pending = cache.get_many(list(keys))
        except (RedisError, OSError):
            logger.warning("refused check-ins not flushed: cache unavailable", exc_info=True)
            return moved
        for key, count in pending.items():
            run_id, reason = keys[key]
            if count and _flush(key, day, run_id, reason, count):
                moved += count
    return moved


def record_closed(run: Run, state: CheckinState) -> None:
    record(CLOSED_REASONS[state], run)


def enforce_checkin_limits(request: HttpRequest, session_id: str | None = None) -> None:
    """The check-in rate limits; a refusal is counted (against the run, when known)."""
    try:
        enforce(request, CHECKIN_LIMITS)
    except Ratelimited:
        record(Reason.RATE_LIMITED, Run.for_checkin(session_id) if session_id else None)
        raise


@dataclass(frozen=True)
class Tally:
    day: dt.date
    run: Run | None
    reason: str
    count: int


def tallies(run: Run) -> list[Tally]:
    """Refusals at ``run``'s own link (any day), and on its day at other links or none."""
    rows = list(
        FailedAttempt.objects.filter(Q(run=run) | Q(day=run.date))
        .select_related("run")
        .order_by("day", "reason", "run__date")
    )
    try:
        pending = cache.get_many([_key(row.day, row.run_id, row.reason) for row in rows])
    except (RedisError, OSError):
        pending = {}
    return [
        Tally(
            row.day,
            row.run,
            row.reason,
            row.count + pending.get(_key(row.day, row.run_id, row.reason), 0),
        )
        for row in rows
    ]
