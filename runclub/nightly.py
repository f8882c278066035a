"""The server's nightly jobs: what runs, and when (``runclub.lib.scheduler`` runs them)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from attendance import retention, services
from runclub.lib import backup
from runclub.lib.scheduler import DailyTask


def daily_tasks() -> list[DailyTask]:
    """Every daily job of the server process, in one place; settings decide which are on."""
    tasks = []
    if settings.RETENTION_YEARS:
        # Before the backup, so the night's copy holds no name past its period.
        tasks.append(
            DailyTask(
                "retention",
                settings.RETENTION_AT,
                lambda: services.apply_retention().message(),
                retention.overdue,
            )
        )
    if settings.BACKUP_DAILY:
        # The night after each run day, before anyone is up.
        tasks.append(DailyTask("backup", dt.time(3, 0), backup.daily_backup, backup.backup_overdue))
    return tasks
