"""What the calendar app says to people: changes to days, terms and the public feed of run
days. The rules (``models``, ``services``) return facts; this module words them.

Marked for translation; the club's language is ``LANGUAGE_CODE``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat
from django.utils.translation import gettext, gettext_lazy, ngettext

from calendar_app.days import Caution, Outcome, Result

# Changes to a day on the organisers' calendar (services.change_day) ------------------------


def caution(why: Caution, checkins: int) -> str:
    """What an organiser is asked before cancelling or removing a run."""
    if why is Caution.HAS_CHECKINS:
        return ngettext(
            "%(count)d runner checked in to this run already.",
            "%(count)d runners checked in to this run already.",
            checkins,
        ) % {"count": checkins}
    return gettext("This is today's run: runners may be on their way.")


def cancel_anyway(why: Caution, checkins: int) -> str:
    """The admin's run form, asking before a run is cancelled there."""
    return gettext("%(caution)s Tick “Yes, cancel it” to cancel it anyway.") % {
        "caution": caution(why, checkins)
    }


def day_changed(outcome: Outcome) -> str:
    """What came of a change to a day, for the organiser who made it."""
    if outcome.caution is not None:
        return caution(outcome.caution, outcome.checkins)
    facts = {
        "day": dateformat.format(outcome.date, "l j F"),
        "time": dateformat.time_format(outcome.starts_at, "H:i") if outcome.starts_at else "",
        "place": outcome.place,
    }
    if outcome.result in _RUN_DAY:
        return _RUN_DAY[outcome.result][bool(outcome.place)] % facts
    return _NOT_A_RUN_DAY[outcome.result] % facts


# Said with the run's time, and its place when it has one.
_RUN_DAY = {
    Result.OPENED: (
        gettext_lazy("%(day)s is a run day: %(time)s."),
        gettext_lazy("%(day)s is a run day: %(time)s, %(place)s."),
    ),
    Result.REOPENED: (
        gettext_lazy("%(day)s is open again: %(time)s."),
        gettext_lazy("%(day)s is open again: %(time)s, %(place)s."),
    ),
    Result.SAVED: (
        gettext_lazy("%(day)s: %(time)s."),
        gettext_lazy("%(day)s: %(time)s, %(place)s."),
    ),
}
_NOT_A_RUN_DAY = {
    Result.CANCELLED: gettext_lazy(
        "%(day)s is cancelled: runners who scan its code are told so. Re-open it any time; "
        "the code stays the same."
    ),
    Result.REMOVED: gettext_lazy(
        "%(day)s has no run now. Make it a run day again and its printed code works again."
    ),
    Result.NOTHING_TO_CANCEL: gettext_lazy("%(day)s has no run to cancel."),
    Result.KEPT_FOR_CHECKINS: gettext_lazy(
        "Runners checked in on %(day)s, so it stays on the calendar (removing it would delete "
        "their check-ins). Cancel it instead."
    ),
    Result.NOTHING_TO_SAVE: gettext_lazy("%(day)s has no run: make it a run day first."),
}


# A run as the admin names it (its pages, messages and lists): "Run on Wed 25 Nov 2026".
def run_on(date: dt.date) -> str:
    return gettext("Run on %(day)s") % {"day": dateformat.format(date, "D d M Y")}


# manage.py add_run_day, which an organiser may run on the server.
NOT_A_DATE = gettext_lazy("%(value)s is not 'today' or a date like 2026-09-30.")
NOT_A_TIME = gettext_lazy("%(value)s is not a time like 18:30.")


def run_day_opened(created: bool, date: dt.date, starts_at: dt.time, place: str) -> str:
    """ "Added: run day Wednesday 25 November 2026 at 18:00, The Oval." """
    facts = {
        "day": dateformat.format(date, "l d F Y"),
        "time": dateformat.time_format(starts_at, "H:i"),
        "place": place,
    }
    if created:
        if place:
            return gettext("Added: run day %(day)s at %(time)s, %(place)s.") % facts
        return gettext("Added: run day %(day)s at %(time)s.") % facts
    if place:
        return gettext("Open: run day %(day)s at %(time)s, %(place)s.") % facts
    return gettext("Open: run day %(day)s at %(time)s.") % facts


