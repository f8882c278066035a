from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from attendance import wording
from attendance.services import CannotMerge, merge_names
from runclub.lib.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "From now on the name OLD (compared as the duplicate rule compares names) is the same "
        "runner as NEW: their check-ins count as one runner's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old", help="the name to merge, e.g. 'Ana S'")
        parser.add_argument("new", help="the runner's name it becomes, e.g. 'Ana Silva'")

    def handle(self, *args: object, **options: object) -> None:
        old, new = str(options["old"]), str(options["new"])
        try:
            merged = merge_names(old, new)
        except CannotMerge as refused:
            raise CommandError(wording.cannot_merge(refused.refusal, *refused.names)) from None
        if not merged.names:
            self.stdout.write(wording.name_taught(old, merged.runner.name))
        else:
            said = wording.merged(merged.names, merged.moved, merged.doubled)
            self.stdout.write(wording.about_runner(merged.runner.name, said))
