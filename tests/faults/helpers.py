"""Timing a real server's answers the way a phone or a laptop sees them."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import aiohttp

from tests.phone import Answer, Phone

T = TypeVar("T")
COUNT = re.compile(r'id="attendance-count">(\d+)<')


def timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.monotonic()
    result = action()
    return time.monotonic() - started, result


def get(port: int, path: str) -> Answer:
    return Phone(port).request("GET", path)


def stylesheet(page: Answer) -> str:
    match = re.search(r'href="(/static/[^"]+\.css)"', page.body)
    assert match, "the page links no stylesheet"
    return match.group(1)


async def _first_count(port: int, timeout: float) -> int:
    url = f"http://127.0.0.1:{port}"
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
        session.ws_connect(f"{url.replace('http', 'ws', 1)}/ws/live/", origin=url) as socket,
    ):
        message = await socket.receive_str()
    match = COUNT.search(message)
    assert match, message
    return int(match.group(1))


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to the end on a loop of its own, in a thread of its own.

    The browser tests' Playwright keeps an event loop running in the main thread.
    """
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def live_count_on_connect(port: int, timeout: float = 20) -> int:
    """Open /ws/live/ as the live page does and read the count it is sent first."""
    return run_apart(_first_count(port, timeout))


def live_count_once_accepted(port: int) -> int | None:
    """The count on connect, or None while the server refuses watchers for now.

    After an outage the server refuses the socket (HTTP 403) until the breaker lets it
    try Redis again; the live page reconnects after a refusal, and so does a test.
    """
    try:
        return live_count_on_connect(port)
    except aiohttp.WSServerHandshakeError as refused:
        assert refused.status == 403, refused
        return None


def until(condition: Callable[[], bool], timeout: float, every: float = 0.2) -> float:
    """Seconds until ``condition()`` held; fails past ``timeout``."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"not within {timeout} s"
        time.sleep(every)
    return time.monotonic() - started


async def _announced(
    port: int, action: Callable[[], object], expected: int, timeout: float
) -> None:
    url = f"http://127.0.0.1:{port}"
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
        session.ws_connect(f"{url.replace('http', 'ws', 1)}/ws/live/", origin=url) as socket,
    ):
        await socket.receive_str()  # the state on connect
        await asyncio.to_thread(action)
        while True:
            match = COUNT.search(await socket.receive_str())
            if match and int(match.group(1)) == expected:
                return


def announced(port: int, action: Callable[[], object], expected: int, timeout: float = 10) -> None:
    """A watcher already connected is sent ``expected`` after ``action`` (a check-in)."""
    run_apart(_announced(port, action, expected, timeout))
