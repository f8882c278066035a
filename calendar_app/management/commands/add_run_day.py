"""`manage.py add_run_day`: an organiser's way to open a day from the server's shell
(docs/organisers.md), so what it says is in the club's language, like the admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from calendar_app import wording
from calendar_app.models import Run, club_today
from calendar_app.services import open_day
from runclub.lib.commands import DatabaseCommand

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

T = TypeVar("T")


class Command(DatabaseCommand):
    help = "Make a date a run day (or re-open it) and print its check-in URL last."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("date", nargs="?", default="today", help="'today' or YYYY-MM-DD")
        parser.add_argument("--time", help="start time, HH:MM (default 18:00 for a new day)")
        parser.add_argument("--place", help="where runners meet")

    def handle(self, *args: object, **options: object) -> None:
        if options["date"] == "today":
            date = club_today()
        else:
            date = parse(dt.date.fromisoformat, options["date"], wording.NOT_A_DATE)
        starts_at: dt.time | None = None
        place: str | None = None
        if options["time"] is not None:
            starts_at = parse(dt.time.fromisoformat, options["time"], wording.NOT_A_TIME)
        if options["place"] is not None:
            place = str(options["place"]).strip()
            longest = Run._meta.get_field("place").max_length
            if longest is not None and len(place) > longest:
                raise CommandError(wording.place_too_long(longest))
        run, created = open_day(date, starts_at=starts_at, place=place)
        self.stdout.write(wording.run_day_opened(created, run.date, run.starts_at, run.place))
        self.stdout.write(wording.qr_code_page(f"{settings.SITE_URL}{run.qr_path()}"))
        self.stdout.write(run.checkin_url())


def parse(parser: Callable[[str], T], value: object, refusal: _StrPromise) -> T:
    try:
        return parser(str(value))
    except ValueError:
        raise CommandError(str(refusal) % {"value": repr(value)}) from None
