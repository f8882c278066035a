"""/healthz: what a host's health check sees."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_is_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


def test_it_is_503_when_the_database_cannot_be_read(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    failure = OperationalError("unable to open database file /secret/path/runclub.sqlite3")
    with mock.patch("calendar_app.models.RunQuerySet.exists", side_effect=failure):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert b"secret" not in response.content  # the reason is in the log, not the answer
    assert "/secret/path" in caplog.text


def test_it_answers_a_platform_checking_by_another_host_name_over_plain_http(
    client: Client, settings: object
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="healthcheck.railway.app")
    assert response.status_code == 200
    # Every other page still refuses that host.
    assert client.get("/", HTTP_HOST="healthcheck.railway.app").status_code == 400


def test_it_touches_no_cache(client: Client) -> None:
    with mock.patch("django.core.cache.cache.get", side_effect=AssertionError("cache used")):
        assert client.get("/healthz").status_code == 200
