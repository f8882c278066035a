"""The server's nightly jobs: which management commands run, and when.

Each job is a management command (a host with cron may run the same commands instead, with
``DAILY_TASKS=false``). ``runclub.lib.scheduler`` runs them in the server process, from when
it first serves (``runclub.asgi``); each night's run of a job is claimed in the database
(``NightlyRun``), so with several server processes only one runs it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command

from attendance import retention
from runclub.lib import backup, scheduler
from runclub.lib.scheduler import DailyTask, Scheduler
from runclub.models import NightlyRun

# Refusals counted in the cache reach the database at the latest the night after.
FLUSH_AT = dt.time(0, 15)
BACKUP_AT = dt.time(3, 0)


def daily_tasks() -> list[DailyTask]:
    """Every nightly job, in one place; settings decide which are on."""
    tasks = [DailyTask("failed attempts", FLUSH_AT, command("flush_failed_attempts"))]
    if settings.RETENTION_YEARS:
        # Before the backup, so the night's copy holds no name past its period.
        tasks.append(
            DailyTask(
                "retention", settings.RETENTION_AT, command("apply_retention"), retention.overdue
            )
        )
    if settings.BACKUP_DAILY:
        # The night after each run day, before anyone is up.
        tasks.append(DailyTask("backup", BACKUP_AT, command("backup"), backup.backup_overdue))
    return tasks


def command(name: str) -> Callable[[], str]:
    """A job that runs ``manage.py <name>``; what it prints is the line logged."""

    def run() -> str:
        output = io.StringIO()
        call_command(name, stdout=output)
        return " ".join(output.getvalue().split())

    return run


def start() -> Scheduler | None:
    """Start the nightly jobs in this server process (unless ``DAILY_TASKS=false``)."""
    if not settings.DAILY_TASKS:
        return None
    return scheduler.start(daily_tasks(), claim=NightlyRun.claim)
