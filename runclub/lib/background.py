"""Work a request hands to the server's event loop instead of waiting for it.

A check-in's live announcement goes out from the event loop daphne serves on, so the
runner's answer never waits for the channel layer. ``ServingLoop`` wraps the ASGI
application and notes that loop; in a management command or a test there is none,
and callers do the work where they are.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from asgiref.typing import ASGIReceiveCallable, ASGISendCallable, Scope

_loop: asyncio.AbstractEventLoop | None = None


class ServingLoop:
    """ASGI middleware: remembers the event loop the application is served on."""

    def __init__(self, app: Callable[..., object]) -> None:
        self.app = app

    async def __call__(
        self, scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable
    ) -> None:
        global _loop
        _loop = asyncio.get_running_loop()
        await self.app(scope, receive, send)  # type: ignore[misc]


def call_soon(callback: Callable[[], object]) -> bool:
    """Run ``callback`` on the serving loop and return at once; False if no loop is serving."""
    loop = _loop
    if loop is None or not loop.is_running():
        return False
    try:
        loop.call_soon_threadsafe(callback)
    except RuntimeError:  # closed between the check and the call
        return False
    return True
