"""'Today' is the club's date (Europe/London here), whatever the server's clock zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from attendance.models import Attendance
from tests.factories import RunFactory
from tests.helpers import checkin

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _club_in_london(settings: object) -> None:
    settings.TIME_ZONE = "Europe/London"


def at(year: int, month: int, day: int, hour: int, minute: int) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime(year, month, day, hour, minute, tzinfo=LONDON), tick=False
    )


@pytest.mark.parametrize(("hour", "minute"), [(0, 30), (23, 30)])
def test_check_in_at_either_end_of_the_day(client: Client, hour: int, minute: int) -> None:
    run = RunFactory(date=dt.date(2026, 7, 14))
    with at(2026, 7, 14, hour, minute):
        assert checkin(client, run, "Ana").status_code == 200
    assert Attendance.objects.filter(run=run).count() == 1


def test_half_past_midnight_belongs_to_the_new_day(client: Client) -> None:
    # 00:30 in London in summer is still 23:30 the day before in UTC.
    yesterday = RunFactory(date=dt.date(2026, 7, 14))
    with at(2026, 7, 15, 0, 30):
        assert checkin(client, yesterday, "Ana").status_code == 410


def test_half_past_eleven_is_before_the_next_day(client: Client) -> None:
    tomorrow = RunFactory(date=dt.date(2026, 7, 15))
    with at(2026, 7, 14, 23, 30):
        assert checkin(client, tomorrow, "Ana").status_code == 403


@pytest.mark.parametrize(
    "moment",
    [
        (2026, 3, 29, 0, 30),  # GMT, before the clocks go forward at 01:00
        (2026, 3, 29, 3, 0),  # BST, just after
        (2026, 3, 29, 23, 30),  # BST: only 22:30 UTC
        (2026, 10, 25, 1, 30),  # the hour that happens twice when clocks go back
        (2026, 10, 25, 23, 30),  # GMT again
    ],
)
def test_a_run_day_across_a_dst_change(client: Client, moment: tuple[int, ...]) -> None:
    run = RunFactory(date=dt.date(*moment[:3]))
    with at(*moment):
        assert checkin(client, run, "Ana").status_code == 200


def test_the_run_closes_at_midnight_after_a_dst_change(client: Client) -> None:
    run = RunFactory(date=dt.date(2026, 3, 29))
    with at(2026, 3, 30, 0, 0):
        assert checkin(client, run, "Ana").status_code == 410
