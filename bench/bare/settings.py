"""The least Django that can take a check-in: the yardstick ``bench/compare.py`` measures against.

No apps, no middleware, no templates, no sessions. The database is the app's own
configuration (SQLite file with the same PRAGMAs, or DATABASE_URL), so the
comparison measures what the framework and the app add, not a different disk setup,
but through Django's stock SQLite backend: the app's own one (runclub.lib.sqlite3, its
writers queueing in-process) is part of what the app is measured on.
"""

from __future__ import annotations

from runclub.settings import ALLOWED_HOSTS, DATABASES, SECRET_KEY

__all__ = ["ALLOWED_HOSTS", "DATABASES", "SECRET_KEY"]

if DATABASES["default"]["ENGINE"] == "runclub.lib.sqlite3":
    DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"
# Django's default: a connection per request, closed at its end.
DATABASES["default"]["CONN_MAX_AGE"] = 0

DEBUG = False
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
TEMPLATES: list[dict[str, object]] = []
ROOT_URLCONF = "bench.bare.urls"
USE_TZ = True
