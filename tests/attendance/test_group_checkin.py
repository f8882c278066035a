"""One phone checking in a group (a volunteer with friends who have no phones): past the
per-browser limit it is told how many it checked in and how long to wait, not "busy"."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from attendance.models import Attendance
from calendar_app.models import Run
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def post(phone: Client, run: Run, name: str, submission_id: str, **headers: str):  # type: ignore[no-untyped-def]
    data = {"runner_name": name, "for_other": "1", "submission_id": submission_id}
    return phone.post(run.checkin_path(), data, headers=headers)


def test_thirty_friends_from_one_phone_within_two_minutes(run: Run) -> None:
    phone = Client()
    phone.get(run.checkin_path())  # the phone's CSRF cookie: one browser
    # Midday of the run's day, so that a minute's wait never crosses midnight.
    start = timezone.make_aware(dt.datetime.combine(run.date, dt.time(12)))
    # Quick taps: the clock stands still between them, so the first 20 share one window.
    with time_machine.travel(start, tick=False) as clock:
        waits = []
        for n in range(30):
            submission = str(uuid.uuid4())
            response = post(phone, run, f"Friend {n}", submission)
            if response.status_code == 429:
                seconds = int(response["Retry-After"])
                waits.append(seconds)
                text = text_of(response)
                assert "This phone has checked in 20 people in the last minute" in text
                assert f"wait {seconds} s, then tap Check in." in text
                assert f'value="Friend {n}"' in response.content.decode()  # the name stays
                assert "busy" not in text
                clock.shift(dt.timedelta(seconds=seconds))
                response = post(phone, run, f"Friend {n}", submission)
            assert response.status_code == 200, n
        elapsed = timezone.now() - start
    assert Attendance.objects.filter(run=run).count() == 30
    assert len(waits) == 1 and 0 < waits[0] <= 60
    assert elapsed <= dt.timedelta(minutes=2)


def test_the_page_script_gets_the_wait_to_count_down(run: Run) -> None:
    phone = Client()
    for n in range(21):
        response = post(phone, run, f"Friend {n}", str(uuid.uuid4()), HX_Request="true")
    assert response.status_code == 429
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="checkin-card"')
    assert f'data-wait="{response["Retry-After"]}"' in page
    assert "wait {seconds} s. It is sent by itself, or cancel it." in page


def test_a_flood_from_one_address_still_meets_the_address_limit(run: Run, settings: object) -> None:
    settings.RATELIMIT_CHECKIN_PER_ADDRESS = "5/m"  # type: ignore[attr-defined]
    statuses = [post(Client(), run, f"Bot {n}", str(uuid.uuid4())).status_code for n in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    refused = post(Client(), run, "Bot 9", str(uuid.uuid4()))
    assert "This phone has checked in" not in text_of(refused)
    assert "Too many tries from here" in text_of(refused)
    assert Attendance.objects.count() == 5
