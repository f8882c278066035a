"""GET /api/calendar, GET /api/calendar/today, POST /api/calendar/configure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from calendar_app.models import Run, club_today
from tests.api.helpers import post_json
from tests.authenticator import log_in
from tests.factories import AttendanceFactory, RunFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = club_today


def test_it_lists_run_days_in_order_with_counts(client: Client) -> None:
    later = RunFactory(date=TODAY() + dt.timedelta(days=7))
    cancelled = RunFactory(date=TODAY() - dt.timedelta(days=7), is_active=False)
    today = RunFactory()
    AttendanceFactory.create_batch(2, run=today)
    assert client.get("/api/calendar").json() == [
        {"date": cancelled.date.isoformat(), "has_run": False, "attendance_count": 0,
         "session_id": None},
        {"date": today.date.isoformat(), "has_run": True, "attendance_count": 2,
         "session_id": None},
        {"date": later.date.isoformat(), "has_run": True, "attendance_count": 0,
         "session_id": None},
    ]  # fmt: skip


def test_it_lists_a_date_range(client: Client) -> None:
    RunFactory(date=TODAY() - dt.timedelta(days=7))
    run = RunFactory()
    RunFactory(date=TODAY() + dt.timedelta(days=7))
    day = run.date.isoformat()
    days = client.get("/api/calendar", {"start": day, "end": day}).json()
    assert [d["date"] for d in days] == [day]


def test_a_bad_date_is_422(client: Client) -> None:
    assert client.get("/api/calendar", {"start": "2026-02-30"}).status_code == 422


def test_today_says_whether_it_is_a_run_day(client: Client) -> None:
    assert client.get("/api/calendar/today").json() == {
        "date": TODAY().isoformat(),
        "has_run": False,
        "attendance_count": None,
        "session_id": None,
    }
    RunFactory()
    assert client.get("/api/calendar/today").json()["has_run"] is True


def test_only_staff_get_the_session_id(client: Client, staff_client: Client, run: Run) -> None:
    assert client.get("/api/calendar/today").json()["session_id"] is None
    assert staff_client.get("/api/calendar/today").json()["session_id"] == run.session_id
    assert staff_client.get("/api/calendar").json()[0]["session_id"] == run.session_id


def test_staff_make_and_cancel_run_days(staff_client: Client) -> None:
    day = (TODAY() + dt.timedelta(days=3)).isoformat()
    made = post_json(staff_client, "/api/calendar/configure", {"date": day, "has_run": True})
    assert made.status_code == 200
    run = Run.objects.get(date=day)
    assert made.json() == {
        "date": day, "has_run": True, "attendance_count": 0, "session_id": run.session_id
    }  # fmt: skip
    cancelled = post_json(staff_client, "/api/calendar/configure", {"date": day, "has_run": False})
    assert cancelled.json()["has_run"] is False
    assert not Run.objects.get(date=day).is_active


def test_cancelling_a_day_without_a_run_creates_nothing(staff_client: Client) -> None:
    response = post_json(
        staff_client, "/api/calendar/configure", {"date": "2030-01-01", "has_run": False}
    )
    assert response.json()["has_run"] is False
    assert not Run.objects.exists()


def test_configure_is_for_organisers_only(client: Client) -> None:
    body = {"date": "2030-01-01", "has_run": True}
    assert post_json(client, "/api/calendar/configure", body).status_code == 401
    committee = UserFactory(is_staff=True)
    committee.user_permissions.add(Permission.objects.get(codename="view_run"))
    log_in(client, committee)
    response = post_json(client, "/api/calendar/configure", body)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only organisers may change the calendar."}
    assert not Run.objects.exists()


def test_configure_needs_the_csrf_token(staff_client: Client) -> None:
    staff_client.handler.enforce_csrf_checks = True
    response = post_json(
        staff_client, "/api/calendar/configure", {"date": "2030-01-01", "has_run": True}
    )
    assert response.status_code == 403
    assert not Run.objects.exists()
