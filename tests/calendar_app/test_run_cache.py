"""The check-in link's run is cached; the organisers' changes still show at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from attendance.models import Attendance
from calendar_app.models import RUN_CACHE_SECONDS, Run
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db


def test_a_run_cancelled_after_its_page_was_seen_refuses_check_in(
    client: Client, run: Run, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    assert client.get(run.checkin_path()).status_code == 200
    run.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        run.save()
    response = checkin(client, run, "Ana")
    assert response.status_code == 403
    assert "This run is cancelled" in text_of(response)
    assert Attendance.objects.count() == 0


def test_a_moved_run_follows_its_new_place(
    client: Client, run: Run, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client.get(run.checkin_path())
    run.place = "Boathouse steps"
    with django_capture_on_commit_callbacks(execute=True):
        run.save()
    assert "Boathouse steps" in text_of(client.get(run.checkin_path()))


def test_a_deleted_run_is_404(
    client: Client, run: Run, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client.get(run.checkin_path())
    with django_capture_on_commit_callbacks(execute=True):
        Run.objects.filter(pk=run.pk).delete()
    assert client.get(run.checkin_path()).status_code == 404


def test_a_change_made_by_another_process_shows_within_seconds(
    client: Client, run: Run, settings: object
) -> None:
    # Another process (add_run_day, a second server) cannot clear this process's local
    # cache (the default set-up): an update that sends no signal stands for it.
    settings.CACHES = {
        "security": settings.CACHES["security"],
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"},
    }
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get(run.checkin_path()).status_code == 200
        Run.objects.filter(pk=run.pk).update(is_active=False)
        clock.shift(RUN_CACHE_SECONDS + 0.1)
        response = client.get(run.checkin_path())
    assert RUN_CACHE_SECONDS < 5
    assert response.status_code == 403
    assert "This run is cancelled" in text_of(response)


def test_the_page_reads_no_database_once_cached(
    client: Client, run: Run, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.get(run.checkin_path())
    with django_assert_num_queries(0):
        assert client.get(run.checkin_path()).status_code == 200


def test_check_in_works_when_the_cache_is_down(client: Client, run: Run) -> None:
    with mock.patch.object(cache, "get", side_effect=RedisConnectionError("refused")):
        response = checkin(client, run, "Ana")
    assert response.status_code == 200
    assert Attendance.objects.get().runner_name == "Ana"
