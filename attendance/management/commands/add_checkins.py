from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from attendance import wording
from attendance.services import PaperListClosed, add_paper_list
from calendar_app.models import Run, club_today
from runclub.lib.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Add check-ins from a paper sign-in sheet: one name a line, to the run on DAY "
        "(today or YYYY-MM-DD); FILE is a path or - for standard input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("day", help="'today' or YYYY-MM-DD")
        parser.add_argument("file", help="a text file with one name a line, or - for stdin")

    def handle(self, *args: object, **options: object) -> None:
        day = self.day(str(options["day"]))
        run = Run.objects.filter(date=day).first()
        if run is None:
            raise CommandError(wording.no_run_on(day))
        text = self.read(str(options["file"]))
        try:
            result = add_paper_list(run, text)
        except PaperListClosed as closed:
            raise CommandError(wording.paper_list_closed(closed.run, closed.state)) from None
        counts = (len(result.added), len(result.already_in), len(result.refused))
        self.stdout.write(wording.run_summary(run, wording.paper_list_summary(*counts)))
        for line, reason in result.refused:
            self.stdout.write(wording.refused_line(repr(line[:80]), reason))

    @staticmethod
    def day(value: str) -> dt.date:
        if value == "today":
            return club_today()
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(wording.not_a_day(value)) from None

    @staticmethod
    def read(path: str) -> str:
        if path == "-":
            return sys.stdin.read()
        try:
            return Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(wording.no_file(path)) from None
        except UnicodeDecodeError:
            raise CommandError(wording.not_utf8_file(path)) from None
        except OSError as error:
            raise CommandError(wording.unreadable_file(path, str(error.strerror))) from None
