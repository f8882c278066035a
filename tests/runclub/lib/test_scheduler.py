"""The server's daily jobs: when they run, and that one failing never stops the others."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from runclub.lib import scheduler
from runclub.lib.scheduler import DailyTask, Scheduler, next_time, previous_time
from runclub.models import NightlyRun
from runclub.nightly import daily_tasks

ROOT = Path(__file__).resolve().parents[3]

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 24, 18, 0, tzinfo=LONDON), dt.datetime(2026, 11, 25, 3, 0)),
        (dt.datetime(2026, 11, 24, 2, 59, tzinfo=LONDON), dt.datetime(2026, 11, 24, 3, 0)),
        (dt.datetime(2026, 11, 24, 3, 0, tzinfo=LONDON), dt.datetime(2026, 11, 25, 3, 0)),
        # The nights the clocks change still have one 03:00.
        (dt.datetime(2026, 3, 29, 0, 30, tzinfo=LONDON), dt.datetime(2026, 3, 29, 3, 0)),
        (dt.datetime(2026, 10, 25, 0, 30, tzinfo=LONDON), dt.datetime(2026, 10, 25, 3, 0)),
    ],
)
def test_a_daily_job_runs_at_the_clubs_wall_clock_time(
    settings: object, now: dt.datetime, expected: dt.datetime
) -> None:
    settings.TIME_ZONE = "Europe/London"
    assert next_time(dt.time(3, 0), now) == expected.replace(tzinfo=LONDON)


def test_backups_are_on_the_list_only_with_backup_daily(settings: object) -> None:
    settings.RETENTION_YEARS = 0
    settings.BACKUP_DAILY = False
    assert [task.name for task in daily_tasks()] == ["failed attempts"]
    settings.BACKUP_DAILY = True
    assert [task.name for task in daily_tasks()] == ["failed attempts", "backup"]


def test_retention_is_on_the_list_unless_names_are_kept_for_ever(settings: object) -> None:
    settings.BACKUP_DAILY = True
    settings.RETENTION_YEARS = 3
    # Names past their period go before the night's backup is taken.
    assert [(task.name, task.at) for task in daily_tasks()] == [
        ("failed attempts", dt.time(0, 15)),
        ("retention", dt.time(2, 30)),
        ("backup", dt.time(3, 0)),
    ]
    settings.RETENTION_YEARS = 0
    assert [task.name for task in daily_tasks()] == ["failed attempts", "backup"]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 24, 18, 0, tzinfo=LONDON), dt.datetime(2026, 11, 24, 3, 0)),
        (dt.datetime(2026, 11, 24, 3, 0, tzinfo=LONDON), dt.datetime(2026, 11, 24, 3, 0)),
        (dt.datetime(2026, 11, 24, 2, 59, tzinfo=LONDON), dt.datetime(2026, 11, 23, 3, 0)),
    ],
)
def test_a_late_start_catches_up_on_the_last_time_the_job_was_due(
    settings: object, now: dt.datetime, expected: dt.datetime
) -> None:
    settings.TIME_ZONE = "Europe/London"
    assert previous_time(dt.time(3, 0), now) == expected.replace(tzinfo=LONDON)


def test_each_job_is_run_by_the_first_process_to_claim_its_night(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(scheduler, "START_DELAY", 0.01)
    caplog.set_level("INFO", logger="runclub.lib.scheduler")
    claimed: set[tuple[str, dt.date]] = set()
    guard = threading.Lock()
    ran: list[str] = []

    def claim(name: str, night: dt.date) -> bool:
        with guard:
            if (name, night) in claimed:
                return False
            claimed.add((name, night))
            return True

    def backup() -> str:
        ran.append("backup")
        return "backed up"

    tried = threading.Semaphore(0)

    def overdue() -> bool:
        tried.release()
        return True

    task = DailyTask("backup", dt.time(3, 0), backup, overdue)
    workers = [Scheduler([task], claim) for _ in range(3)]
    for worker in workers:
        worker.start()
    for _ in workers:
        assert tried.acquire(timeout=5)
    for worker in workers:
        worker.stop()
        worker.join(5)
    assert ran == ["backup"]
    assert caplog.text.count("daily backup: run by another process") == 2


@pytest.mark.django_db
def test_a_night_is_claimed_in_the_database_once() -> None:
    night = dt.date(2026, 11, 24)
    assert NightlyRun.claim("backup", night)
    assert not NightlyRun.claim("backup", night)
    assert NightlyRun.claim("retention", night)
    assert NightlyRun.claim("backup", night + dt.timedelta(days=1))


SERVING = """
import threading
import runclub.asgi
from twisted.internet import reactor
print("imported:", sorted(t.name for t in threading.enumerate()))
reactor.callLater(0.2, lambda: print("serving:", sorted(t.name for t in threading.enumerate())))
reactor.callLater(0.3, reactor.stop)
reactor.run(installSignalHandlers=False)
"""


def test_the_nightly_jobs_start_when_the_server_does_and_not_on_import(tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path), "DAILY_TASKS": "true"}
    done = subprocess.run(
        [sys.executable, "-c", SERVING], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    imported, serving = done.stdout.splitlines()
    assert "runclub-daily" not in imported
    assert "runclub-daily" in serving


def test_overdue_jobs_run_soon_after_start_and_a_failing_one_harms_no_other(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(scheduler, "START_DELAY", 0.01)
    ran: list[str] = []
    done = threading.Event()

    def broken() -> str:
        raise OSError("disk full")

    def fine() -> str:
        ran.append("fine")
        done.set()
        return "all good"

    tasks = [
        DailyTask("broken", dt.time(3, 0), broken, overdue=lambda: True),
        DailyTask("fine", dt.time(3, 0), fine, overdue=lambda: True),
        DailyTask("not due", dt.time(3, 0), lambda: ran.append("early") or "", lambda: False),
    ]
    caplog.set_level("INFO", logger="runclub.lib.scheduler")
    worker = Scheduler(tasks)
    worker.start()
    assert done.wait(5)
    worker.stop()
    worker.join(5)
    assert ran == ["fine"]
    assert "daily broken could not run" in caplog.text
    assert "OSError: disk full" in caplog.text
    assert "daily fine: all good" in caplog.text


@pytest.mark.django_db
def test_the_daily_backup_is_overdue_without_a_copy_from_the_last_day(
    settings: object, tmp_path: Path
) -> None:
    from runclub.lib import backup

    settings.DATA_DIR = tmp_path
    assert backup.backup_overdue()
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "runclub-20000101-030000Z.sqlite3").touch()
    assert backup.backup_overdue()
    recent = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    (tmp_path / "backups" / f"runclub-{recent:%Y%m%d-%H%M%S}Z.sqlite3").touch()
    assert not backup.backup_overdue()
