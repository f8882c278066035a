"""axe-core finds no serious or critical accessibility problem on the runners' and QR pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, screenshot, serious_violations

pytestmark = pytest.mark.slow


def test_the_checkin_form_and_its_answer_pass_axe(phone: Page, site: Site) -> None:
    phone.goto(site.url(site.checkin_path))
    assert serious_violations(phone) == []

    phone.get_by_label("Your name").fill("")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_text("Please type your name.")).to_be_visible()
    screenshot(phone, "checkin-invalid-phone")
    assert serious_violations(phone) == []

    phone.get_by_label("Your name").fill("Axe Tester")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_role("heading", name="You're checked in, Axe Tester")).to_be_visible()
    assert serious_violations(phone) == []


def test_the_qr_page_passes_axe(organiser: Page, site: Site) -> None:
    organiser.goto(site.url(site.qr_path))
    expect(organiser.get_by_role("figure")).to_be_visible()
    assert serious_violations(organiser) == []


def test_the_checker_itself_reports_a_planted_problem(phone: Page) -> None:
    phone.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    assert any("image-alt" in finding for finding in serious_violations(phone))


def test_the_live_page_passes_axe(desktop: Page, site: Site) -> None:
    desktop.goto(site.url("/live/"))
    expect(desktop.locator("[data-live-status]")).to_have_text("Live")
    assert serious_violations(desktop) == []


def test_the_live_page_with_names_passes_axe(organiser: Page, site: Site) -> None:
    organiser.goto(site.url("/live/"))
    expect(organiser.get_by_role("heading", name="Latest check-ins")).to_be_visible()
    screenshot(organiser, "live-with-names-desktop")
    assert serious_violations(organiser) == []
