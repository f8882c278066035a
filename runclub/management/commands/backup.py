"""`manage.py backup`: a copy of the SQLite database, for the nightly job (its line goes
to the log), a host's cron or someone at the server.

In English, not marked for translation: what it prints is a log line, for whoever runs the
server, beside Django's and daphne's own English lines.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from runclub.lib.backup import KEEP, BackupFailed, backup_now


class Command(BaseCommand):
    help = (
        "Copy the SQLite database, consistently and while the app runs, into "
        "DATA_DIR/backups, keeping the newest --keep copies."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep", type=int, default=KEEP, help=f"copies to keep (default {KEEP})"
        )
        parser.add_argument(
            "--dir", type=Path, default=None, help="where to write (default DATA_DIR/backups)"
        )

    def handle(self, *args: object, keep: int, dir: Path | None, **options: object) -> None:
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            backup = backup_now(dir, keep=keep)
        except BackupFailed as failure:
            raise CommandError(str(failure)) from None
        self.stdout.write(
            f"Backed up to {backup.path} ({backup.size / 1024:.0f} kB, integrity ok)."
        )
        for old in backup.removed:
            self.stdout.write(f"Removed old backup {old.name}.")
