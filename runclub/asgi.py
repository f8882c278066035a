"""ASGI entry point, served by daphne (see Procfile)."""

from __future__ import annotations

import os

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class OneThreadASGIHandler(ASGIHandler):
    """Django's ASGI handler, running each request's middleware and view on one thread.

    Our middleware (WhiteNoise, sessions, CSRF, CSP...) is synchronous, and so are
    the views. Django's own handler would start the chain on a worker thread, hop
    back to the event loop below the last synchronous middleware and out again to
    a thread for the view (or, with async-capable middleware, hop once per hook).
    At peak every hop queues behind the event loop. Here the whole request is one
    hop, as under WSGI; ASGIHandler.handle still gives each request its own thread.
    """

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


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
