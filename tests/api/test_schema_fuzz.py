"""schemathesis against our own OpenAPI schema: no generated input gets a 500.

The fast run is bounded and derandomised, so CI sees the same inputs every time;
the slow run explores further with fresh examples.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as examples
from schemathesis.checks import not_a_server_error

from runclub.wsgi import application
from tests.authenticator import log_in
from tests.factories import RunFactory, StaffFactory

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

QUICK = examples(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
THOROUGH = examples(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def as_staff(db: None) -> dict[str, dict[str, str]]:
    """A logged-in organiser's cookies and CSRF header, as a browser would send them."""
    client = Client()
    log_in(client, StaffFactory())
    csrf = _get_new_csrf_string()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "cookies": {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: csrf},
        "headers": {"X-CSRFToken": csrf},
    }


@pytest.fixture
def _a_run_today(db: None) -> Iterator[None]:
    RunFactory()
    # As Django's own test client does: the real WSGI handler would close the
    # connection after each request, and with it the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_a_run_today")
@schema.parametrize()
@QUICK
def test_it_never_answers_500_to_anyone(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])


@pytest.mark.usefixtures("_a_run_today")
@schema.parametrize()
@QUICK
def test_it_never_answers_500_to_staff(
    case: schemathesis.Case, as_staff: dict[str, dict[str, str]]
) -> None:
    case.call_and_validate(**as_staff, checks=[not_a_server_error])


@pytest.mark.slow
@pytest.mark.usefixtures("_a_run_today")
@schema.parametrize()
@THOROUGH
def test_a_longer_search_finds_no_500_either(
    case: schemathesis.Case, as_staff: dict[str, dict[str, str]]
) -> None:
    case.call_and_validate(**as_staff, checks=[not_a_server_error])
