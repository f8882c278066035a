"""Announcing the count must never cost a runner their check-in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from attendance import live
from attendance.models import Attendance
from calendar_app.models import Run
from tests.helpers import checkin, text_of


@pytest.mark.django_db(transaction=True)
def test_a_check_in_succeeds_while_redis_is_unreachable(
    settings: object, client: Client, run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Nothing listens there: this machine's test ports, left unused on purpose.
            "CONFIG": {"hosts": ["redis://127.0.0.1:18399/3"]},
        }
    }
    response = checkin(client, run, "Ana Silva")
    assert response.status_code == 200
    assert "You're in, Ana" in text_of(response)
    assert Attendance.objects.filter(run=run).count() == 1
    assert "live count not announced" in caplog.text


LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("now", "hours"),
    [
        (dt.datetime(2026, 11, 24, 18, 0, tzinfo=LONDON), 6),
        # The night the clocks go forward: 00:00 to 00:00 is only 23 hours.
        (dt.datetime(2026, 3, 29, 0, 0, tzinfo=LONDON), 23),
        # ...and back: 25 hours.
        (dt.datetime(2026, 10, 25, 0, 0, tzinfo=LONDON), 25),
        # 22:30 UTC in summer is 23:30 in London: half an hour to go, not an hour and a half.
        (dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC), 0.5),
    ],
)
def test_midnight_is_the_clubs_midnight(settings: object, now: dt.datetime, hours: float) -> None:
    settings.TIME_ZONE = "Europe/London"
    assert live.seconds_to_midnight(now) == hours * 3600
