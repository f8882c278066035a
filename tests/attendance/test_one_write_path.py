"""Every route that adds a check-in writes it the same way: services.record_checkin, through
the one model method (Attendance.record). No other way exists."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from attendance.models import Attendance
from calendar_app.models import Run
from tests.api.helpers import post_json
from tests.helpers import checkin

pytestmark = pytest.mark.django_db


def by_form(client_as: Callable[[str], Client], run: Run) -> None:
    assert checkin(client_as("anonymous"), run, "Ana Silva").status_code == 200


def by_api(client_as: Callable[[str], Client], run: Run) -> None:
    body = {"session_id": run.session_id, "runner_name": "Ana Silva"}
    assert post_json(client_as("anonymous"), "/api/register", body).status_code == 201


def by_admin_add(client_as: Callable[[str], Client], run: Run) -> None:
    data = {
        "run": run.pk,
        "runner_name": "Ana Silva",
        "registered_at_0": f"{run.date:%d/%m/%Y}",
        "registered_at_1": "18:05",
    }
    response = client_as("organiser").post(reverse("admin:attendance_attendance_add"), data)
    assert response.status_code == 302


def by_the_runs_page(client_as: Callable[[str], Client], run: Run) -> None:
    data = {
        "date": f"{run.date:%Y-%m-%d}",
        "starts_at": "18:00",
        "place": run.place,
        "is_active": "on",
        "attendances-TOTAL_FORMS": "1",
        "attendances-INITIAL_FORMS": "0",
        "attendances-0-runner_name": "Ana Silva",
        "attendances-0-registered_at_0": f"{run.date:%d/%m/%Y}",
        "attendances-0-registered_at_1": "18:05",
    }
    response = client_as("organiser").post(
        reverse("admin:calendar_app_run_change", args=[run.pk]), data
    )
    assert response.status_code == 302


def by_paper_list(client_as: Callable[[str], Client], run: Run) -> None:
    page = reverse("admin:attendance_paper_list", args=[run.pk])
    assert client_as("organiser").post(page, {"names": "Ana Silva"}).status_code == 200


def by_add_checkins(client_as: Callable[[str], Client], run: Run) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO("Ana Silva\n"))
        call_command("add_checkins", "today", "-", stdout=io.StringIO())


ROUTES = [by_form, by_api, by_admin_add, by_the_runs_page, by_paper_list, by_add_checkins]


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.__name__)
def test_every_route_writes_its_check_in_through_the_one_model_method(
    client_as: Callable[[str], Client], run: Run, route: Callable, monkeypatch
) -> None:
    recorded: list[Attendance] = []
    record = Attendance.record

    def spy(attendance: Attendance) -> None:
        recorded.append(attendance)
        record(attendance)

    monkeypatch.setattr(Attendance, "record", spy)
    route(client_as, run)
    written = Attendance.objects.get()
    assert [attendance.pk for attendance in recorded] == [written.pk]
    assert written.runner.name == "Ana Silva"


def test_saving_a_new_check_in_is_refused_with_the_way_to_write_one(run: Run) -> None:
    with pytest.raises(TypeError, match=r"services\.record_checkin"):
        Attendance.objects.create(run=run, runner_name="Ana Silva")
    assert not Attendance.objects.exists()
