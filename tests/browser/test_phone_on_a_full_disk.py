"""A runner's phone against a server whose disk is full: told at once to give their name to
an organiser, it tries a little longer (someone may free the disk), then stops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from attendance.wording import RETRYING
from tests.browser.conftest import ConsoleErrors, screenshot, serious_violations
from tests.disks import fill, small_disk
from tests.ports import port
from tests.servers import Daphne

pytestmark = pytest.mark.slow

SERVER_PORT = port(18617)
GIVE_UP_MINUTES = 3  # static/js/checkin.js, GIVE_UP_MS


@pytest.fixture
def full_disk_site(tmp_path: Path) -> Iterator[tuple[Daphne, str]]:
    with small_disk(tmp_path / "disk") as disk:
        server = Daphne(disk, SERVER_PORT)
        server.log_path = tmp_path / "daphne.log"
        server.prepare()
        checkin_path, _ = server.add_run_day()
        server.start()
        try:
            yield server, checkin_path
        finally:
            server.stop()


@pytest.fixture
def phone(browser: Browser, console_errors: ConsoleErrors) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    page = console_errors.listen(context.new_page())
    page.clock.install()  # the phone's clock and timers, moved on by the test
    yield page
    context.close()


def test_the_phone_sends_the_runner_to_an_organiser_and_stops_trying(
    full_disk_site: tuple[Daphne, str], phone: Page
) -> None:
    server, checkin_path = full_disk_site
    posts: list[Request] = []
    phone.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    phone.goto(server.base_url + checkin_path)
    filler = fill(server.data_dir)

    phone.get_by_label("Your name").fill("Maya Okafor")
    phone.get_by_role("button", name="Check in").click()
    status = phone.locator("#checkin-status")
    expect(status).to_have_text(str(RETRYING["broken"]))
    assert "busy" not in status.inner_text().lower()
    screenshot(phone, "phone-disk-full")
    assert serious_violations(phone) == []

    # Half a minute at a time of the phone's clock, each try's answer let in before the clock
    # moves on: moved on mid-try, the phone's own time limit would cut the try off as "no signal".
    for _ in range(GIVE_UP_MINUTES * 2 + 2):
        phone.clock.run_for(30_000)
        expect(status).not_to_have_text(str(RETRYING["resending"]), timeout=15_000)
    expect(status).to_have_text(str(RETRYING["gave-up"]))
    screenshot(phone, "phone-gave-up")
    tries = len(posts)
    assert tries > 2  # it did keep trying for a while
    phone.clock.run_for(10 * 60_000)
    phone.wait_for_timeout(500)
    assert len(posts) == tries, "the phone went on trying after it gave up"

    filler.unlink()  # someone frees the disk; the runner taps again
    phone.get_by_role("button", name="Try again now").click()
    expect(phone.get_by_role("heading", name="You're in, Maya")).to_be_visible()


@pytest.mark.parametrize(
    "screen",
    [{"width": 390, "height": 844}, {"width": 1280, "height": 800}],
    ids=["phone", "laptop"],
)
def test_without_javascript_the_page_says_the_same(
    full_disk_site: tuple[Daphne, str], browser: Browser, screen: dict[str, int]
) -> None:
    server, checkin_path = full_disk_site
    context = browser.new_context(viewport=screen, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(server.base_url + checkin_path)
        filler = fill(server.data_dir)
        page.get_by_label("Your name").fill("Maya Okafor")
        page.get_by_role("button", name="Check in").click()
        expect(page.get_by_role("heading", name="Nothing could be saved")).to_be_visible()
        expect(page.get_by_text("please give your name to an organiser")).to_be_visible()
        screenshot(page, f"cannot-save-{screen['width']}")  # error.html, as axe checks it
        filler.unlink()
    finally:
        context.close()
