"""`manage.py restore`: a backup put back, by whoever runs the server (docs/operating.md).

In English, not marked for translation: its lines are steps of the server's upkeep, for
whoever runs the server, beside Django's own English ``migrate``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from runclub.lib.backup import ON_POSTGRESQL, BackupFailed, restore_sqlite
from runclub.lib.env import envstr, install_keys


class Command(BaseCommand):
    help = (
        "Restore a copy made by `manage.py backup` as the app's database (stop the app "
        "first), with the secret keys it was taken with, then migrate. Works on an empty "
        "DATA_DIR; a database already there is set aside, not deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="a runclub-YYYYMMDD-HHMMSSZ.sqlite3 file")

    def handle(self, *args: object, backup: Path, **options: object) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(ON_POSTGRESQL.replace("back it up", "restore it"))
        database = Path(connection.settings_dict["NAME"])
        connection.close()
        try:
            restored = restore_sqlite(backup, database, now=timezone.now())
        except BackupFailed as failure:
            raise CommandError(str(failure)) from None
        for aside in restored.set_aside:
            self.stdout.write(f"Set the database that was there aside as {aside.name}.")
        self.stdout.write(f"Restored {backup.name} as {database}.")
        set_key = envstr("SECRET_KEY")
        install_keys(Path(settings.DATA_DIR), restored.keys, set_key)
        if not restored.keys:
            self.stdout.write(
                "This backup holds no secret key (it was made by an older version): old "
                "/checkin/<token>/ links work only with the key they were printed with."
            )
        elif set_key and restored.keys[0] != set_key:
            self.stdout.write(
                "SECRET_KEY is set and differs from the backup's: the backup's keys are kept "
                f"as fallbacks ({settings.DATA_DIR}/secret_key_fallbacks), so old links work."
            )
        else:
            self.stdout.write("Its secret key is back in place: old links work as before.")
        call_command("migrate", "--noinput", verbosity=0)
        self.stdout.write("Migrated. Start the app again.")
