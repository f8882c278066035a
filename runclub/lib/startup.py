"""A start that cannot go on says why in one line, naming the setting and a fix.

Django prints a settings error as a long traceback with the useful line last, and a
platform's log shows its first lines. manage.py, runclub.asgi and runclub.wsgi run under
``says_why_in_one_line()``: a setting the app cannot read (``HTTPS=ture``), a SITE_URL the
site does not answer on, or a disk that cannot hold the database stops the start with
``runclub cannot start: ...`` and exit status 1.

In English, as ``runclub.lib.env`` says why: a line for whoever runs the server, said before
(or instead of) Django's translations loading.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from runclub.lib import storage


@contextlib.contextmanager
def says_why_in_one_line() -> Iterator[None]:
    try:
        yield
    except ImproperlyConfigured as problem:
        _stop(str(problem))
    except DatabaseError as error:
        trouble = storage.diagnose(error)
        if trouble is None:
            raise
        _stop(f"{trouble.cause} ({error}).")


def _stop(reason: str) -> None:
    sys.stderr.write(f"runclub cannot start: {reason}\n")
    raise SystemExit(1)
