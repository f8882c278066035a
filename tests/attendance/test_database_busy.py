"""The database locked beyond the busy timeout: a clear "try again", nothing half-written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from django.test import Client

from attendance.models import Attendance
from calendar_app.models import Run
from tests.api.helpers import post_json
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def write_lock_held_elsewhere() -> Iterator[None]:
    """Another connection holds the write lock; our wait for it is cut to 0.2 s."""
    held = _sqlite_lock if connection.vendor == "sqlite" else _postgresql_lock
    with held():
        yield


@contextmanager
def _sqlite_lock() -> Iterator[None]:
    options = connection.settings_dict["OPTIONS"]
    old_timeout = options["timeout"]
    options["timeout"] = 0.2
    connection.close()  # the next query reconnects with the short timeout
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()
        options["timeout"] = old_timeout
        connection.close()


@contextmanager
def _postgresql_lock() -> Iterator[None]:
    options = connection.settings_dict["OPTIONS"]
    old_options = options.get("options")
    options["options"] = "-c lock_timeout=200"
    _reconnect()
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or None,
    )
    # What a long migration or a stuck admin transaction would hold.
    other.execute("LOCK TABLE attendance_attendance IN EXCLUSIVE MODE")
    try:
        yield
    finally:
        other.rollback()
        other.close()
        options["options"] = old_options
        _reconnect()


def _reconnect() -> None:
    # The pool keeps its connections' options: close it so the next one is new.
    connection.close()
    connection.close_pool()


def test_a_locked_database_asks_the_runner_to_try_again(client: Client, run: Run) -> None:
    with write_lock_held_elsewhere():
        response = checkin(client, run, "Ana")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing was saved" in text_of(response)
    assert Attendance.objects.count() == 0


def test_the_same_form_succeeds_once_the_lock_is_gone(client: Client, run: Run) -> None:
    submission = "9b2f6f0e-3c1d-4d55-9f57-6b3c1a0f9d11"
    with write_lock_held_elsewhere():
        assert checkin(client, run, "Ana", submission).status_code == 503
    response = checkin(client, run, "Ana", submission)
    assert response.status_code == 200
    assert "Runner 1 today." in text_of(response)
    assert Attendance.objects.count() == 1


def test_the_api_answers_503_in_json_too(client: Client, run: Run) -> None:
    body = {"session_id": run.session_id, "runner_name": "Ana"}
    with write_lock_held_elsewhere():
        response = post_json(client, "/api/register", body)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing was saved" in response.json()["detail"]
    assert Attendance.objects.count() == 0
    assert post_json(client, "/api/register", body).status_code == 201
