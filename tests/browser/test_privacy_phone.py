"""A runner reads what happens to their name, on their phone, where they type it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Site, screenshot, serious_violations

pytestmark = pytest.mark.slow

NOTICE = "Your name is kept for the club's attendance records for 3 years."


def test_a_runner_reads_the_notice_under_the_button_and_follows_it(phone: Page, site: Site) -> None:
    phone.goto(site.url(site.checkin_path))
    button = phone.get_by_role("button", name="Check in")
    notice = phone.locator(".privacy-note")
    expect(notice).to_contain_text(NOTICE)
    # Under the button, inside the screen a runner sees without scrolling.
    button_box, notice_box = button.bounding_box(), notice.bounding_box()
    assert button_box and notice_box
    assert notice_box["y"] >= button_box["y"] + button_box["height"]
    assert notice_box["y"] + notice_box["height"] <= 844
    screenshot(phone, "privacy-notice-phone")
    assert serious_violations(phone) == []

    phone.get_by_role("link", name="How we use it").tap()
    expect(phone.get_by_role("heading", name="Your name and our records")).to_be_visible()
    assert phone.url == site.url("/privacy/")
    for heading in ("What we keep", "Who sees it", "How long we keep it", "A copy, or erasure"):
        expect(phone.get_by_role("heading", name=heading)).to_be_visible()
    expect(phone.get_by_text("for 3 years after each check-in")).to_be_visible()
    screenshot(phone, "privacy-page-phone")
    assert serious_violations(phone) == []


def test_the_notice_stays_on_the_answer(phone: Page, site: Site) -> None:
    phone.goto(site.url(site.checkin_path + "?other=1"))
    phone.get_by_label("Their name").fill("Priya Notice")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_role("heading", name="You're in, Priya")).to_be_visible()
    expect(phone.locator(".privacy-note")).to_contain_text(NOTICE)
    screenshot(phone, "privacy-notice-answer-phone")


@pytest.fixture
def phone_without_javascript(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_the_privacy_page_needs_no_javascript(phone_without_javascript: Page, site: Site) -> None:
    page = phone_without_javascript
    page.goto(site.url(site.checkin_path))
    page.get_by_role("link", name="How we use it").click()
    expect(page.get_by_role("heading", name="Who sees it")).to_be_visible()
    expect(page.get_by_text("Never the public")).to_be_visible()
