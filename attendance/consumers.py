"""``/ws/live/``: today's count (and, for those allowed, the latest names) as it changes."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from redis.exceptions import RedisError

from attendance import live
from runclub.accounts.roles import session_may_see_names
from runclub.lib import announce

logger = logging.getLogger(__name__)

# "Try again later". The WebSocket library under daphne lets an application close with
# 1000 or 3000-4999 only (1013 would reach the browser as 1011), so this is 1013 in the
# private range; static/js/live.js reconnects after it, with backoff.
TRY_AGAIN_LATER = 4013
# How often a watcher shown names checks its session is still good (runclub.accounts.sessions):
# a log-out, a password change, reset_2fa or ADMIN_SESSION_HOURS unused ends the names this soon.
SESSION_CHECK_SECONDS = 30
# How an unreachable channel layer (Redis) shows itself.
LAYER_ERRORS = (RedisError, OSError, TimeoutError)


class LiveConsumer(AsyncWebsocketConsumer):
    midnight: asyncio.Task[None] | None = None
    session_check: asyncio.Task[None] | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # The layer can fail under a connected watcher too (Redis stopped): close so the
        # page shows "reconnecting" and retries, rather than dying with a server error.
        try:
            await super().__call__(scope, receive, send)
        except LAYER_ERRORS:
            # Redis's outage is logged once by runclub.lib.breaker, not once per watcher.
            logger.debug("live watcher dropped: channel layer unavailable", exc_info=True)
            self.stop_tasks()
            await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})

    async def connect(self) -> None:
        self.stamp = 0.0
        query = parse_qs(self.scope.get("query_string", b"").decode())
        # The projector shows the count alone, even to staff: a room full of people can read it.
        count_only = query.get("view") == ["count"]
        self.session_key: str | None = self.scope["session"].session_key
        self.show_names = not count_only and await self.names_allowed()
        try:
            await asyncio.wait_for(
                self.channel_layer.group_add(announce.TODAY, self.channel_name),
                announce.LAYER_TIMEOUT,
            )
        except LAYER_ERRORS:
            logger.debug("live watcher refused: channel layer unavailable", exc_info=True)
            await self.close(code=TRY_AGAIN_LATER)
            return
        await self.accept()
        await self.send_current_state()
        self.midnight = asyncio.create_task(self.follow_midnight())
        if self.show_names:
            self.session_check = asyncio.create_task(self.follow_session())

    def stop_tasks(self) -> None:
        for task in (self.midnight, self.session_check):
            if task is not None:
                task.cancel()

    async def disconnect(self, code: int) -> None:
        self.stop_tasks()
        try:
            await asyncio.wait_for(
                self.channel_layer.group_discard(announce.TODAY, self.channel_name),
                announce.LAYER_TIMEOUT,
            )
        except LAYER_ERRORS:
            logger.info("live watcher left while the channel layer was unavailable")

    async def live_state(self, event: dict[str, Any]) -> None:
        """New check-ins: the board comes rendered, once for every watcher."""
        names = await self.still_shows_names()
        await self.send_board(event["stamp"], event["names" if names else "public"])

    async def today_changed(self, event: dict[str, Any]) -> None:
        """Today's run itself changed (cancelled, re-opened, removed, moved): the message
        says only that (the calendar cannot render this app's board), so read it afresh."""
        await self.send_current_state()

    async def send_current_state(self) -> None:
        names = await self.still_shows_names()
        state = await database_sync_to_async(live.snapshot)()
        await self.send_board(state.stamp, state.render(names=names))

    async def names_allowed(self) -> bool:
        return await database_sync_to_async(session_may_see_names)(self.session_key)

    async def still_shows_names(self) -> bool:
        """Names only while the watcher's session still allows them: after a log-out, counts."""
        if self.show_names and not await self.names_allowed():
            self.show_names = False
        return self.show_names

    async def send_board(self, stamp: float, board: str) -> None:
        # Announcements from parallel check-ins can arrive out of order: an older snapshot
        # must not overwrite a newer one on the screen.
        if stamp < self.stamp:
            return
        self.stamp = stamp
        await self.send(text_data=board)

    async def follow_session(self) -> None:
        """Between announcements too: once the session has ended, the screen shows counts."""
        while self.show_names:
            await asyncio.sleep(SESSION_CHECK_SECONDS)
            if not await self.still_shows_names():
                await self.send_current_state()

    async def follow_midnight(self) -> None:
        """Move the page to the new day at the club's midnight, without a reload."""
        while True:
            await asyncio.sleep(live.seconds_to_midnight() + live.MIDNIGHT_MARGIN)
            await self.send_current_state()
