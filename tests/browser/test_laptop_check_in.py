"""The check-in page on a laptop (a committee member trying the link, a runner at a library
computer): a browser past its group limit and the number-only form, screenshots in
artifacts/screenshots/ as on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, screenshot, serious_violations
from tests.ports import port
from tests.servers import Daphne

pytestmark = pytest.mark.slow

# The browser tests' ports are 18610-18619; this server has its own settings.
ONLY_PORT = port(18614)


@pytest.fixture(scope="module")
def numbers_only_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = Daphne(
        tmp_path_factory.mktemp("laptop-numbers-only"),
        ONLY_PORT,
        CHECKIN_MEMBER_NUMBER="only",
        CHECKIN_MEMBER_NUMBER_PATTERN="[0-9]{8}",
        CHECKIN_MEMBER_NUMBER_HELP="Eight digits, on your student card.",
    )
    server.prepare()
    checkin_path, _ = server.add_run_day()
    server.start()
    yield server.base_url + checkin_path
    server.stop()


def test_a_browser_past_its_group_limit_is_told_how_long_to_wait(desktop: Page, site: Site) -> None:
    desktop.goto(site.url(f"{site.checkin_path}?other=1"))
    # Twenty friends already sent from this browser, as quick clicks would send them.
    desktop.evaluate(
        """async (path) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            for (let i = 0; i < 20; i++) {
                const body = new URLSearchParams({
                    csrfmiddlewaretoken: token, runner_name: "Laptop Friend " + i,
                    for_other: "1", submission_id: crypto.randomUUID(),
                });
                await fetch(path, {method: "POST", body, headers: {"HX-Request": "true"}});
            }
        }""",
        site.checkin_path,
    )
    desktop.get_by_label("Their name").fill("Laptop Friend 21")
    desktop.get_by_role("button", name="Check in").click()
    status = desktop.locator("#checkin-status")
    expect(status).to_contain_text("checked in 20 people in the last minute; wait")
    expect(desktop.get_by_role("button", name="Cancel this check-in")).to_be_visible()
    assert serious_violations(desktop) == []
    screenshot(desktop, "checkin-phone-limit-laptop")


def test_the_number_only_form_and_its_question(desktop: Page, numbers_only_url: str) -> None:
    desktop.goto(numbers_only_url)
    expect(desktop.get_by_label("Your name")).to_have_count(0)
    assert serious_violations(desktop) == []
    screenshot(desktop, "checkin-number-only-laptop")
    desktop.get_by_label("Student number").fill("20248888")
    desktop.get_by_role("button", name="Check in").click()
    expect(desktop.get_by_text("isn't on the club's member list yet")).to_be_visible()
    expect(desktop.get_by_label("Your name")).to_be_visible()
    assert serious_violations(desktop) == []
    screenshot(desktop, "checkin-number-unlisted-laptop")
