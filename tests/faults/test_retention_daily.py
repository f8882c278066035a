"""The server applies RETENTION_YEARS by itself: soon after it starts, then every day."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from tests.faults.helpers import until
from tests.servers import Daphne

pytestmark = pytest.mark.slow

CHECKED_IN_DAYS_AGO = """
import datetime as dt
from django.utils import timezone
from attendance.models import Attendance
from attendance.services import record_checkin
from calendar_app.models import Run
at = timezone.now() - dt.timedelta(days={days})
run = Run.objects.filter(date=timezone.localdate(at)).first()
run = run or Run.objects.create(date=timezone.localdate(at), starts_at=dt.time(18, 0))
record_checkin(Attendance(run=run, runner_name={name!r}, registered_at=at))
"""


def checked_in(daphne: Daphne, name: str, days_ago: int) -> None:
    daphne.manage("shell", "-c", CHECKED_IN_DAYS_AGO.format(name=name, days=days_ago))


def names(daphne: Daphne) -> list[str]:
    with sqlite3.connect(daphne.database) as database:
        query = "SELECT runner_name FROM attendance_attendance ORDER BY registered_at"
        return [name for (name,) in database.execute(query)]


def test_the_server_anonymises_old_check_ins_on_start_and_at_its_time_each_day(
    server: Callable[..., Daphne],
) -> None:
    # Its daily time, a little after the server has caught up with what was overdue.
    at = dt.datetime.now(ZoneInfo("Europe/London")) + dt.timedelta(seconds=40)
    daphne = server(LOG_LEVEL="INFO", TIME_ZONE="Europe/London", RETENTION_AT=f"{at:%H:%M:%S}")
    checked_in(daphne, "Ana Old", days_ago=5 * 365)
    checked_in(daphne, "Ben Old", days_ago=4 * 365)
    checked_in(daphne, "Cara Recent", days_ago=2)
    daphne.start()

    # Names past three years were overdue: gone soon after the start.
    until(lambda: "daily retention:" in daphne.log(), 30)
    assert "daily retention: Anonymised 2 check-ins older than 3 years" in daphne.log()
    assert names(daphne) == ["", "", "Cara Recent"]

    # A check-in past the period arrives (a backup restored, a paper list typed late): the
    # day's run at RETENTION_AT takes it too, with no command and no cron.
    checked_in(daphne, "Dev Old", days_ago=6 * 365)
    assert names(daphne) == ["Dev Old", "", "", "Cara Recent"]
    until(lambda: "Anonymised 1 check-in older" in daphne.log(), 70)
    assert names(daphne) == ["", "", "", "Cara Recent"]
    assert "Traceback" not in daphne.log()
