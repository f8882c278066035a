"""Daily jobs run by the server process itself, for hosts without cron.

``runclub.nightly`` says which jobs run, and when; the server starts them when it first
serves (``runclub.asgi``). One thread sleeps until the next job is due in the club's time
zone, runs it, logs one line, and never dies of a failing job. A job whose work is overdue
(the server was down or asleep when it was due) runs once shortly after the start.

Before each run the scheduler claims that night's run of the job (``claim``): with several
server processes, the first to claim it runs it and the others leave it.
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

# Whether this process may run the named job for the club's night given: (name, night).
Claim = Callable[[str, dt.date], bool]


@dataclass(frozen=True)
class DailyTask:
    name: str
    at: dt.time  # the club's wall-clock time
    run: Callable[[], str]  # does the work; returns what to log
    overdue: Callable[[], bool] = lambda: False


def next_time(at: dt.time, now: dt.datetime) -> dt.datetime:
    """The first ``at`` in the club's time zone strictly after ``now`` (DST-safe)."""
    return _nearest(at, now, range(3), lambda candidate, local: candidate > local)


def previous_time(at: dt.time, now: dt.datetime) -> dt.datetime:
    """The last ``at`` in the club's time zone at or before ``now``: the run a late start
    catches up on."""
    return _nearest(at, now, range(0, -3, -1), lambda candidate, local: candidate <= local)


def _nearest(
    at: dt.time,
    now: dt.datetime,
    days: range,
    fits: Callable[[dt.datetime, dt.datetime], bool],
) -> dt.datetime:
    zone = timezone.get_default_timezone()
    local = now.astimezone(zone)
    for offset in days:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=offset), at, zone)
        # Normalised through UTC: a time the clocks skip becomes the moment after the gap.
        candidate = candidate.astimezone(dt.UTC).astimezone(zone)
        if fits(candidate, local):
            return candidate
    raise AssertionError("unreachable: a day always has a next and a previous one")


def every_night(name: str, night: dt.date) -> bool:
    """The claim of a process that runs alone: every night is its own."""
    return True


class Scheduler(threading.Thread):
    def __init__(self, tasks: list[DailyTask], claim: Claim = every_night) -> None:
        super().__init__(name="runclub-daily", daemon=True)
        self.tasks = tasks
        self.claim = claim
        self.stopping = threading.Event()

    def run(self) -> None:
        if self.stopping.wait(START_DELAY):
            return
        for task in self.tasks:
            if self._safely(task.overdue, task, "check"):
                self._run(task, previous_time(task.at, timezone.now()))
        while True:
            now = timezone.now()
            when, task = min(((next_time(t.at, now), t) for t in self.tasks), key=lambda p: p[0])
            if self.stopping.wait((when - now).total_seconds()):
                return
            if timezone.now() >= when:
                self._run(task, when)

    def stop(self) -> None:
        self.stopping.set()

    def _run(self, task: DailyTask, due: dt.datetime) -> None:
        claimed = self._safely(lambda: self.claim(task.name, due.date()), task, "claim its night")
        if claimed is None:
            return  # said why (the database, most likely); the next night tries again
        if not claimed:
            logger.info("daily %s: run by another process for %s", task.name, due.date())
            return
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


def start(tasks: list[DailyTask], claim: Claim = every_night) -> Scheduler | None:
    """Start ``tasks`` in this (server) process, if there are any."""
    if not tasks:
        return None
    scheduler = Scheduler(tasks, claim)
    scheduler.start()
    return scheduler
