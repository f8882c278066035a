"""An organiser sets up two-factor sign-in on a laptop, at the log-in the club requires it at."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, screenshot, serious_violations

pytestmark = pytest.mark.slow

NEWCOMER = ("nia", "nia's long organiser password 3")
MAKE_ORGANISER = """
from django.contrib.auth.models import Group, User
user = User.objects.create_user({name!r}, password={password!r}, is_staff=True)
user.groups.add(Group.objects.get(name="Organisers"))
"""


def password(page: Page, site: Site) -> None:
    page.goto(site.url("/admin/"))
    page.get_by_label("Username").fill(NEWCOMER[0])
    page.get_by_label("Password").fill(NEWCOMER[1])
    page.get_by_role("button", name="Log in").click()


def test_an_organiser_enrols_at_their_first_log_in_then_logs_in_with_a_code(
    desktop: Page, site: Site
) -> None:
    site.server.manage("shell", "-c", MAKE_ORGANISER.format(name=NEWCOMER[0], password=NEWCOMER[1]))
    page = desktop
    password(page, site)
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    screenshot(page, "two-factor-enrol-laptop")
    assert serious_violations(page) == []

    # The phone's app, from the key typed in by hand (the QR holds the same).
    key = page.locator(".enrol-key code").inner_text().replace(" ", "")
    app = pyotp.TOTP(key)
    code = page.get_by_label("Code from your authenticator app")
    code.fill("000000" if app.now() != "000000" else "111111")
    page.get_by_role("button", name="Turn on and log in").click()
    expect(page.get_by_text("That code isn't right.")).to_be_visible()
    screenshot(page, "two-factor-wrong-code-laptop")
    assert serious_violations(page) == []

    time.sleep(1.5)  # django-otp's wait after a wrong code
    page.get_by_label("Code from your authenticator app").fill(app.now())
    page.get_by_role("button", name="Turn on and log in").click()
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()

    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_text("On. Each log-in asks for a code")).to_be_visible()
    screenshot(page, "two-factor-on-laptop")
    page.get_by_role("button", name="Log out").click()

    password(page, site)
    expect(page).to_have_url(re.compile(r"/admin/login/code/$"))
    screenshot(page, "two-factor-code-laptop")
    assert serious_violations(page) == []
    page.get_by_label("Code from your authenticator app").fill(app.at(time.time() + 30))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()
