"""GET /qr/<session_id>/projector/: the QR code beside the live count, for staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from calendar_app.models import Run, club_today
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def projector_path(run: Run) -> str:
    return f"/qr/{run.session_id}/projector/"


def test_it_shows_the_code_and_the_count_side_by_side(staff_client: Client, run: Run) -> None:
    AttendanceFactory.create_batch(2, run=run)
    response = staff_client.get(projector_path(run))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert run.checkin_url() in page
    assert f'<p class="short-code">{run.spaced_short_code}</p>' in page
    assert '<strong id="attendance-count">2</strong>' in page
    assert 'ws-connect="/ws/live/?view=count"' in page


def test_it_never_projects_names(staff_client: Client, run: Run) -> None:
    AttendanceFactory(run=run, runner_name="Zoë Ó Briain")
    assert "Zoë" not in text_of(staff_client.get(projector_path(run)))


def test_it_is_for_staff_only(client: Client, run: Run) -> None:
    response = client.get(projector_path(run))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_warns_when_the_code_is_not_todays(staff_client: Client, db: None) -> None:
    tomorrow = RunFactory(date=club_today() + dt.timedelta(days=1))
    text = text_of(staff_client.get(projector_path(tomorrow)))
    assert f"This code is for {tomorrow.date:%A} {tomorrow.date.day} {tomorrow.date:%B}" in text


def test_the_qr_page_links_to_it(staff_client: Client, run: Run) -> None:
    assert projector_path(run) in staff_client.get(run.qr_path()).content.decode()
