"""A real daphne server and Debian's Chromium, driven by Playwright, for the browser tests."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, sync_playwright

from tests.authenticator import Authenticator, enrol_command
from tests.chromium import launch
from tests.netcut import NetworkCut
from tests.ports import port
from tests.servers import BASE_DIR, Daphne

# This issue's ports: 18610-18619 for the browser tests' server.
SERVER_PORT = port(18610)
RELAY_PORT = port(18615)
SCREENSHOTS = BASE_DIR / "artifacts" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
ORGANISER = ("organiser", "a long organiser password 42")


@dataclass
class Site:
    server: Daphne
    checkin_path: str
    qr_path: str

    def url(self, path: str) -> str:
        return self.server.base_url + path


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    server = Daphne(
        tmp_path_factory.mktemp("browser-data"),
        SERVER_PORT,
        ADMIN_USERNAME=ORGANISER[0],
        ADMIN_PASSWORD=ORGANISER[1],
    )
    server.prepare()
    server.manage("ensure_admin")
    server.manage(*enrol_command(ORGANISER[0]))
    checkin_path, qr_path = server.add_run_day()
    server.start()
    yield Site(server, checkin_path, qr_path)
    server.stop()


@pytest.fixture(scope="session")
def relay(site: Site) -> Iterator[NetworkCut]:
    """The site behind a line the test can cut: no request gets through while it is cut,
    whichever browser process sends it."""
    cut = NetworkCut(RELAY_PORT, site.server.port).start()
    yield cut
    cut.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


class ConsoleErrors(list[str]):
    """Script errors and refusals (a CSP blocking a script or style) the page logged.

    HTTP statuses are left to the tests: a 409 is the duplicate answer, not a fault.
    """

    def listen(self, page: Page) -> Page:
        def record(message: ConsoleMessage) -> None:
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.append(message.text)

        page.on("console", record)
        page.on("pageerror", lambda error: self.append(str(error)))
        return page


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def phone(browser: Browser, console_errors: ConsoleErrors) -> Iterator[Page]:
    """A phone-sized touch screen (about an iPhone 14's CSS pixels)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    yield console_errors.listen(context.new_page())
    context.close()


@pytest.fixture
def desktop(browser: Browser, console_errors: ConsoleErrors) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    yield console_errors.listen(context.new_page())
    context.close()


@pytest.fixture
def organiser(desktop: Page, site: Site) -> Page:
    """A desktop browser logged in to the admin."""
    desktop.goto(site.url("/admin/login/"))
    desktop.get_by_label("Username").fill(ORGANISER[0])
    desktop.get_by_label("Password").fill(ORGANISER[1])
    desktop.get_by_role("button", name="Log in", exact=True).click()
    type_code(desktop, Authenticator(site.url(ORGANISER[0])))
    desktop.wait_for_url(re.compile(r"/admin/$"))
    return desktop


def type_code(
    page: Page, app: Authenticator, click: Callable[[Locator], None] | None = None
) -> None:
    """The log-in's second step (django-two-factor-auth's, at /admin/login/): the code from
    the organiser's authenticator app."""
    page.get_by_label("Code from your authenticator app").fill(app.code())
    (click or Locator.click)(page.get_by_role("button", name="Log in", exact=True))


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now.

    Evaluated through the DevTools protocol, so a Content-Security-Policy that
    forbids inline scripts does not stop the checker itself.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])} elements)"
        for v in results
        if v["impact"] in {"serious", "critical"}
    ]
