"""The live count: what watchers see, and telling them when it changes.

Every message carries the whole state (today's count and latest check-ins), never "+1": the
channel layer may drop a message, and the next one repairs it. A watcher also gets the whole
state on every (re)connect and at the club's midnight.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import threading
import time
import weakref
from contextvars import Context
from dataclasses import dataclass
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from redis.exceptions import RedisError

from attendance.models import Attendance
from calendar_app.models import Run, club_today
from runclub.lib import background

logger = logging.getLogger(__name__)

GROUP = "live"
WS_PATH = "/ws/live/"
BOARD = "attendance/live.html#board"
LATEST = 10
# A channel layer that has not answered within this is given up on; a Redis known to
# be down is skipped at once (runclub.lib.breaker).
LAYER_TIMEOUT = 3.0
# At most one announcement per this many seconds from one process; the first after a quiet
# spell goes at once.
MIN_INTERVAL = 0.2
# A round costs CPU (reading and rendering the state), and on a small host (a tenth of a
# CPU) five rounds a second took a quarter of a burst's CPU from the check-ins. So after a
# round the next waits SPACING times as long as it took (longer on a slow host), keeping
# rounds to about a tenth of the time, but never more than MAX_INTERVAL.
SPACING = 9
MAX_INTERVAL = 2.0
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


# Pages showing "today" reload this long after the club's midnight, so the server has moved
# on to the new day.
FOLLOW_DAY_MARGIN_SECONDS = 2


def follow_day() -> dict[str, int]:
    """For pages showing "today": reload at the club's midnight (templates/follow_day.html)."""
    return {"follow_day_seconds": math.ceil(seconds_to_midnight()) + FOLLOW_DAY_MARGIN_SECONDS}


# Changes made and announced, per thread: a transaction's commit hooks run in the thread
# that committed it.
_thread = threading.local()


def checkins_changed() -> None:
    """Tell every watcher today's state once the current transaction commits.

    Called by the service functions that change check-ins (``attendance.services``), and
    by nothing else: views, the admin and commands call those. Inside a transaction it
    waits for the commit (a rolled-back change is never announced, and a transaction's
    many changes make one announcement); outside one it announces at once. Under the
    server the announcement goes out from its event loop: the caller never waits for
    the channel layer. In a command or a test it is sent before this returns.
    """
    _thread.changes = getattr(_thread, "changes", 0) + 1
    transaction.on_commit(partial(_committed, _thread.changes), robust=True)


def _committed(change: int) -> None:
    if change <= getattr(_thread, "announced", 0):
        return  # an announcement made after this commit already carries it
    _thread.announced = _thread.changes
    if not background.call_soon(_start_round):
        async_to_sync(_announce_here)()


@dataclass
class _Rounds:
    """Announcements on the serving loop: a burst of check-ins shares a few messages."""

    next_at: float = float("-inf")
    # A commit not yet carried by a round that has read the database.
    news: bool = False
    # The task sending rounds while there is news; one at a time.
    sender: asyncio.Task[None] | None = None


_rounds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Rounds] = weakref.WeakKeyDictionary()


def _start_round() -> None:
    """On the serving loop: announce now, or once the last round's time is up."""
    loop = asyncio.get_running_loop()
    rounds = _rounds.setdefault(loop, _Rounds())
    rounds.news = True
    if rounds.sender is None:
        # The task outlives the request that started it: a fresh context, and a worker
        # thread whose database connection database_sync_to_async closes afterwards.
        rounds.sender = loop.create_task(_send_rounds(rounds), context=Context())


async def _send_rounds(rounds: _Rounds) -> None:
    # Fifty watchers cannot take a message per check-in at peak (the layer then drops
    # them): during a burst, one message a moment later carries many check-ins.
    loop = asyncio.get_running_loop()
    try:
        while rounds.news:
            while (wait := rounds.next_at - loop.time()) > 0:
                await asyncio.sleep(wait)
            rounds.news = False  # this round reads the database after every commit so far
            started = loop.time()
            try:
                await _send_round()
            finally:
                took = loop.time() - started
                spacing = max(MIN_INTERVAL, min(MAX_INTERVAL, took * SPACING))
                rounds.next_at = loop.time() + spacing
    finally:
        rounds.sender = None


async def _send_round() -> None:
    try:
        event = await database_sync_to_async(_current_event)()
    except Exception:
        logger.warning("live count not announced: the database could not be read", exc_info=True)
        return
    await _send(event)


async def _announce_here() -> None:
    # In the committing thread, on its own database connection.
    await _send(await sync_to_async(_current_event)())


async def _send(event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await asyncio.wait_for(layer.group_send(GROUP, event), LAYER_TIMEOUT)
    except RedisError:
        # Redis is down: runclub.lib.breaker has said so once for the outage. Watchers are
        # sent the whole state when they reconnect.
        logger.debug("live count not announced: Redis unavailable", exc_info=True)
    except Exception:
        logger.warning("live count not announced", exc_info=True)


def _current_event() -> dict[str, Any]:
    return snapshot().event()