def qr_code_page(url: str) -> str:
    return gettext("QR code page (staff): %(url)s") % {"url": url}


def place_too_long(longest: int) -> str:
    return gettext("--place is at most %(longest)d characters.") % {"longest": longest}


# Terms -------------------------------------------------------------------------------------

TERM_LAST_BEFORE_FIRST = gettext_lazy("The last day comes before the first.")
NO_SUCH_TERM = gettext_lazy("There is no such term.")


def term_overlaps(name: str, first: dt.date, last: dt.date) -> str:
    return gettext("These days overlap %(term)s (%(days)s): terms may not overlap.") % {
        "term": name,
        "days": term_days(first, last),
    }


def term_days(first: dt.date, last: dt.date) -> str:
    """ "Mon 28 Sep to Fri 11 Dec 2026": a term's days as the organisers' pages show them."""
    return gettext("%(first)s to %(last)s") % {
        "first": dateformat.format(first, "D j M" if first.year == last.year else "D j M Y"),
        "last": dateformat.format(last, "D j M Y"),
    }


def term_week(week: int, weeks: int) -> str:
    return gettext("week %(week)d of %(weeks)d") % {"week": week, "weeks": weeks}


def term_ended(last: dt.date) -> str:
    return gettext("ended %(day)s") % {"day": dateformat.format(last, "l j F")}


def term_runs(runs: int, checkins: int) -> str:
    return gettext("%(runs)s, %(checkins)s") % {
        "runs": ngettext("%(n)d run", "%(n)d runs", runs) % {"n": runs},
        "checkins": ngettext("%(n)d check-in", "%(n)d check-ins", checkins) % {"n": checkins},
    }


# The public feed (/calendar.ics).
def feed_name(club: str) -> str:
    return gettext("%(club)s runs") % {"club": club}


def feed_description(club: str) -> str:
    return gettext("The run days of %(club)s. Check in at the run by scanning its QR code.") % {
        "club": club
    }


def event_summary(club: str, cancelled: bool) -> str:
    if cancelled:
        return gettext("Cancelled: %(club)s run") % {"club": club}
    return gettext("%(club)s run") % {"club": club}


def event_description(cancelled: bool) -> str:
    if cancelled:
        return gettext("This run is cancelled.")
    return gettext("Check in at the start: scan the QR code, or type the code shown beside it.")


# The organisers' lists and pages of runs and terms.
TODAY = gettext_lazy("today")
QR_CODE = gettext_lazy("QR code")
TERM_REPORT = gettext_lazy("Term report")
CALENDAR = gettext_lazy("Calendar")
ADD_SCHEDULE = gettext_lazy("Add a recurring schedule")
NOT_A_DAY_CHANGE = gettext_lazy("That is not a change to a day on the calendar.")
# The API's refusal (POST /api/calendar/configure) of a staff member who may not edit.
ONLY_ORGANISERS_CHANGE = gettext_lazy("Only organisers may change the calendar.")


def day_state(state: str) -> str:
    """A day's state on the calendar ("none", "run", "cancelled"), as its square says it."""
    return str(_DAY_STATES[state])


_DAY_STATES = {
    "none": gettext_lazy("no run"),
    "run": gettext_lazy("run day"),
    "cancelled": gettext_lazy("cancelled"),
}


def schedule_added(created: int, existing: int) -> str:
    """What a recurring schedule added, and what it found already there."""
    added = ngettext("Added %(n)d run day", "Added %(n)d run days", created) % {"n": created}
    there = ngettext(
        "%(n)d was already on the calendar and was left as it was.",
        "%(n)d were already on the calendar and were left as they were.",
        existing,
    ) % {"n": existing}
    return gettext("%(added)s; %(there)s") % {"added": added, "there": there}


# Where runners are offered the feed (the check-in answer, the home page, /me/).
ADD_TO_CALENDAR = gettext_lazy("Add the club's runs to your calendar")
GOOGLE_CALENDAR = gettext_lazy("Google Calendar")
