"""Organisers' log-ins in Chromium: setting up two-factor at the first log-in the club requires
it at, a passkey from a virtual authenticator (DevTools' WebAuthn domain) as the second step,
and the run night's log-in: password, fingerprint, Projector view."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.authenticator import Authenticator, enrol_command
from tests.browser.conftest import ConsoleErrors, Site, screenshot, serious_violations, type_code

pytestmark = pytest.mark.slow

MAKE_ORGANISER = """
from django.contrib.auth.models import Group, User
user = User.objects.create_user({name!r}, password={password!r}, is_staff=True)
user.groups.add(Group.objects.get(name="Organisers"))
"""


def organiser(site: Site, name: str) -> tuple[str, str]:
    account = (name, f"{name}'s long organiser password 3")
    site.server.manage("shell", "-c", MAKE_ORGANISER.format(name=account[0], password=account[1]))
    return account


def local(site: Site, path: str) -> str:
    """The site as ``localhost``: a passkey belongs to a domain name, never to an address."""
    return site.url(path).replace("127.0.0.1", "localhost")


def password(page: Page, url: str, account: tuple[str, str]) -> None:
    page.goto(url)
    page.get_by_label("Username").fill(account[0])
    page.get_by_label("Password").fill(account[1])
    page.get_by_role("button", name="Log in", exact=True).click()


@pytest.fixture
def passkey_laptop(browser: Browser, console_errors: ConsoleErrors) -> Iterator[Page]:
    """A laptop with a fingerprint reader: a virtual platform authenticator that always
    finds the finger (user verification) and answers by itself."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = console_errors.listen(context.new_page())
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield page
    context.close()


def test_an_organiser_sets_up_two_factor_at_their_first_log_in_then_logs_in_with_a_code(
    desktop: Page, phone: Page, site: Site, console_errors: ConsoleErrors
) -> None:
    account = organiser(site, "nia")
    page = desktop
    password(page, local(site, "/admin/"), account)
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    screenshot(page, "two-factor-choose-laptop")
    assert serious_violations(page) == []
    page.get_by_label("An authenticator app on my phone").check()
    page.get_by_role("button", name="Next").click()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    screenshot(page, "two-factor-enrol-laptop")
    assert serious_violations(page) == []

    # The phone's app, from the key typed in by hand (the QR holds the same).
    key = page.locator(".enrol-key code").inner_text().replace(" ", "")
    app = pyotp.TOTP(key)
    page.get_by_label("Code from your authenticator app").fill(
        "000000" if app.now() != "000000" else "111111"
    )
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("That code didn't match.")).to_be_visible()
    screenshot(page, "two-factor-wrong-code-laptop")
    assert serious_violations(page) == []
    page.get_by_label("Code from your authenticator app").fill(app.now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()

    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_text("On. Each log-in asks for a second step")).to_be_visible()
    screenshot(page, "two-factor-on-laptop")
    page.get_by_role("button", name="Log out").click()

    password(page, local(site, "/admin/"), account)
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    screenshot(page, "two-factor-code-laptop")
    assert serious_violations(page) == []
    page.get_by_label("Code from your authenticator app").fill(app.at(time.time() + 30))
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()

    # The same steps on a phone, where an organiser often logs in on a run night.
    password(phone, local(site, "/admin/"), account)
    expect(phone.get_by_label("Code from your authenticator app")).to_be_visible()
    screenshot(phone, "two-factor-code-phone")
    assert serious_violations(phone) == []
    assert console_errors == []


def test_a_passkey_is_the_run_nights_second_step(
    passkey_laptop: Page, phone: Page, site: Site, console_errors: ConsoleErrors
) -> None:
    account = organiser(site, "pia")
    site.server.manage(*enrol_command(account[0]))
    page = passkey_laptop
    password(page, local(site, "/admin/"), account)
    type_code(page, Authenticator(site.url(account[0])))
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()

    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_role("link", name="Add a passkey").click()
    # The browser makes the passkey by itself once the page asks (the virtual fingerprint).
    expect(page.get_by_text("Added: Passkey.")).to_be_visible()
    expect(page.get_by_text("Passkey", exact=True)).to_be_visible()
    screenshot(page, "two-factor-passkey-added-laptop")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Log out").click()

    # Run night: password, fingerprint, Projector view.
    site.server.manage("add_run_day", "today")
    password(page, local(site, "/admin/"), account)
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()
    page.get_by_role("link", name="Projector view").click()
    expect(page.get_by_role("figure", name="QR code for the check-in link")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/qr/today/projector/$"))
    assert console_errors == []

    # Without the passkey at hand (a phone that never made one), the code still works.
    password(phone, local(site, "/admin/"), account)
    expect(phone.get_by_role("button", name="Use my passkey")).to_be_visible()
    screenshot(phone, "two-factor-passkey-phone")
    phone.get_by_role("button", name="Type a code from my authenticator app instead").click()
    type_code(phone, Authenticator(site.url(account[0])))
    expect(phone.get_by_role("heading", name="Coming up")).to_be_visible()
