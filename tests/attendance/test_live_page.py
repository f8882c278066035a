"""GET /live/: the count as the page first shows it, before (or without) JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client

from calendar_app.models import Run
from tests.factories import AttendanceFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_it_shows_anyone_todays_count_but_no_names(client: Client, run: Run) -> None:
    AttendanceFactory(run=run, runner_name="Zoë Ó Briain")
    AttendanceFactory(run=run)
    response = client.get("/live/")
    assert response.status_code == 200
    assert '<strong id="attendance-count">2</strong>' in response.content.decode()
    assert "Zoë" not in text_of(response)


def test_staff_see_the_latest_names_newest_first(staff_client: Client, run: Run) -> None:
    AttendanceFactory(run=run, runner_name="Ana Silva")
    AttendanceFactory(run=run, runner_name="Bo Chen")
    text = text_of(staff_client.get("/live/"))
    assert "Latest check-ins Bo Chen" in text
    assert text.index("Bo Chen") < text.index("Ana Silva")


def test_it_connects_to_the_live_socket_and_says_how_to_update_without_it(
    client: Client, run: Run
) -> None:
    page = client.get("/live/").content.decode()
    assert 'hx-ext="ws" ws-connect="/ws/live/"' in page
    assert "htmx-ext-ws-2.0.4/ws.js" in page
    assert "reload for the latest count" in text_of(client.get("/live/"))


def test_it_says_so_when_there_is_no_run_today(client: Client, db: None) -> None:
    response = client.get("/live/")
    assert "No run today" in text_of(response)
    assert '<strong id="attendance-count">0</strong>' in response.content.decode()
