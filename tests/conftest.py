from __future__ import annotations

import uuid

import pytest
from django.test import Client

from calendar_app.models import Run
from tests.factories import RunFactory, StaffFactory


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
    client.force_login(StaffFactory())
    return client


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings: object) -> None:
    # Every test counts from zero. A prefix of its own rather than a cache flush:
    # on CI the cache is a shared Redis, and its keys expire by themselves.
    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex}:"
