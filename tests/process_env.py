"""Loaded as a pytest plugin (pyproject's addopts), before Django reads its settings.

The test process imports the server's module (runclub.asgi) without being a server, so it
starts none of the server's daily jobs; servers the tests start run them as in production
(tests.servers leaves DAILY_TASKS out of their environment).
"""

from __future__ import annotations

import os

os.environ.setdefault("DAILY_TASKS", "false")
