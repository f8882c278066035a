"""The admin is the club's: its name on every page, Django's nowhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from calendar_app.models import club_today
from tests.factories import AttendanceFactory, RunFactory

pytestmark = pytest.mark.django_db

DJANGO = ("Django administration", "Django site admin", "Site administration")


@pytest.fixture(autouse=True)
def _club(settings) -> None:
    settings.CLUB_NAME = "Riverside Harriers"


def assert_the_clubs(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    page = response.content.decode()
    for words in DJANGO:
        assert words not in page
    assert '<div id="site-name"><a href="/admin/">Riverside Harriers</a></div>' in page
    assert "| Riverside Harriers</title>" in page


def test_the_log_in_page_is_the_clubs(client: Client) -> None:
    assert_the_clubs(client.get("/admin/login/"))


def test_the_logged_out_page_is_the_clubs(staff_client: Client) -> None:
    assert_the_clubs(staff_client.post("/admin/logout/"))


def test_the_log_in_page_is_titled_for_the_club(client: Client) -> None:
    assert (
        "<title>Log in | Riverside Harriers</title>" in client.get("/admin/login/").content.decode()
    )


def pages() -> list[str]:
    run = RunFactory()
    checkin = AttendanceFactory(run=run)
    return [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:password_change_done"),
        reverse("admin:calendar_app_run_changelist"),
        reverse("admin:calendar_app_run_change", args=[run.pk]),
        reverse("admin:calendar_app_run_add"),
        reverse("admin:calendar_app_run_calendar_month", args=[2026, 10]),
        reverse("admin:calendar_app_run_schedule"),
        reverse("admin:attendance_attendance_changelist"),
        reverse("admin:attendance_attendance_change", args=[checkin.pk]),
        reverse("admin:attendance_history"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:app_list", args=["calendar_app"]),
    ]


def test_every_admin_page_is_the_clubs(staff_client: Client) -> None:
    for path in pages():
        assert_the_clubs(staff_client.get(path))


def test_every_admin_page_loads_the_organisers_styles_and_htmx_once(staff_client: Client) -> None:
    run = RunFactory(date=club_today() - dt.timedelta(days=2))  # pages() makes today's
    own_pages = [
        reverse("admin:attendance_paper_list", args=[run.pk]),
        reverse("admin:attendance_member_import"),
        reverse("admin:attendance_runner_variants"),
    ]
    for path in [*pages(), *own_pages]:
        page = staff_client.get(path).content.decode()
        assert page.count("css/organisers.css") == 1, path
        assert page.count("django_htmx/htmx") == 1, path
