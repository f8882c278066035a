"""Changes to a day on the organisers' calendar, as facts: what an organiser asks for, why
they are asked first, and what came of it. The rules (``models``, ``services``) return
these; ``calendar_app.wording`` says them."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class DayChange(enum.Enum):
    """What an organiser can do to a day on the calendar."""

    OPEN = "open"  # make it a run day, or re-open it
    CANCEL = "cancel"
    REMOVE = "remove"  # no run that day, its code remembered
    SAVE = "save"  # change the time and place


class Caution(enum.Enum):
    """Why to ask an organiser before cancelling or removing a run."""

    HAS_CHECKINS = "has check-ins"
    TODAY = "today"  # runners may be on their way


class Result(enum.Enum):
    """What came of an organiser's change to a day."""

    OPENED = "a run day now"
    REOPENED = "open again"
    CANCELLED = "cancelled"
    REMOVED = "no run now"
    SAVED = "time and place saved"
    ASK_FIRST = "not done: ask first"
    NOTHING_TO_CANCEL = "not done: no run to cancel"
    KEPT_FOR_CHECKINS = "not done: runners checked in"
    NOTHING_TO_SAVE = "not done: no run to change"


DONE = frozenset({Result.OPENED, Result.REOPENED, Result.CANCELLED, Result.REMOVED, Result.SAVED})


@dataclass(frozen=True)
class Outcome:
    """What came of a change to the day ``date``, with the day's run as it is after it."""

    result: Result
    date: dt.date
    starts_at: dt.time | None = None  # the run's, if the day has one
    place: str = ""
    checkins: int = 0
    caution: Caution | None = None  # with ASK_FIRST: why

    @property
    def done(self) -> bool:
        return self.result in DONE

    @property
    def question(self) -> bool:
        """Not done yet: the organiser is asked whether to go ahead."""
        return self.result is Result.ASK_FIRST
