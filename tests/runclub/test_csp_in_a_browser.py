"""In Chromium, under the real Content-Security-Policy: the check-in page's script, the admin and
the API docs work.

Slow: starts a live server and a browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, sync_playwright

from calendar_app.models import Run
from tests.authenticator import KEY_HEX, TOLERANCE, Authenticator
from tests.chromium import launch
from tests.factories import RunFactory, StaffFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page() -> Iterator[tuple[Page, list[str]]]:
    """A page, and every CSP violation the browser reports on it.

    Playwright runs an event loop in this thread, so the database is set up by
    fixtures requested before this one.
    """
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        yield page, violations
        browser.close()


@pytest.fixture
def run(db: None) -> Run:
    return RunFactory()


def test_the_check_in_form_answers_in_place(live_server, run: Run, browser_page) -> None:  # type: ignore[no-untyped-def]
    page, violations = browser_page
    page.goto(live_server.url + run.checkin_path())
    page.evaluate("window.notReloaded = true")
    page.fill("#runner-name", "Ana Silva")
    page.click("button[type=submit]")
    page.wait_for_selector(".answer-ok")
    assert "You're in, Ana" in page.inner_text("#checkin-card")
    assert page.evaluate("window.notReloaded === true")  # answered in place, no page load
    assert violations == []


@pytest.fixture
def staff(db: None):  # type: ignore[no-untyped-def]
    user = StaffFactory()
    TOTPDevice.objects.create(
        user=user, key=KEY_HEX, tolerance=TOLERANCE, name="test phone", confirmed=True
    )
    return user


def test_the_admin_works_under_the_policy(live_server, staff, browser_page) -> None:  # type: ignore[no-untyped-def]
    page, violations = browser_page
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_auth-username", staff.username)
    page.fill("#id_auth-password", "correct horse battery")
    page.click("input[type=submit]")
    page.fill("#id_token-otp_token", Authenticator(live_server.url + staff.username).code())
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/calendar_app/run/add/")
    page.click("text=Today")  # the admin's date shortcut is JavaScript
    assert page.input_value("#id_date")
    page.fill("#id_place", "Boathouse")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert "was added successfully" in page.inner_text(".messagelist")
    assert violations == []


def test_the_api_docs_render_from_our_static_files(live_server, browser_page) -> None:  # type: ignore[no-untyped-def]
    page, violations = browser_page
    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert len(page.query_selector_all(".opblock")) == 8
    assert violations == []
