"""The app's settings with Django's own SQLite backend: one side of the layers' A/B.

Everything else is ``runclub.settings`` as ``make run`` makes it; only the engine
differs, so ``bench/compare.py --layers`` measures what ``runclub.lib.sqlite3`` buys.
"""

from __future__ import annotations

from runclub.settings import *  # noqa: F403
from runclub.settings import DATABASES

if DATABASES["default"]["ENGINE"] == "runclub.lib.sqlite3":
    DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"
