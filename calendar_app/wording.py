"""What the calendar app says to people: terms and the public feed of run days.

Marked for translation; the club's language is ``LANGUAGE_CODE``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat
from django.utils.translation import gettext, gettext_lazy, ngettext

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


# Where runners are offered the feed (the check-in answer, the home page, /me/).
ADD_TO_CALENDAR = gettext_lazy("Add the club's runs to your calendar")
GOOGLE_CALENDAR = gettext_lazy("Google Calendar")
