"""Refused check-ins, counted per run and reason for organisers, without names."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance import failures, wording
from attendance.models import FailedAttempt
from calendar_app.models import Run, club_today
from tests.factories import RunFactory
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db

Reason = FailedAttempt.Reason
# Well formed, but signed with no key of ours.
FORGED_PATH = "/checkin/xxxxxxxxxxxxxxxxxxxxxx:sgcA9WRAqqsD0keO1eqXouViit0DDfH0jty96LQH1IQ/"


def counts() -> dict[tuple[str, dt.date | None], int]:
    """Every tally as readers see it (database and cache), by reason and run date."""
    found: dict[tuple[str, dt.date | None], int] = {}
    for run in Run.objects.all():
        for tally in failures.tallies(run):
            found[(tally.reason, tally.run.date if tally.run else None)] = tally.count
    return found


def test_each_refusal_is_counted_against_its_run_and_reason(client: Client, run: Run) -> None:
    yesterday = RunFactory(date=run.date - dt.timedelta(days=1))
    tomorrow = RunFactory(date=run.date + dt.timedelta(days=1))
    cancelled = RunFactory(date=run.date + dt.timedelta(days=2), is_active=False)
    for _ in range(3):
        client.get(yesterday.checkin_path())
    checkin(client, yesterday, "Ana Silva")
    client.get(tomorrow.checkin_path())
    client.get(cancelled.checkin_path())
    client.get(FORGED_PATH)
    failures.record("wrong_code")  # what /c/ calls for a code that is no run's
    assert counts() == {
        (Reason.OVER, yesterday.date): 4,
        (Reason.NOT_YET, tomorrow.date): 1,
        (Reason.CANCELLED, cancelled.date): 1,
        (Reason.FORGED, None): 1,
        (Reason.WRONG_CODE, None): 1,
    }


def test_a_successful_check_in_counts_nothing(client: Client, run: Run) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert checkin(client, run, "Ana Silva").status_code == 200
    assert not FailedAttempt.objects.exists()
    assert not [q for q in queries if "failedattempt" in q["sql"]]


def test_rate_limited_check_ins_are_counted(client: Client, run: Run, settings: object) -> None:
    settings.RATELIMIT_CHECKIN_PER_BROWSER = "2/m"
    client.get(run.checkin_path())  # the CSRF cookie the per-browser limit keys on
    statuses = [checkin(client, run, f"Runner {n}").status_code for n in range(5)]
    assert statuses == [200, 200, 429, 429, 429]
    assert counts()[(Reason.RATE_LIMITED, run.date)] == 3


def test_the_api_counts_its_refusals_too(client: Client, run: Run) -> None:
    past = RunFactory(date=run.date - dt.timedelta(days=7))
    body = {"session_id": past.session_id, "runner_name": "Ana"}
    response = client.post("/api/register", json.dumps(body), content_type="application/json")
    assert response.status_code == 410
    assert counts()[(Reason.OVER, past.date)] == 1


def test_a_flood_of_refusals_is_counted_with_a_bounded_number_of_writes(
    client: Client, run: Run
) -> None:
    old_poster = RunFactory(date=run.date - dt.timedelta(days=7))
    with (
        time_machine.travel(run.starts, tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        for _ in range(1000):
            assert client.get(old_poster.checkin_path()).status_code == 410
    writes = [
        q["sql"]
        for q in queries
        if "failedattempt" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    # One write per reason and run every FLUSH_SECONDS (the clock stands still here; a shared
    # Redis's clock does not).
    assert 1 <= len(writes) <= 3
    assert FailedAttempt.objects.count() == 1
    assert counts() == {(Reason.OVER, old_poster.date): 1000}


def test_counts_left_in_the_cache_reach_the_database_with_the_next_refusal(run: Run) -> None:
    old = RunFactory(date=run.date - dt.timedelta(days=7))
    for _ in range(5):
        failures.record(Reason.OVER, old)
    assert FailedAttempt.objects.get().count == 1
    assert counts() == {(Reason.OVER, old.date): 5}, "readers add what the cache holds"
    # FLUSH_SECONDS later (the cache forgets when it last flushed), the next refusal writes.
    cache.delete(f"{failures._key(club_today(), old.pk, Reason.OVER)}:flushed")
    failures.record(Reason.OVER, old)
    assert FailedAttempt.objects.get().count == 6
    assert counts() == {(Reason.OVER, old.date): 6}


def test_the_runs_page_says_who_tried_which_code(client: Client, client_as, run: Run) -> None:
    last_week = RunFactory(date=run.date - dt.timedelta(days=7))
    for _ in range(14):
        client.get(last_week.checkin_path())
    failures.record("wrong_code")
    failures.record("wrong_code")
    lines = wording.refused_checkins(run, failures.tallies(run))
    assert lines == [
        f"14 tries today with the link of the run on {last_week.date:%a %-d %b %Y} "
        "(its check-in was over): is an old poster or QR code still up?",
        "2 tries today: a code typed at /c/ that is no run's.",
    ]
    page = client_as("committee").get(reverse("admin:calendar_app_run_change", args=[run.pk]))
    assert "Refused check-ins 14 tries today with the link of the run on" in text_of(page)
    own = client_as("committee").get(reverse("admin:calendar_app_run_change", args=[last_week.pk]))
    assert "14 tries with this run's link after its day was over." in text_of(own)


def test_counting_never_fails_a_refusal(client: Client, run: Run, monkeypatch) -> None:
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(*args: object, **kwargs: object) -> None:
        raise RedisConnectionError("cache down")

    monkeypatch.setattr("attendance.failures.cache.add", down)
    old = RunFactory(date=club_today() - dt.timedelta(days=1))
    assert client.get(old.checkin_path()).status_code == 410
    assert not FailedAttempt.objects.exists()


def test_the_today_screen_says_so_too(client: Client, client_as, run: Run) -> None:
    last_week = RunFactory(date=run.date - dt.timedelta(days=7))
    for _ in range(3):
        client.get(last_week.checkin_path())
    page = client_as("organiser").get(reverse("admin:index"))
    assert "3 tries today with the link of the run on" in text_of(page)


def test_the_nightly_flush_moves_what_no_later_refusal_did(run: Run) -> None:
    old = RunFactory(date=run.date - dt.timedelta(days=7))
    with time_machine.travel(run.starts - dt.timedelta(days=1), tick=False):
        for _ in range(4):
            failures.record(Reason.OVER, old)
        failures.record(Reason.FORGED)
    assert FailedAttempt.objects.get(reason=Reason.OVER).count == 1  # the first was written
    out = io.StringIO()
    call_command("flush_failed_attempts", stdout=out)
    assert out.getvalue() == "Moved 3 refused check-ins from the cache into the database.\n"
    assert {(t.reason, t.count) for t in FailedAttempt.objects.all()} == {
        (Reason.OVER, 4),
        (Reason.FORGED, 1),
    }
    assert counts() == {(Reason.OVER, old.date): 4}, "nothing is counted twice"
    call_command("flush_failed_attempts", stdout=out)
    assert out.getvalue().endswith("Moved 0 refused check-ins from the cache into the database.\n")
