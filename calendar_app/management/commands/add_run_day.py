from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from calendar_app.models import Run, club_today
from runclub.lib.commands import DatabaseCommand

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
            date = parse(
                dt.date.fromisoformat, options["date"], "'today' or a date like 2026-09-30"
            )
        run, created = Run.open_day(date)
        if options["time"] is not None:
            run.starts_at = parse(dt.time.fromisoformat, options["time"], "a time like 18:30")
        if options["place"] is not None:
            run.place = str(options["place"]).strip()
        run.full_clean()
        run.save()
        verb = "Added" if created else "Open"
        where = f", {run.place}" if run.place else ""
        self.stdout.write(
            f"{verb}: run day {run.date:%A %d %B %Y} at {run.starts_at:%H:%M}{where}."
        )
        self.stdout.write(f"QR code page (staff): {settings.SITE_URL}{run.qr_path()}")
        self.stdout.write(run.checkin_url())


def parse(parser: Callable[[str], T], value: object, expected: str) -> T:
    try:
        return parser(str(value))
    except ValueError:
        raise CommandError(f"{value!r} is not {expected}.") from None
