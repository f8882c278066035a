"""Request types for type checking."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that has been through django-htmx's middleware (its documented typing pattern)."""

    htmx: HtmxDetails


# Requests that read, never write: they queue apart from writers (runclub.asgi).
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
