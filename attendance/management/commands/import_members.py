from __future__ import annotations

import io

from django.core.management.base import CommandError, CommandParser

from attendance import wording
from attendance.management.commands.add_checkins import Command as AddCheckins
from attendance.members import MemberListError, import_members
from runclub.lib.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Add and update the club's member list from a CSV with a header: columns number and "
        "name (others ignored); FILE is a path or - for standard input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a CSV file, or - for stdin")

    def handle(self, *args: object, **options: object) -> None:
        text = AddCheckins.read(str(options["file"]))
        try:
            result = import_members(io.StringIO(text, newline=""))
        except MemberListError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(wording.member_list_imported(result.summary()))
        for refusal in result.refusals():
            self.stdout.write(wording.member_list_refusal(refusal))
