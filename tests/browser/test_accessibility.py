"""axe-core finds no serious or critical accessibility problem on the runners' and QR pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, screenshot, serious_violations
from tests.browser.test_runner_phone import lose_signal, regain_signal
from tests.netcut import NetworkCut

pytestmark = pytest.mark.slow


def test_the_checkin_form_and_its_answers_pass_axe(
    phone: Page, site: Site, relay: NetworkCut
) -> None:
    phone.goto(relay.url + site.checkin_path)
    assert serious_violations(phone) == []

    phone.get_by_label("Your name").fill("")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_text("Please type your name.")).to_be_visible()
    screenshot(phone, "checkin-invalid-phone")
    assert serious_violations(phone) == []

    phone.get_by_label("Your name").fill("Сarla Diaz")  # a Cyrillic С: the server says so
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_text("mixes Cyrillic and Latin letters")).to_be_visible()
    assert serious_violations(phone) == []

    lose_signal(phone, relay)
    phone.get_by_label("Your name").fill("Axe Tester")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_text("No signal - we'll keep trying.")).to_be_visible()
    assert serious_violations(phone) == []
    regain_signal(phone, relay)

    expect(phone.get_by_role("heading", name="You're in, Axe")).to_be_visible(timeout=10_000)
    assert serious_violations(phone) == []

    phone.get_by_role("link", name="Check in someone else").tap()
    expect(phone.get_by_label("Their name")).to_be_visible()
    assert serious_violations(phone) == []

    phone.goto(relay.url + site.checkin_path)  # opened again: the door remembers
    expect(phone.get_by_role("heading", name="You're in, Axe")).to_be_visible()
    assert serious_violations(phone) == []

    phone.goto(f"{relay.url}{site.checkin_path}?other=1")
    phone.get_by_label("Their name").fill("axe tester")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_role("heading", name="You're already checked in")).to_be_visible()
    assert serious_violations(phone) == []

    stranger = phone.context.browser.new_context(  # type: ignore[union-attr]
        viewport={"width": 390, "height": 844}, has_touch=True
    ).new_page()
    stranger.goto(relay.url + site.checkin_path)
    stranger.get_by_label("Your name").fill("AXE TESTER")
    stranger.get_by_role("button", name="Check in").tap()
    heading = stranger.get_by_role("heading", name="This name is already checked in today")
    expect(heading).to_be_visible()
    assert serious_violations(stranger) == []
    screenshot(stranger, "checkin-name-already-in-phone")
    stranger.context.close()


@pytest.mark.parametrize(
    "path", ["/", "/c/", "/c/?code=ZZZZZZZZ", "/c/?code=x", "/privacy/", "/me/", "/no-such-page/"]
)
def test_the_other_runner_pages_pass_axe(phone: Page, site: Site, path: str) -> None:
    phone.goto(site.url(path))
    assert serious_violations(phone) == []


def test_the_qr_page_passes_axe(organiser: Page, site: Site) -> None:
    organiser.goto(site.url(site.qr_path))
    expect(organiser.get_by_role("figure")).to_be_visible()
    screenshot(organiser, "qr-page-desktop")
    assert serious_violations(organiser) == []


def test_the_projector_passes_axe(organiser: Page, site: Site) -> None:
    organiser.set_viewport_size({"width": 1280, "height": 800})
    organiser.goto(site.url(site.qr_path + "projector/"))
    expect(organiser.locator(".short-code")).to_be_visible()
    screenshot(organiser, "projector-desktop")
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
