"""WSGI entry point, for hosts without ASGI (the live page then polls nothing: use daphne)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from runclub.lib.startup import says_why_in_one_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runclub.settings")
with says_why_in_one_line():
    application = get_wsgi_application()
