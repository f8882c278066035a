from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from runclub.backup import BackupFailed, backup_sqlite


class Command(BaseCommand):
    help = (
        "Copy the SQLite database, consistently and while the app runs, into "
        "DATA_DIR/backups, keeping the newest --keep copies."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--keep", type=int, default=14, help="copies to keep (default 14)")
        parser.add_argument(
            "--dir", type=Path, default=None, help="where to write (default DATA_DIR/backups)"
        )

    def handle(self, *args: object, keep: int, dir: Path | None, **options: object) -> None:
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        database = connection.settings_dict
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(
                "DATABASE_URL points at PostgreSQL: back it up with PostgreSQL's own tools, "
                'e.g. pg_dump --format=custom --file=runclub.dump "$DATABASE_URL" '
                "(or your host's managed backups)."
            )
        try:
            backup = backup_sqlite(
                Path(database["NAME"]),
                dir or Path(settings.DATA_DIR) / "backups",
                keep=keep,
                now=timezone.now(),
                timeout=settings.SQLITE_BUSY_TIMEOUT,
            )
        except BackupFailed as failure:
            raise CommandError(str(failure)) from None
        self.stdout.write(
            f"Backed up to {backup.path} ({backup.size / 1024:.0f} kB, integrity ok)."
        )
        for old in backup.removed:
            self.stdout.write(f"Removed old backup {old.name}.")
