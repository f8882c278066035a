"""``daphne bench.bare.asgi:application``: Django's plain ASGI handler, nothing else."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
application = get_asgi_application()

from bench.bare.urls import create_table  # noqa: E402  (needs Django set up first)

create_table()
