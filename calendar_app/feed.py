"""The club's run days as a public iCalendar feed (``/calendar.ics``), for runners' calendars.

Made with the ``icalendar`` library. Public, so it says only what a noticeboard would: each
run's day, time, place and whether it is cancelled. Never a run's session id or short code (with
one, anyone could check in from home): an event's UID is the run's row id at the site's host.

Subscribed calendars fetch the feed again every so often (``REFRESH_HOURS`` is a hint most
follow): a run whose time or place changed comes back with a higher SEQUENCE and a later
LAST-MODIFIED and DTSTAMP (``Run.revision`` and ``Run.updated_at``), a cancelled run with
STATUS:CANCELLED, and a run taken off the calendar is simply no longer in the feed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vDuration
from icalendar.enums import STATUS

from calendar_app import wording
from calendar_app.models import Run, club_today

# How far the feed reaches: last month's runs (so a runner sees the one they just came to)
# to six months ahead (a term and a half).
MONTHS_BACK = 1
MONTHS_AHEAD = 6
# A run has no end on the calendar; an hour reads right in a day view.
RUN_LENGTH = dt.timedelta(hours=1)
REFRESH_HOURS = 3


def months_from(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), or the month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    return months_from(today, -MONTHS_BACK), months_from(today, MONTHS_AHEAD)


def host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event(run: Run) -> Event:
    club = settings.CLUB_NAME
    cancelled = not run.is_active
    start = run.starts
    event = Event.new(
        uid=f"run-{run.pk}@{host()}",
        start=start,
        end=start + RUN_LENGTH,
        summary=wording.event_summary(club, cancelled),
        description=wording.event_description(cancelled),
        location=run.place or None,
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        sequence=run.revision,
        # Without a METHOD, DTSTAMP is when the event last changed (RFC 5545, 3.8.7.2).
        stamp=run.updated_at,
        last_modified=run.updated_at,
        created=run.created_at,
        url=settings.SITE_URL + "/",
    )
    return event


def feed(today: dt.date | None = None) -> bytes:
    """The feed as the ``text/calendar`` body, runs in date order."""
    first, last = window(today or club_today())
    club = settings.CLUB_NAME
    runs = Run.objects.between(first, last).order_by("date")
    cal = Calendar.new(
        prodid=f"-//{club}//runclub//EN",
        uid=f"runs@{host()}",
        name=wording.feed_name(club),
        description=wording.feed_description(club),
        refresh_interval=dt.timedelta(hours=REFRESH_HOURS),
        source=links().https,
        subcomponents=[event(run) for run in runs],
    )
    # Outlook and older Apple calendars read this one rather than REFRESH-INTERVAL.
    cal.add("X-PUBLISHED-TTL", vDuration(dt.timedelta(hours=REFRESH_HOURS)).to_ical().decode())
    cal.add("X-WR-TIMEZONE", timezone.get_default_timezone_name())
    # The club's zone as a VTIMEZONE, its rules for the window only (a few lines, not decades).
    cal.add_missing_timezones(first - dt.timedelta(days=1), last + dt.timedelta(days=1))
    return cal.to_ical()


@dataclass(frozen=True)
class FeedLinks:
    """Where runners get the feed: the same address three ways."""

    https: str  # to copy into any calendar app ("add by URL")
    webcal: str  # tapped on an iPhone or a Mac (or with Outlook): subscribes in one step
    google: str  # opens Google Calendar's "add this calendar"


def links() -> FeedLinks:
    """Made once per process: links on the check-in answer cost nothing per request."""
    return _links(settings.SITE_URL)


@functools.cache
def _links(site_url: str) -> FeedLinks:
    https = site_url + reverse("calendar-feed")
    webcal = "webcal://" + https.split("://", 1)[1]
    google = "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe="")
    return FeedLinks(https, webcal, google)
