"""A runner on a phone: scan, type a name, check in; the phone remembers them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ConsoleErrors, Site, screenshot

pytestmark = pytest.mark.slow


def test_it_checks_a_runner_in_and_remembers_them_next_time(
    phone: Page, site: Site, console_errors: ConsoleErrors
) -> None:
    phone.goto(site.url(site.checkin_path))
    screenshot(phone, "checkin-form-phone")
    phone.get_by_label("Your name").fill("Ana Silva")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_role("heading", name="You're checked in, Ana Silva")).to_be_visible()
    expect(phone.get_by_text("Checked in so far")).to_be_visible()
    screenshot(phone, "checkin-success-phone")

    phone.reload()
    expect(phone.get_by_label("Your name")).to_have_value("Ana Silva")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_role("heading", name="You're already checked in")).to_be_visible()
    expect(phone.get_by_text("No need to do it again")).to_be_visible()
    screenshot(phone, "checkin-duplicate-phone")
    assert console_errors == []


def test_it_works_the_same_with_javascript_off(browser: Browser, site: Site) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(site.url(site.checkin_path))
        page.get_by_label("Your name").fill("Bo Chen")
        page.get_by_role("button", name="Check in").tap()
        expect(page.get_by_role("heading", name="You're checked in, Bo Chen")).to_be_visible()

        page.goto(site.url(site.checkin_path))
        expect(page.get_by_label("Your name")).to_have_value("Bo Chen")
        page.get_by_role("button", name="Check in").tap()
        expect(page.get_by_role("heading", name="You're already checked in")).to_be_visible()
    finally:
        context.close()
