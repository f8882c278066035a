"""The calendar in a real browser: a click toggles a day in place, with and without JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from calendar_app.models import Run
from tests.chromium import launch
from tests.factories import StaffFactory
from tests.ports import port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 10, 6)


@pytest.fixture
def server(transactional_db: None) -> Iterator[str]:
    from pytest_django.live_server_helper import LiveServer

    live = LiveServer(f"127.0.0.1:{port(18421)}")
    yield live.url
    live.stop()


@pytest.fixture
def session(server: str) -> str:
    """A logged-in superuser's session cookie (made before Playwright's event loop starts)."""
    client = Client()
    client.force_login(StaffFactory())
    return client.cookies["sessionid"].value


def run_is_active() -> bool | None:
    """Read the day from the database outside Playwright's event loop, as Django requires."""

    def read() -> bool | None:
        run = Run.objects.filter(date=DAY).first()
        return None if run is None else run.is_active

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result()


@pytest.fixture
def browser(session: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def logged_in_page(browser, server: str, session: str, javascript: bool):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=javascript)
    context.add_cookies([{"name": "sessionid", "value": session, "url": server}])
    page = context.new_page()
    page.csp_violations = []  # the Content-Security-Policy allows nothing inline
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    page.goto(f"{server}/admin/calendar_app/run/calendar/2026/10/")
    return page


def test_a_click_toggles_the_day_without_reloading_the_page(server, session, browser) -> None:
    page = logged_in_page(browser, server, session, javascript=True)
    page.evaluate("window.stillTheSamePage = true")
    cell = page.locator("#day-2026-10-06")
    cell.get_by_role("button").click()
    page.locator("#day-2026-10-06.rc-run").wait_for()
    assert "run day" in page.locator("#day-2026-10-06").inner_text()
    assert page.evaluate("window.stillTheSamePage") is True
    assert run_is_active() is True
    page.locator("#day-2026-10-06 button").click()
    page.locator("#day-2026-10-06.rc-cancelled").wait_for()
    assert run_is_active() is False
    assert page.csp_violations == []


def test_without_javascript_the_same_click_posts_a_form(server, session, browser) -> None:
    page = logged_in_page(browser, server, session, javascript=False)
    with page.expect_navigation():
        page.locator("#day-2026-10-06 button").click()
    assert "run day" in page.locator("#day-2026-10-06").inner_text()
    assert run_is_active() is True
