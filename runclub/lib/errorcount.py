"""How many errors this process has logged lately, for the Today screen's "ready for tonight"."""

from __future__ import annotations

import collections
import logging
import threading
import time

_times: collections.deque[float] = collections.deque(maxlen=10_000)
_lock = threading.Lock()


class ErrorCounter(logging.Handler):
    """A logging handler that remembers when each error (ERROR and above) was logged."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        with _lock:
            _times.append(record.created)


def errors_since(seconds: float) -> int:
    cutoff = time.time() - seconds
    with _lock:
        return sum(1 for at in _times if at >= cutoff)
