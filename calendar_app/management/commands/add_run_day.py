from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from calendar_app.models import Run, club_today


class Command(BaseCommand):
    help = "Make a date a run day (or re-open it) and print its check-in URL last."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("date", nargs="?", default="today", help="'today' or YYYY-MM-DD")

    def handle(self, *args: object, **options: object) -> None:
        date = self.parse_date(str(options["date"]))
        run, created = Run.open_day(date)
        verb = "Added" if created else "Open"
        self.stdout.write(f"{verb}: run day {run.date:%A %d %B %Y} at {run.starts_at:%H:%M}.")
        self.stdout.write(f"QR code page (staff): {settings.SITE_URL}{run.qr_path()}")
        self.stdout.write(run.checkin_url())

    @staticmethod
    def parse_date(value: str) -> dt.date:
        if value == "today":
            return club_today()
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"{value!r} is not 'today' or a date like 2026-09-30.") from None
