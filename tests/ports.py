"""Ports the slow tests listen on.

Each has a fixed number in this project's range, shifted by ``RUNCLUB_PORT_OFFSET`` (default 0)
so that two checkouts on one machine can run their slow tests at the same time.
"""

from __future__ import annotations

import os

OFFSET = int(os.environ.get("RUNCLUB_PORT_OFFSET", "0"))


def port(number: int) -> int:
    return number + OFFSET
