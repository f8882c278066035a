from __future__ import annotations

from attendance import wording
from attendance.retention import cutoff
from attendance.services import apply_retention
from runclub.lib.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Apply RETENTION_YEARS now: check-ins older than that keep their run and time but lose "
        "the runner's name and member number. Prints how many. The server does it by itself "
        "once a day."
    )

    def handle(self, *args: object, **options: object) -> None:
        before = cutoff()
        if before is None:
            self.stdout.write(str(wording.NAMES_KEPT_FOR_EVER))
            return
        result = apply_retention()
        said = wording.retention_applied(result.checkins, result.runners)
        self.stdout.write(wording.retention_cutoff(said, before))
