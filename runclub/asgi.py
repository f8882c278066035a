"""ASGI entry point, served by daphne (see Procfile)."""

from __future__ import annotations

import asyncio
import os
import weakref

import django
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class OneThreadASGIHandler(ASGIHandler):
    """Django's ASGI handler, running each request's middleware and view on one thread.

    Our middleware (WhiteNoise, sessions, CSRF, CSP...) is synchronous, and so are
    the views. Django's own handler would start the chain on a worker thread, hop
    back to the event loop below the last synchronous middleware and out again to
    a thread for the view (or, with async-capable middleware, hop once per hook).
    At peak every hop queues behind the event loop. Here the whole request is one
    hop, as under WSGI; ASGIHandler.handle still gives each request its own thread.

    At most settings.REQUEST_THREADS requests run Django code at once; the rest
    wait on the event loop, which costs nothing, instead of a hundred threads
    taking turns at Python's GIL (and at SQLite's write lock). A streamed response
    is sent after its request has given its place back.
    """

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        chain = sync_to_async(self._middleware_chain, thread_sensitive=True)
        # One semaphore per event loop: daphne has one, a test suite may start many.
        places: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        places = weakref.WeakKeyDictionary()

        async def middleware_chain(request: HttpRequest) -> HttpResponseBase:
            loop = asyncio.get_running_loop()
            if loop not in places:
                places[loop] = asyncio.Semaphore(settings.REQUEST_THREADS)
            async with places[loop]:
                return await chain(request)

        self._middleware_chain = middleware_chain


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runclub.settings")
django.setup(set_prefix=False)
django_asgi_app = OneThreadASGIHandler()

# These import models, so they need Django set up first.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from attendance.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
