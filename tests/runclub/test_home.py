from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_it_says_when_and_where_today_s_run_is(client: Client) -> None:
    run = RunFactory(place="The Oval")
    AttendanceFactory(run=run, runner_name="Ana Silva")
    text = text_of(client.get("/"))
    assert "We run today" in text
    assert "18:00" in text and "The Oval" in text
    assert "Ana Silva" not in text  # names never reach anonymous pages
    assert run.checkin_path() not in client.get("/").content.decode()


def test_it_says_when_there_is_no_run(client: Client) -> None:
    assert "No run today" in text_of(client.get("/"))


def test_it_says_when_today_s_run_is_cancelled(client: Client) -> None:
    RunFactory(is_active=False)
    assert "Today's run is cancelled" in text_of(client.get("/"))
