from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from calendar_app.models import UPCOMING_CACHE_KEY, Run
from runclub.lib import storage
from tests.authenticator import log_in
from tests.factories import (
    CommitteeFactory,
    OrganiserFactory,
    RunFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _static_without_manifest(settings: object) -> None:
    # The manifest exists only after collectstatic; tests serve the source files.
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def run(db: None) -> Run:
    """Today's run, open for check-in."""
    return RunFactory()


@pytest.fixture
def staff_client(db: None) -> Client:
    client = Client()
    log_in(client, StaffFactory())
    return client


ROLES = ["anonymous", "plain user", "committee", "organiser", "superuser"]


@pytest.fixture
def client_as(db: None) -> Callable[[str], Client]:
    """A client logged in as one of ROLES ("anonymous": not logged in)."""

    def make(role: str) -> Client:
        client = Client()
        user = {
            "anonymous": None,
            "plain user": UserFactory,
            "committee": CommitteeFactory,
            "organiser": OrganiserFactory,
            "superuser": StaffFactory,
        }[role]
        if user is not None:
            log_in(client, user())
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # Every factory user gets a password; the real hasher's slowness is on purpose, not here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings: object) -> None:
    # Every test counts from zero. A prefix of its own rather than a cache flush:
    # on CI the cache is a shared Redis, and its keys expire by themselves.
    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def _no_upcoming_runs_from_other_tests() -> None:
    # "Next run" is cached under one key; a test's runs are rolled back, its cache entry is not.
    cache.delete(UPCOMING_CACHE_KEY)


@pytest.fixture(autouse=True)
def _fresh_failed_attempt_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Refused check-ins are counted in the cache too: each test from zero, as above.
    monkeypatch.setattr("attendance.failures.PREFIX", f"failed:{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def _no_failed_save_remembered() -> Iterator[None]:
    # A failed save is remembered for half a minute of time.monotonic() (runclub.lib.storage),
    # and a test may note one at a made-up time: on a machine up for less than that made-up
    # time, the next tests' /healthz would answer "disk-full" on PostgreSQL.
    storage.forget()
    yield
    storage.forget()
