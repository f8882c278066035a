"""A database that cannot save at all (full disk, read-only, missing) is not "busy": the
runner is told to give their name to an organiser, and nothing says to send it again."""

from __future__ import annotations

import sqlite3
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from attendance.models import Attendance
from calendar_app.models import Run
from runclub.lib import storage
from tests.api.helpers import post_json
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db


def disk_full() -> OperationalError:
    """The error SQLite gives when a write finds no room, as Django raises it."""
    database = sqlite3.connect(":memory:")
    try:
        database.execute("PRAGMA max_page_count = 2")
        database.execute("CREATE TABLE t (x)")
        database.execute("INSERT INTO t VALUES (zeroblob(100000))")
    except sqlite3.OperationalError as error:
        try:
            raise OperationalError(*error.args) from error
        except OperationalError as django_error:
            return django_error
    raise AssertionError("SQLite found room")


def test_a_full_disk_sends_the_runner_to_an_organiser(
    client: Client, run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    with mock.patch("attendance.views.check_in", side_effect=disk_full()):
        response = checkin(client, run, "Ana")
        again = checkin(client, run, "Ben")
    assert response.status_code == again.status_code == 507
    assert "Retry-After" not in response
    page = text_of(response)
    assert "please give your name to an organiser" in page
    assert "busy" not in page.lower()
    assert Attendance.objects.count() == 0
    # One line naming the cause, not one per runner.
    causes = [r.getMessage() for r in caplog.records if r.name == "runclub.lib.storage"]
    assert len(causes) == 1
    assert causes[0].startswith("check-ins cannot be saved: the disk holding the database is full")


def test_the_api_answers_507_with_the_same_words(client: Client, run: Run) -> None:
    body = {"session_id": run.session_id, "runner_name": "Ana"}
    with mock.patch("attendance.api.check_in", side_effect=disk_full()):
        response = post_json(client, "/api/register", body)
    assert response.status_code == 507
    assert "give your name to an organiser" in response.json()["detail"]
    assert post_json(client, "/api/register", body).status_code == 201


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL's disk is out of sight: its trouble shows after a failed save (below)",
)
def test_the_health_check_names_the_trouble_in_one_word(client: Client) -> None:
    with mock.patch("shutil.disk_usage", return_value=mock.Mock(free=0)):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (503, b"disk-full\n")
    with mock.patch("os.access", return_value=False):
        assert client.get("/healthz").content == b"read-only\n"
    assert client.get("/healthz").content == b"ok\n"


def test_on_postgresql_a_failed_save_shows_in_the_health_check_for_a_while(
    client: Client, run: Run
) -> None:
    # A PostgreSQL server's full disk is out of sight until a save fails there.
    with mock.patch("runclub.lib.storage.sqlite_file", return_value=None):
        with mock.patch("attendance.views.check_in", side_effect=disk_full()):
            checkin(client, run, "Ana")
        assert client.get("/healthz").content == b"disk-full\n"
        storage.forget()
        assert client.get("/healthz").content == b"ok\n"


def test_the_phone_is_given_its_words_for_it(client: Client, run: Run) -> None:
    page = client.get(run.checkin_path()).content.decode()
    assert 'data-say-broken="The club&#x27;s server can&#x27;t save check-ins just now.' in page
    assert "data-say-gave-up=" in page
