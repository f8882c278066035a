"""An organiser at a desktop: log in, change the calendar, open the QR code, export CSV."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from calendar_app.models import club_today
from tests.browser.conftest import Site, screenshot
from tests.phone import Phone

pytestmark = pytest.mark.slow


def test_it_opens_the_qr_code_for_todays_run_from_the_admin(organiser: Page, site: Site) -> None:
    organiser.get_by_role("link", name="Runs").first.click()
    screenshot(organiser, "admin-runs-desktop")
    organiser.get_by_role("link", name="QR code").first.click()

    expect(organiser).to_have_url(site.url(site.qr_path))
    figure = organiser.get_by_role("figure", name="QR code for the check-in link")
    expect(figure.locator("svg")).to_be_visible()
    expect(figure).to_contain_text(site.url(site.checkin_path))  # the short link
    screenshot(organiser, "qr-desktop")

    with organiser.expect_download() as download:
        organiser.get_by_role("link", name="Download SVG").click()
    assert download.value.suggested_filename.endswith(".svg")


def test_it_makes_and_cancels_a_day_on_the_calendar(organiser: Page) -> None:
    # A day of this month other than today, whose run the other tests use.
    today = club_today()
    day = today.replace(day=1) if today.day > 1 else today + dt.timedelta(days=1)
    organiser.get_by_role("link", name="Runs").first.click()
    organiser.locator("#content-main").get_by_role("link", name="Calendar").click()
    cell = organiser.locator(f"#day-{day:%Y-%m-%d}")
    expect(cell).to_contain_text("no run")

    cell.get_by_role("link").click()
    panel = organiser.locator("#day-panel")
    panel.get_by_role("button", name="Make it a run day").click()
    expect(cell).to_contain_text("run day")
    panel.get_by_role("button", name="Cancel this run").click()
    expect(cell).to_contain_text("cancelled")
    organiser.reload()
    expect(organiser.locator(f"#day-{day:%Y-%m-%d}")).to_contain_text("cancelled")


def test_it_exports_the_checkins_as_csv(organiser: Page, site: Site, tmp_path: Path) -> None:
    phone = Phone(site.server.port, source="127.0.8.1")
    phone.open_form(site.checkin_path)
    assert phone.send_name(site.checkin_path, "Esme Export").status == 200

    organiser.goto(site.url("/admin/attendance/attendance/"))
    with organiser.expect_download() as download:
        organiser.get_by_role("link", name="Export all as CSV").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    assert saved.suffix == ".csv"
    with saved.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert any("Esme Export" in row.values() for row in rows)
