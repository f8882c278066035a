"""The app's settings with a hand-written layer swapped for stock Django: the layers' A/B.

Everything else is ``runclub.settings`` as ``make run`` makes it. BENCH_STOCK names what
is stock (comma-separated):

- ``sqlite3``: Django's own SQLite backend instead of ``runclub.lib.sqlite3``;
- ``asgi``: served with Django's own ASGI handler (``bench/stock/asgi.py``), which starts a
  thread per request, so connections are Django's default too: one per request
  (CONN_MAX_AGE 0), not kept on the kept threads.
"""

from __future__ import annotations

import os

from runclub.settings import *  # noqa: F403
from runclub.settings import DATABASES

STOCK = set(filter(None, os.environ.get("BENCH_STOCK", "").split(",")))
if "sqlite3" in STOCK and DATABASES["default"]["ENGINE"] == "runclub.lib.sqlite3":
    DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"
if "asgi" in STOCK:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
