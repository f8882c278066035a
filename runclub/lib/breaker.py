"""Redis behind a circuit breaker: a hung or stopped Redis costs one short wait, not every request.

Every connection to Redis (the cache, the rate limits' counts, the channel layer) is
one of the connection classes below (settings pass them to redis-py's pools). Redis
gets ``REDIS_TIMEOUT`` seconds to answer; after a failure it is skipped for
``RETRY_AFTER`` seconds, during which commands fail at once with ``RedisSkipped``
(a redis ``ConnectionError``, so callers already handling Redis errors need nothing
new), and then one command is let through to probe it. An outage is logged once when
it starts and once when it ends, never once per request. A connection made before an
outage began is dropped and made afresh before its next command: its socket led to the
server as it was (stopped, restarted), and failing on it would start a new outage just as
the last one ended.

What callers do meanwhile: rate limits lapse (``RATELIMIT_FAIL_OPEN``), runs are read
from the database, live pages show "Reconnecting…" and catch up when Redis is back.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from redis import connection as sync_connection
from redis.asyncio import connection as async_connection
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0
# How long one probe may take before another caller may probe instead.
PROBE_WINDOW = 10.0
FAILURES = (ConnectionError, TimeoutError, OSError)


class RedisSkipped(ConnectionError):
    """Redis failed a moment ago and is not being asked again yet."""


class Breaker:
    """The state of one Redis server, shared by every connection to it in this process."""

    def __init__(self, server: str) -> None:
        self.server = server
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self._retry_at = 0.0
        self._prober: object = None
        self._probe_until = 0.0
        # Counts outages: a connection made in an earlier one is stale.
        self.outages = 0

    def check(self, connection: object) -> None:
        """Raise ``RedisSkipped`` while Redis is skipped; else let ``connection``'s command go."""
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            now = time.monotonic()
            probing = self._prober is not connection and now < self._probe_until
            if now < self._retry_at or probing:
                raise RedisSkipped(f"Redis at {self.server} is being skipped after a failure")
            # This connection probes: its commands go until it succeeds or fails.
            self._prober = connection
            self._probe_until = now + PROBE_WINDOW

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            outage = time.monotonic() - self.down_since
            self.down_since = None
            self._prober = None
            self._probe_until = 0.0
        logger.warning("Redis at %s answers again, after %.0f s", self.server, outage)

    def failed(self, error: BaseException) -> None:
        with self._lock:
            now = time.monotonic()
            first = self.down_since is None
            if first:
                self.down_since = now
                self.outages += 1
            self._retry_at = now + RETRY_AFTER
            self._prober = None
            self._probe_until = 0.0
        if first:
            logger.warning(
                "Redis at %s is not answering (%s: %s): skipping it, trying again every %.0f s. "
                "Meanwhile rate limits lapse, runs are read from the database and live pages "
                "wait to reconnect.",
                self.server,
                type(error).__name__,
                error,
                RETRY_AFTER,
            )


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(host: str, port: int | str) -> Breaker:
    server = f"{host}:{port}"
    with _breakers_lock:
        return _breakers.setdefault(server, Breaker(server))


class Connection(sync_connection.Connection):
    """redis-py's connection (cache, rate limits), failing fast while Redis is skipped."""

    made_after = 0  # the breaker's outage count when this connection was made

    @property
    def breaker(self) -> Breaker:
        return breaker_for(self.host, self.port)

    def connect_check_health(self, *args: Any, **kwargs: Any) -> None:
        if self._sock:
            return
        self.breaker.check(self)
        # Before connecting: the handshake's own commands go on this connection.
        self.made_after = self.breaker.outages
        try:
            super().connect_check_health(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise

    def send_packed_command(self, *args: Any, **kwargs: Any) -> None:
        if self._sock and self.made_after != self.breaker.outages:
            self.disconnect()
        self.breaker.check(self)
        try:
            super().send_packed_command(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        try:
            response = super().read_response(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise
        self.breaker.succeeded()
        return response


class AsyncConnection(async_connection.Connection):
    """redis-py's asyncio connection (the channel layer), sharing the same breaker."""

    made_after = 0

    @property
    def breaker(self) -> Breaker:
        return breaker_for(self.host, self.port)

    async def connect_check_health(self, *args: Any, **kwargs: Any) -> None:
        if self.is_connected:
            return
        self.breaker.check(self)
        # Before connecting: the handshake's own commands go on this connection.
        self.made_after = self.breaker.outages
        try:
            await super().connect_check_health(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise

    async def send_packed_command(self, *args: Any, **kwargs: Any) -> None:
        if self.is_connected and self.made_after != self.breaker.outages:
            await self.disconnect()
        self.breaker.check(self)
        try:
            await super().send_packed_command(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise

    async def read_response(self, *args: Any, **kwargs: Any) -> Any:
        try:
            response = await super().read_response(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise
        self.breaker.succeeded()
        return response
