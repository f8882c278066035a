"""Request types for type checking."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that has been through django-htmx's middleware (its documented typing pattern)."""

    htmx: HtmxDetails


# Requests that read, never write: they queue apart from writers (runclub.asgi).
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def row_id(value: object) -> int | None:
    """A row's id from a query string or a form: ASCII digits, short enough for the database to
    compare (``str.isdigit`` takes "²", which ``int`` refuses); else None."""
    if isinstance(value, str) and value.isascii() and value.isdecimal() and len(value) <= 18:
        return int(value)
    return None
