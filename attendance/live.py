"""The live count: what watchers see, and telling them when it changes.

Every message carries the whole state (today's count and latest check-ins), never "+1": the
channel layer may drop a message, and the next one repairs it. A watcher also gets the whole
state on every (re)connect, at the club's midnight, and when today's run itself changes
(``runclub.lib.announce.today_changed``, said by the calendar's services).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from attendance.models import Attendance
from calendar_app.models import Run, club_today
from runclub.lib import announce

WS_PATH = "/ws/live/"
BOARD = "attendance/live.html#board"
LATEST = 10
# Wake a little after midnight: a timer that fires early would find yesterday still there.
MIDNIGHT_MARGIN = 0.5


@dataclass(frozen=True)
class LiveState:
    day: dt.date
    run: Run | None
    count: int
    latest: list[Attendance]
    # Runners among the latest whose check-in today is their first with the club: the
    # committee's names view marks them, so someone can welcome them.
    first_timers: frozenset[int]
    # Wall-clock time just before the snapshot was read. Every commit before it is in the
    # snapshot, so of two messages the one with the later stamp is the truer.
    stamp: float

    def render(self, *, names: bool, oob: bool = True) -> str:
        context = {"live": self, "show_names": names, "oob": oob}
        return render_to_string(BOARD, context)

    def event(self) -> dict[str, Any]:
        """The channel-layer message: rendered once per change, not once per watcher."""
        return {
            "type": "live.state",
            "stamp": self.stamp,
            "public": self.render(names=False),
            "names": self.render(names=True),
        }


def snapshot() -> LiveState:
    stamp = time.time()
    day = club_today()
    run = Run.objects.filter(date=day).with_counts().first()
    if run is None:
        return LiveState(day, None, 0, [], frozenset(), stamp)
    latest = list(run.attendances.order_by("-registered_at", "-pk")[:LATEST])
    runners = {attendance.runner_id for attendance in latest}
    returning = (
        Attendance.objects.filter(runner__in=runners)
        .exclude(run=run)
        .values_list("runner_id", flat=True)
        .distinct()
    )
    first_timers = frozenset(runners.difference(returning))
    return LiveState(day, run, run.checkin_count, latest, first_timers, stamp)


def seconds_to_midnight(now: dt.datetime | None = None) -> float:
    """Seconds until the next midnight in the club's time zone (DST-aware)."""
    local = timezone.localtime(now)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), local.tzinfo)
    return (midnight.astimezone(dt.UTC) - local.astimezone(dt.UTC)).total_seconds()


# Pages showing "today" reload this long after the club's midnight, so the server has moved
# on to the new day.
FOLLOW_DAY_MARGIN_SECONDS = 2


def follow_day() -> dict[str, int]:
    """For pages showing "today": reload at the club's midnight (templates/follow_day.html)."""
    return {"follow_day_seconds": math.ceil(seconds_to_midnight()) + FOLLOW_DAY_MARGIN_SECONDS}


def checkins_changed() -> None:
    """Tell every watcher today's state once the current transaction commits.

    Called by the service functions that change check-ins (``attendance.services``), and
    by nothing else: views, the admin and commands call those. Inside a transaction it
    waits for the commit (a rolled-back change is never announced, and a transaction's
    many changes make one announcement); outside one it announces at once. Under the
    server the announcement goes out from its event loop, a burst of check-ins sharing a
    few rounds: the caller never waits for the channel layer. In a command or a test it
    is sent before this returns (``runclub.lib.announce``).
    """
    _checkins.changed()


def _current_event() -> dict[str, Any]:
    return snapshot().event()


_checkins = announce.Announcer(announce.TODAY, _current_event, "live count")
