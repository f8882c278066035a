from __future__ import annotations

from typing import Any

from django.urls import path

from attendance.consumers import LiveConsumer

# Channels routes ASGI consumers with Django's path(), which the stubs type for views only.
websocket_urlpatterns: list[Any] = [
    path("ws/live/", LiveConsumer.as_asgi()),  # type: ignore[arg-type]
]
