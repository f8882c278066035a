"""The app served through Django's own ASGI handler: one side of the layers' A/B.

The same application as ``runclub.asgi`` (Channels, the live socket, the serving loop
the live announcement needs) with ``django.core.handlers.asgi.ASGIHandler`` for HTTP
instead of ``runclub.asgi.OneThreadASGIHandler``.
"""

from __future__ import annotations

from django.core.handlers.asgi import ASGIHandler

from runclub.asgi import build_application

application = build_application(ASGIHandler())
