"""The live count: what watchers see, and telling them when it changes.

Every message carries the whole state (today's count and latest check-ins), never "+1": the
channel layer may drop a message, and the next one repairs it. A watcher also gets the whole
state on every (re)connect and at the club's midnight.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from contextvars import Context
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from attendance.models import Attendance
from calendar_app.models import Run, club_today

logger = logging.getLogger(__name__)

GROUP = "live"
WS_PATH = "/ws/live/"
BOARD = "attendance/live.html#board"
LATEST = 10
# A channel layer that does not answer within this must not hold up a runner's check-in.
LAYER_TIMEOUT = 2.0
# At most one announcement per this many seconds from one process; the first after a quiet
# spell goes at once.
MIN_INTERVAL = 0.2
# Wake a little after midnight: a timer that fires early would find yesterday still there.
MIDNIGHT_MARGIN = 0.5


@dataclass(frozen=True)
class LiveState:
    day: dt.date
    run: Run | None
    count: int
    latest: list[Attendance]
    # Runners among the latest whose check-in today is their first with the club: the
    # committee's names view marks them, so someone can welcome them.
    first_timers: frozenset[int]
    # Wall-clock time just before the snapshot was read. Every commit before it is in the
    # snapshot, so of two messages the one with the later stamp is the truer.
    stamp: float

    def render(self, *, names: bool, oob: bool = True) -> str:
        context = {"live": self, "show_names": names, "oob": oob}
        return render_to_string(BOARD, context)

    def event(self) -> dict[str, Any]:
        """The channel-layer message: rendered once per change, not once per watcher."""
        return {
            "type": "live.state",
            "stamp": self.stamp,
            "public": self.render(names=False),
            "names": self.render(names=True),
        }


def snapshot() -> LiveState:
    stamp = time.time()
    day = club_today()
    run = Run.objects.filter(date=day).with_counts().first()
    if run is None:
        return LiveState(day, None, 0, [], frozenset(), stamp)
    latest = list(run.attendances.order_by("-registered_at", "-pk")[:LATEST])
    runners = {attendance.runner_id for attendance in latest}
    returning = (
        Attendance.objects.filter(runner__in=runners)
        .exclude(run=run)
        .values_list("runner_id", flat=True)
        .distinct()
    )
    first_timers = frozenset(runners.difference(returning))
    return LiveState(day, run, run.checkin_count, latest, first_timers, stamp)


def seconds_to_midnight(now: dt.datetime | None = None) -> float:
    """Seconds until the next midnight in the club's time zone (DST-aware)."""
    local = timezone.localtime(now)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), local.tzinfo)
    return (midnight.astimezone(dt.UTC) - local.astimezone(dt.UTC)).total_seconds()


def announce() -> None:
    """Send today's state to every watcher. Runs after a commit; never fails the caller."""
    async_to_sync(_announce)()


@dataclass
class _Rounds:
    """Announcements on one event loop: a burst of check-ins shares a few messages."""

    next_at: float = float("-inf")
    # A round waiting for its turn; it has not read the database yet.
    pending: asyncio.Task[None] | None = None


_rounds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Rounds] = weakref.WeakKeyDictionary()


async def _announce() -> None:
    loop = asyncio.get_running_loop()
    rounds = _rounds.setdefault(loop, _Rounds())
    if rounds.pending is not None:
        return  # that round reads the database after this commit, so it carries it
    delay = rounds.next_at - loop.time()
    if delay <= 0:
        # In the committing request's own thread, on its own database connection.
        await _send_round(rounds, sync_to_async(_current_event))
    else:
        # Fifty watchers cannot take a message per check-in at peak (the layer then drops
        # them): during a burst, one message a moment later carries many check-ins. Only a
        # loop that has announced before waits, so it is a long-lived one (daphne's).
        # The task outlives the request that started it: a fresh context, and a worker
        # thread whose database connection database_sync_to_async closes afterwards.
        read = database_sync_to_async(_current_event)
        rounds.pending = loop.create_task(_send_round(rounds, read, delay), context=Context())


async def _send_round(
    rounds: _Rounds, read: Callable[[], Awaitable[dict[str, Any]]], delay: float = 0.0
) -> None:
    try:
        await asyncio.sleep(delay)
    finally:
        rounds.pending = None
    rounds.next_at = asyncio.get_running_loop().time() + MIN_INTERVAL
    try:
        event = await read()
        await asyncio.wait_for(get_channel_layer().group_send(GROUP, event), LAYER_TIMEOUT)
    except Exception:
        # Usually the channel layer (Redis) being down. A check-in that was saved stays
        # saved; watchers catch up when they reconnect.
        logger.warning("live count not announced", exc_info=True)


def _current_event() -> dict[str, Any]:
    return snapshot().event()


def checkins_changed() -> None:
    """Check-ins were added, moved or removed: announce once the transaction commits.

    Called by every path that changes check-ins; at once outside a transaction, and once
    per transaction however many times it is called inside one.
    """
    connection = transaction.get_connection()
    if any(func is announce for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(announce, robust=True)


def attendance_changed(sender: type[Attendance], using: str = "default", **kwargs: Any) -> None:
    """post_save / post_delete: announce once the transaction commits, once per transaction."""
    # An admin bulk delete sends one signal per row; one announcement after commit is enough.
    checkins_changed()
