"""A runner's season on their phone (/me/), the club's calendar and the term report, in Chromium:
a 390x844 phone and a laptop, with and without JavaScript, checked by axe and photographed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Site, screenshot, serious_violations

pytestmark = pytest.mark.slow


@pytest.fixture
def phone_without_javascript(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
        locale="en-GB",
    )
    yield context.new_page()
    context.close()


def check_in(page: Page, site: Site, name: str) -> None:
    page.goto(site.url(site.checkin_path))
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Check in").tap()
    expect(page.get_by_role("heading", name=re.compile("You're in"))).to_be_visible()


def controls_too_small_for_a_thumb(page: Page) -> list[str]:
    small = []
    for control in page.locator("main a, main button, main input:not([type=hidden])").all():
        box = control.bounding_box()
        if box is None or box["width"] < 44 or box["height"] < 44:
            small.append(f"{control.inner_text()!r}: {box}")
    return small


def test_the_answer_leads_to_the_runners_season(phone: Page, site: Site, console_errors) -> None:
    check_in(phone, site, "Sasha Season")
    expect(phone.get_by_role("link", name="Add the club's runs to your calendar")).to_be_visible()
    assert controls_too_small_for_a_thumb(phone) == []
    screenshot(phone, "answer-with-season-phone")
    phone.get_by_role("link", name="Your season").tap()
    expect(phone.get_by_role("heading", name="Your season")).to_be_visible()
    expect(phone.get_by_text("Sasha Season")).to_be_visible()
    expect(phone.locator(".tally", has_text="In all")).to_contain_text("1")
    expect(phone.get_by_text("You're in")).to_be_visible()  # today's run, among the next runs
    assert serious_violations(phone) == []
    assert controls_too_small_for_a_thumb(phone) == []
    screenshot(phone, "season-phone")
    assert console_errors == []


def test_the_season_page_on_a_laptop(browser: Browser, phone: Page, site: Site) -> None:
    check_in(phone, site, "Lara Laptop")
    laptop = browser.new_context(
        viewport={"width": 1366, "height": 900}, storage_state=phone.context.storage_state()
    )
    page = laptop.new_page()
    page.goto(site.url("/me/"))
    expect(page.get_by_text("Lara Laptop")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "season-laptop")
    laptop.close()


def test_another_phone_sees_a_friendly_empty_page(phone: Page, site: Site) -> None:
    phone.goto(site.url("/me/"))
    expect(phone.get_by_role("heading", name="Nothing here yet")).to_be_visible()
    expect(phone.get_by_role("button", name="Forget this phone")).to_have_count(0)
    assert serious_violations(phone) == []
    assert controls_too_small_for_a_thumb(phone) == []
    screenshot(phone, "season-empty-phone")


def test_forget_this_phone(phone: Page, site: Site) -> None:
    check_in(phone, site, "Fran Forget")
    phone.goto(site.url("/me/"))
    phone.get_by_role("button", name="Forget this phone").tap()
    expect(phone.get_by_text("This phone has forgotten you")).to_be_visible()
    expect(phone.get_by_text("Fran Forget")).to_have_count(0)
    assert serious_violations(phone) == []
    screenshot(phone, "season-forgotten-phone")
    phone.goto(site.url(site.checkin_path))
    expect(phone.get_by_label("Your name")).to_have_value("")


def test_it_all_works_without_javascript(phone_without_javascript: Page, site: Site) -> None:
    page = phone_without_javascript
    check_in(page, site, "Nico Noscript")
    page.get_by_role("link", name="Your season").tap()
    expect(page.get_by_text("Nico Noscript")).to_be_visible()
    page.get_by_role("button", name="Forget this phone").tap()
    expect(page.get_by_text("This phone has forgotten you")).to_be_visible()


def test_the_calendar_feed_is_offered_on_the_home_page(phone: Page, site: Site) -> None:
    phone.goto(site.url("/"))
    link = phone.get_by_role("link", name="Add the club's runs to your calendar")
    assert (link.get_attribute("href") or "").startswith("webcal://")
    feed = phone.request.get(site.url("/calendar.ics"))
    assert feed.ok and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VEVENT" in feed.text()
    screenshot(phone, "home-with-calendar-phone")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_the_term_report_prints_on_a_page_or_two(organiser: Page, site: Site) -> None:
    organiser.goto(site.url("/admin/calendar_app/term/add/"))
    organiser.get_by_label("Name").fill("Browser term")
    organiser.get_by_label("First day").fill("2020-01-06")
    organiser.get_by_label("Last day").fill("2030-12-20")
    organiser.get_by_role("button", name="Save", exact=True).click()
    organiser.get_by_role("link", name="Term report").click()
    expect(organiser.get_by_role("heading", name="Browser term")).to_be_visible()
    assert serious_violations(organiser) == []
    screenshot(organiser, "term-report-laptop")
    assert 1 <= pdf_pages(organiser.pdf(format="A4", print_background=True)) <= 2
