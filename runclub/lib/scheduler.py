"""Daily jobs run by the server process itself, for hosts without cron.

``runclub.nightly.daily_tasks()`` is the one list of them. The server (``runclub.asgi``)
starts one thread that sleeps until the next job is due in the
club's time zone, runs it, logs one line, and never dies of a failing job. A job
whose work is overdue (the server was down or asleep when it was due) runs once
shortly after the server starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

# Let the server settle (first requests, migrations of a fresh deploy) before catching up.
START_DELAY = 5.0


@dataclass(frozen=True)
class DailyTask:
    name: str
    at: dt.time  # the club's wall-clock time
    run: Callable[[], str]  # does the work; returns what to log
    overdue: Callable[[], bool] = lambda: False


def next_time(at: dt.time, now: dt.datetime) -> dt.datetime:
    """The first ``at`` in the club's time zone strictly after ``now`` (DST-safe)."""
    zone = timezone.get_default_timezone()
    local = now.astimezone(zone)
    for days in range(3):
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=days), at, zone)
        # Normalised through UTC: a time the clocks skip becomes the moment after the gap.
        candidate = candidate.astimezone(dt.UTC).astimezone(zone)
        if candidate > local:
            return candidate
    raise AssertionError("unreachable: a day always has a next one")


class Scheduler(threading.Thread):
    def __init__(self, tasks: list[DailyTask]) -> None:
        super().__init__(name="runclub-daily", daemon=True)
        self.tasks = tasks
        self.stopping = threading.Event()

    def run(self) -> None:
        if self.stopping.wait(START_DELAY):
            return
        for task in self.tasks:
            if self._safely(task.overdue, task, "check"):
                self._run(task)
        while True:
            now = timezone.now()
            when, task = min(((next_time(t.at, now), t) for t in self.tasks), key=lambda p: p[0])
            if self.stopping.wait((when - now).total_seconds()):
                return
            if timezone.now() >= when:
                self._run(task)

    def stop(self) -> None:
        self.stopping.set()

    def _run(self, task: DailyTask) -> None:
        outcome = self._safely(task.run, task, "run")
        if outcome:
            logger.info("daily %s: %s", task.name, outcome)

    def _safely(self, work: Callable[[], object], task: DailyTask, what: str) -> object:
        try:
            return work()
        except Exception:
            logger.exception("daily %s could not %s", task.name, what)
            return None
        finally:
            close_old_connections()


def start(tasks: list[DailyTask]) -> Scheduler | None:
    """Start ``tasks`` in this (server) process, if there are any."""
    if not tasks:
        return None
    scheduler = Scheduler(tasks)
    scheduler.start()
    return scheduler
