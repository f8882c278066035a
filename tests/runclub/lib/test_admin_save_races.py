"""Two saves at once in the admin: the later one is a form error or a message, never a 500.

A form validates, then saves; another connection can commit the same row in between (a
runner's phone checks them in while an organiser types their name, two organisers add
the same day). The tests let the first validation miss the other row, as it would have
missed a row committed a moment later, and check what the organiser is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.urls import reverse

from attendance.forms import AttendanceForm
from attendance.models import Attendance
from calendar_app.admin import RunForm
from calendar_app.models import Run
from runclub.lib.admin import SAVED_ELSEWHERE
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 6)


def blind_once(monkeypatch: pytest.MonkeyPatch, owner: type, method: str) -> None:
    """The first call of ``owner.method`` checks nothing: the other save had not committed."""
    original = getattr(owner, method)
    calls = []

    def check(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) > 1:
            return original(self, *args, **kwargs)
        return None

    monkeypatch.setattr(owner, method, check)


def add_check_in(client: Any, run: Run, name: str) -> Any:
    return client.post(
        reverse("admin:attendance_attendance_add"),
        {
            "run": run.pk,
            "runner_name": name,
            "registered_at_0": "06/10/2026",
            "registered_at_1": "18:05",
        },
    )


def test_a_name_the_phone_checked_in_meanwhile_is_a_form_error_keeping_the_input(
    client_as: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = RunFactory(date=DAY)
    AttendanceFactory(run=run, runner_name="Ana Silva")  # the phone's, a moment ago
    blind_once(monkeypatch, Attendance, "clean")

    response = add_check_in(client_as("organiser"), run, "ana silva")

    assert response.status_code == 200
    assert "Ana Silva is already checked in to this run" in text_of(response)
    assert response.context["adminform"].form["runner_name"].value() == "ana silva"
    assert list(run.attendances.values_list("runner_name", flat=True)) == ["Ana Silva"]


def test_two_organisers_adding_the_same_day_is_a_form_error(
    client_as: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    RunFactory(date=DAY, place="The Oval")  # the other organiser's
    blind_once(monkeypatch, RunForm, "validate_unique")

    response = client_as("organiser").post(
        reverse("admin:calendar_app_run_add"),
        {
            "date": "2026-10-06",
            "starts_at": "18:30",
            "place": "Riverside",
            "is_active": "on",
            "attendances-TOTAL_FORMS": "0",
            "attendances-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"]
    assert list(Run.objects.values_list("place", flat=True)) == ["The Oval"]


def test_a_collision_no_form_rule_covers_is_a_message_and_saves_nothing(
    client_as: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = RunFactory(date=DAY)

    def collide(self: AttendanceForm, commit: bool = True) -> Attendance:
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(AttendanceForm, "save", collide)
    client = client_as("organiser")

    response = add_check_in(client, run, "Ben Jones")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:attendance_attendance_add")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [SAVED_ELSEWHERE]
    assert not run.attendances.exists()
