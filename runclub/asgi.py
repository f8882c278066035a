"""ASGI entry point, served by daphne (see Procfile)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import weakref
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from runclub.lib import background
from runclub.lib.http import READING_METHODS
from runclub.lib.sqlite3.base import write_deadline
from runclub.lib.startup import says_why_in_one_line


class _Places:
    """REQUEST_THREADS places for one kind of request (reading or writing), each a thread.

    A request waits for a place on the event loop, then runs all its synchronous work on
    the place's thread; the threads, and the SQLite connections on them, are kept.
    """

    def __init__(self, size: int) -> None:
        self.free = asyncio.Semaphore(size)
        self.idle: list[ThreadPoolExecutor] = []

    @contextlib.asynccontextmanager
    async def thread(self) -> AsyncIterator[ThreadPoolExecutor]:
        async with self.free:
            thread = (
                self.idle.pop()
                if self.idle
                else ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")
            )
            try:
                yield thread
            finally:
                self.idle.append(thread)


class OneThreadASGIHandler(ASGIHandler):
    """Django's ASGI handler, running each request's middleware and view on one thread.

    Our middleware (WhiteNoise, sessions, CSRF, CSP...) is synchronous, and so are
    the views. Django's own handler would start the chain on a worker thread, hop
    back to the event loop below the last synchronous middleware and out again to
    a thread for the view (or, with async-capable middleware, hop once per hook).
    At peak every hop queues behind the event loop. Here the whole chain is one
    hop, as under WSGI.

    At most settings.REQUEST_THREADS reading requests (GET, HEAD, OPTIONS) and as
    many writing ones run at once, each on a thread of its kind's places: the rest
    wait on the event loop, which costs nothing, instead of a hundred threads taking
    turns at Python's GIL (and at SQLite's write lock). Readers and writers queue
    apart, so writers stuck behind a database lock never hold up a page, a static
    file or a read. A writer's SQLITE_BUSY_TIMEOUT runs from its arrival, queueing
    included (``runclub.lib.sqlite3``).

    A place's thread is started once and kept (twice REQUEST_THREADS threads at most),
    through asgiref's ``ThreadSensitiveContext(executor=...)``: all of a request's
    synchronous work (request_started, middleware and view, closing the response) runs
    on it. Django's default starts a thread per request and joins it after; kept threads
    keep their SQLite connection too (CONN_MAX_AGE, ``runclub.settings``). A view still
    running after its client left keeps its place until it ends.
    """

    def __init__(self) -> None:
        super().__init__()
        # One pair of place sets per event loop: daphne has one, a test suite may start many.
        self.places: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[bool, _Places]]
        self.places = weakref.WeakKeyDictionary()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        loop = asyncio.get_running_loop()
        if loop not in self.places:
            size = settings.REQUEST_THREADS
            self.places[loop] = {True: _Places(size), False: _Places(size)}
        places = self.places[loop][scope["method"] in READING_METHODS]
        with write_deadline(settings.SQLITE_BUSY_TIMEOUT):
            async with places.thread() as thread, ThreadSensitiveContext(executor=thread):
                await self.handle(scope, receive, send)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        # Django's synchronous chain, as load_middleware(is_async=False) built it, in one hop.
        sync_chain: Callable[[HttpRequest], HttpResponseBase]
        sync_chain = self._middleware_chain  # type: ignore[has-type]
        self._middleware_chain = sync_to_async(sync_chain, thread_sensitive=True)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runclub.settings")
with says_why_in_one_line():  # a misconfigured start stops in one line, no traceback
    django.setup(set_prefix=False)

# These import models, so they come once the apps are loaded; Twisted's reactor too, once
# daphne's app has installed the asyncio one.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from twisted.internet import reactor  # noqa: E402

from attendance.routing import websocket_urlpatterns  # noqa: E402
from runclub import nightly  # noqa: E402


def build_application(http: ASGIHandler) -> background.ServingLoop:
    """HTTP through ``http``, the live count's WebSocket through Channels."""
    router = ProtocolTypeRouter(
        {
            "http": http,
            # Scheme, host and port of the site's own pages (settings.WEBSOCKET_ALLOWED_ORIGINS).
            "websocket": OriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
                settings.WEBSOCKET_ALLOWED_ORIGINS,
            ),
        }
    )
    return background.ServingLoop(router)


application = build_application(OneThreadASGIHandler())
# daphne serves the application on Twisted's reactor (installed when Django loads daphne's
# app): the nightly jobs start when the server does. A process that only imports this module
# (the tests, a command) never runs the reactor, so starts nothing.
reactor.callWhenRunning(nightly.start)
