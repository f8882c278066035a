"""GET /api/attendance/today and /api/attendance/history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from calendar_app.models import Run, club_today
from tests.authenticator import log_in
from tests.factories import AttendanceFactory, RunFactory, UserFactory

pytestmark = pytest.mark.django_db


def committee_client() -> Client:
    member = UserFactory(is_staff=True)
    member.user_permissions.add(Permission.objects.get(codename="view_attendance"))
    client = Client()
    log_in(client, member)
    return client


def test_anyone_sees_todays_count_but_no_names(client: Client, run: Run) -> None:
    AttendanceFactory(run=run, runner_name="Ana")
    AttendanceFactory(run=run, runner_name="Ben")
    assert client.get("/api/attendance/today").json() == {
        "date": run.date.isoformat(), "has_run": True, "count": 2, "names": None
    }  # fmt: skip


def test_the_committee_sees_names_in_check_in_order(run: Run) -> None:
    AttendanceFactory(run=run, runner_name="Ben")
    AttendanceFactory(run=run, runner_name="Ana")
    assert committee_client().get("/api/attendance/today").json()["names"] == ["Ben", "Ana"]


def test_staff_without_the_view_permission_see_no_names(client: Client, run: Run) -> None:
    AttendanceFactory(run=run)
    log_in(client, UserFactory(is_staff=True))
    assert client.get("/api/attendance/today").json()["names"] is None


def test_no_run_today_is_a_zero_count(client: Client) -> None:
    body = client.get("/api/attendance/today").json()
    assert body == {"date": club_today().isoformat(), "has_run": False, "count": 0, "names": None}


def test_history_lists_past_runs_newest_first() -> None:
    today = RunFactory()
    last_week = RunFactory(date=today.date - dt.timedelta(days=7))
    RunFactory(date=today.date + dt.timedelta(days=7))
    AttendanceFactory.create_batch(3, run=last_week)
    history = committee_client().get("/api/attendance/history").json()
    assert [(d["date"], d["attendance_count"]) for d in history] == [
        (today.date.isoformat(), 0),
        (last_week.date.isoformat(), 3),
    ]


def test_history_is_for_the_committee_only(client: Client, run: Run) -> None:
    assert client.get("/api/attendance/history").status_code == 401
    log_in(client, UserFactory(is_staff=True))
    response = client.get("/api/attendance/history")
    assert response.status_code == 403
    assert "committee" in response.json()["detail"]
