"""Telling open pages that what they show has changed: explicitly, by the code that changed it.

An ``Announcer`` sends one channel-layer group a message for each change, once the change has
committed: a rolled-back change is never announced, and a transaction's many changes make
one announcement. Under the server the message goes out from its event loop
(``background``), so the request that made the change never waits for the channel layer;
there, a burst of changes shares a few rounds, each carrying every commit before it. In a
command or a test (no serving loop) it is sent before ``changed()`` returns.

Two announce to the watchers of today (``TODAY``: the live page, the projector's count):
the attendance app's, whose message carries the rendered count (``attendance.live``,
rendered once per round, not once per watcher, as a burst of check-ins needs), and
``today_changed``, said by the calendar's services when today's run itself changes
(cancelled, re-opened, removed, moved): its message carries nothing, and each watcher
reads the day afresh (``attendance.consumers``), which a few changes a day can afford.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections.abc import Callable
from contextvars import Context
from dataclasses import dataclass
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from redis.exceptions import RedisError

from runclub.lib import background

logger = logging.getLogger(__name__)

# Every socket showing today's run joins this group.
TODAY = "today"
# What ``today_changed`` sends: the consumer's handler is named after it (``today_changed``).
TODAY_CHANGED = "today.changed"
# A channel layer that has not answered within this is given up on; a Redis known to
# be down is skipped at once (runclub.lib.breaker).
LAYER_TIMEOUT = 3.0
# At most one round per this many seconds from one process and announcer; the first after
# a quiet spell goes at once.
MIN_INTERVAL = 0.2
# A round costs CPU (the attendance app's reads and renders the state), and on a small host
# (a tenth of a CPU) five rounds a second took a quarter of a burst's CPU from the
# check-ins. So after a round the next waits SPACING times as long as it took (longer on a
# slow host), keeping rounds to about a tenth of the time, but never more than MAX_INTERVAL.
SPACING = 9
MAX_INTERVAL = 2.0


@dataclass
class _Rounds:
    """One announcer's rounds on one serving loop."""

    next_at: float = float("-inf")
    # A commit not yet carried by a round that has made its message.
    news: bool = False
    # The task sending rounds while there is news; one at a time.
    sender: asyncio.Task[None] | None = None


class Announcer:
    """Sends ``group`` the message ``message()`` makes after each committed change.

    ``message`` runs after the commit, on a thread that may read the database; its
    ``"type"`` names the handler of the group's consumers. ``what`` names the news in logs.
    """

    def __init__(self, group: str, message: Callable[[], dict[str, Any]], what: str) -> None:
        self.group = group
        self.message = message
        self.what = what
        # Changes made and announced, per thread: a transaction's commit hooks run in the
        # thread that committed it.
        self._thread = threading.local()
        self._rounds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Rounds]
        self._rounds = weakref.WeakKeyDictionary()

    def changed(self) -> None:
        """Announce once the current transaction commits (at once outside one)."""
        self._thread.changes = getattr(self._thread, "changes", 0) + 1
        transaction.on_commit(partial(self._committed, self._thread.changes), robust=True)

    def _committed(self, change: int) -> None:
        if change <= getattr(self._thread, "announced", 0):
            return  # an announcement made after this commit already carries it
        self._thread.announced = self._thread.changes
        if not background.call_soon(self._start_round):
            async_to_sync(self._announce_here)()

    def _start_round(self) -> None:
        """On the serving loop: announce now, or once the last round's time is up."""
        loop = asyncio.get_running_loop()
        rounds = self._rounds.setdefault(loop, _Rounds())
        rounds.news = True
        if rounds.sender is None:
            # The task outlives the request that started it: a fresh context, and a worker
            # thread whose database connection database_sync_to_async closes afterwards.
            rounds.sender = loop.create_task(self._send_rounds(rounds), context=Context())

    async def _send_rounds(self, rounds: _Rounds) -> None:
        # Fifty watchers cannot take a message per check-in at peak (the layer then drops
        # them): during a burst, one message a moment later carries many changes.
        loop = asyncio.get_running_loop()
        try:
            while rounds.news:
                while (wait := rounds.next_at - loop.time()) > 0:
                    await asyncio.sleep(wait)
                rounds.news = False  # this round's message is made after every commit so far
                started = loop.time()
                try:
                    await self._send_round()
                finally:
                    took = loop.time() - started
                    spacing = max(MIN_INTERVAL, min(MAX_INTERVAL, took * SPACING))
                    rounds.next_at = loop.time() + spacing
        finally:
            rounds.sender = None

    async def _send_round(self) -> None:
        try:
            event = await database_sync_to_async(self.message)()
        except Exception:
            logger.warning(
                "%s not announced: the database could not be read", self.what, exc_info=True
            )
            return
        await _send(self.group, event, self.what)

    async def _announce_here(self) -> None:
        # In the committing thread, on its own database connection.
        await _send(self.group, await sync_to_async(self.message)(), self.what)


async def _send(group: str, event: dict[str, Any], what: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await asyncio.wait_for(layer.group_send(group, event), LAYER_TIMEOUT)
    except RedisError:
        # Redis is down: runclub.lib.breaker has said so once for the outage. Watchers are
        # sent the whole state when they reconnect.
        logger.debug("%s not announced: Redis unavailable", what, exc_info=True)
    except Exception:
        logger.warning("%s not announced", what, exc_info=True)


def _today_changed_message() -> dict[str, Any]:
    return {"type": TODAY_CHANGED}


_today = Announcer(TODAY, _today_changed_message, "today's run")


def today_changed() -> None:
    """Tell every watcher of today, once the current transaction commits, that today's run
    itself changed (cancelled, re-opened, added, removed, its time or place): they read it
    afresh.

    Said by the calendar's services (``calendar_app.services``) for a change to today's run,
    and by nothing else: views, the admin, the API and commands call those.
    """
    _today.changed()
