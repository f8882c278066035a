"""The runner's page in WebKit, Safari's engine (half the club's phones): WebKitGTK driven through
Selenium and WebKitWebDriver on a virtual display (Playwright's own WebKit cannot be installed
here). WebKit cannot be told to go offline, so the line is cut in front of the server instead,
while the browser believes it is online, as iOS Safari does on a dead captive network."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import urllib.request
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.webkitgtk.options import Options

from tests.browser.conftest import SCREENSHOTS, Site
from tests.netcut import NetworkCut
from tests.ports import port
from tests.servers import wait_for_port

pytestmark = pytest.mark.slow

WEBKIT_DRIVER = os.environ.get("WEBKIT_DRIVER", "/usr/bin/WebKitWebDriver")
DRIVER_PORT = port(18616)


@pytest.fixture(scope="module")
def webkit_driver() -> Iterator[str]:
    """WebKitWebDriver on a virtual display of its own (xvfb-run picks a free one and waits for
    it to be ready); the address to start browser sessions at."""
    if not (shutil.which("xvfb-run") and os.path.exists(WEBKIT_DRIVER)):
        pytest.fail("WebKit tests need xvfb and webkit2gtk-driver (apt-get install them)")
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1280x1024x24",
        WEBKIT_DRIVER,
        f"--port={DRIVER_PORT}",
    ]
    # A session of its own: xvfb-run, Xvfb and the driver end together.
    driver = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_for_port(DRIVER_PORT)
        yield f"http://127.0.0.1:{DRIVER_PORT}"
    finally:
        os.killpg(driver.pid, signal.SIGTERM)
        driver.wait(timeout=10)


@pytest.fixture
def safari(webkit_driver: str) -> Iterator[WebDriver]:
    """A fresh WebKit browser (its own cookies and storage), phone-sized."""
    connection = RemoteConnection(client_config=ClientConfig(remote_server_addr=webkit_driver))
    driver = webdriver.Remote(command_executor=connection, options=Options())
    driver.set_window_size(390, 844)
    yield driver
    driver.quit()


def count(site: Site) -> int:
    with urllib.request.urlopen(site.url("/api/attendance/today"), timeout=10) as response:
        return int(json.load(response)["count"])


def wait_for_text(driver: WebDriver, text: str, timeout: float = 10) -> None:
    WebDriverWait(driver, timeout).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "content"), text)
    )


def check_in(driver: WebDriver, name: str | None = None) -> None:
    field = driver.find_element(By.ID, "runner-name")
    if name is not None:
        field.clear()
        field.send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def test_it_is_webkit(safari: WebDriver) -> None:
    assert "AppleWebKit/605.1.15" in safari.execute_script("return navigator.userAgent")


def test_checking_in_remembering_and_the_duplicate(
    safari: WebDriver, relay: NetworkCut, site: Site
) -> None:
    before = count(site)
    safari.get(relay.url + site.checkin_path)
    check_in(safari, "Sam Safari")
    wait_for_text(safari, "You're in, Sam")
    wait_for_text(safari, "Runner ")
    assert count(site) == before + 1

    safari.get(relay.url + site.checkin_path)
    wait_for_text(safari, "You checked in at")
    safari.get(relay.url + site.checkin_path + "?other=1")
    check_in(safari, "Sam Safari")
    wait_for_text(safari, "You're already checked in")
    assert count(site) == before + 1


def test_the_page_judges_names_as_it_is_typed(
    safari: WebDriver, relay: NetworkCut, site: Site
) -> None:
    safari.get(relay.url + site.checkin_path)
    safari.find_element(By.ID, "runner-name").send_keys("!!!")
    wait_for_text(safari, "A name needs at least one letter or digit.")
    check_in(safari, "Сarla Diaz")  # a Cyrillic С: the server judges look-alikes
    wait_for_text(safari, "“Сarla” mixes Cyrillic and Latin letters that look alike.")


def test_no_signal_is_said_at_once_and_the_check_in_lands_once_it_returns(
    safari: WebDriver, relay: NetworkCut, site: Site
) -> None:
    before = count(site)
    safari.get(relay.url + site.checkin_path)
    relay.cut()
    try:
        check_in(safari, "Nia Nosignal")
        wait_for_text(safari, "No signal - we'll keep trying.", timeout=2)
        assert count(site) == before
    finally:
        relay.restore()
    # Back in signal: the page's own backoff sends it again (no "online" event here).
    wait_for_text(safari, "You're in, Nia", timeout=40)
    assert count(site) == before + 1


def test_the_runners_season_and_forgetting_the_phone(
    safari: WebDriver, relay: NetworkCut, site: Site
) -> None:
    safari.get(relay.url + site.checkin_path)
    check_in(safari, "Wes Webkit")
    wait_for_text(safari, "You're in, Wes")
    safari.find_element(By.LINK_TEXT, "Your season").click()
    wait_for_text(safari, "Wes Webkit")
    wait_for_text(safari, "In all")
    safari.save_screenshot(str(SCREENSHOTS / "season-webkit-phone.png"))
    safari.find_element(By.XPATH, "//button[normalize-space()='Forget this phone']").click()
    wait_for_text(safari, "This phone has forgotten you")
    assert "Wes Webkit" not in safari.find_element(By.ID, "content").text
