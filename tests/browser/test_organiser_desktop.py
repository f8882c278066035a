"""An organiser at a desktop: log in, find today's run, open and download its QR code."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, screenshot

pytestmark = pytest.mark.slow


def test_it_opens_the_qr_code_for_todays_run_from_the_admin(organiser: Page, site: Site) -> None:
    organiser.get_by_role("link", name="Runs").first.click()
    screenshot(organiser, "admin-runs-desktop")
    organiser.get_by_role("link", name="QR code").first.click()

    expect(organiser).to_have_url(site.url(site.qr_path))
    figure = organiser.get_by_role("figure", name="QR code for the check-in link")
    expect(figure.locator("svg")).to_be_visible()
    expect(figure).to_contain_text(site.url("/checkin/"))
    screenshot(organiser, "qr-desktop")

    with organiser.expect_download() as download:
        organiser.get_by_role("link", name="Download SVG").click()
    assert download.value.suggested_filename.endswith(".svg")
