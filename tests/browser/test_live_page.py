"""The committee's live page: it counts up as runners check in and survives outages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Site, screenshot
from tests.phone import Phone
from tests.ports import port
from tests.servers import Daphne, PrivateRedis

pytestmark = pytest.mark.slow

# Long enough for the page's capped reconnect backoff (10 s) plus a server start.
RECOVERY_MS = 30_000
# This ports: the Redis-backed server and its private Redis.
REDIS_SERVER_PORT = port(18611)
REDIS_PORT = port(16602)


def count_on(page: Page) -> int:
    return int(page.locator("#attendance-count").inner_text())


def status_of(page: Page) -> Locator:
    return page.locator("[data-live-status]")


def check_in_from_a_phone(server: Daphne, path: str, name: str) -> int:
    phone = Phone(server.port, source="127.0.9.1")
    phone.open_form(path)
    return phone.send_name(path, name).status


def test_it_counts_up_when_another_browser_checks_in(
    desktop: Page, phone: Page, site: Site
) -> None:
    desktop.goto(site.url("/live/"))
    expect(status_of(desktop)).to_have_text("Live")
    before = count_on(desktop)

    phone.goto(site.url(site.checkin_path))
    phone.get_by_label("Your name").fill("Cleo Watcher")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_role("heading", name="You're in, Cleo")).to_be_visible()

    expect(desktop.locator("#attendance-count")).to_have_text(str(before + 1))
    screenshot(desktop, "live-desktop")


def test_it_says_reconnecting_and_recovers_after_the_server_restarts(
    desktop: Page, site: Site
) -> None:
    desktop.goto(site.url("/live/"))
    expect(status_of(desktop)).to_have_text("Live")
    before = count_on(desktop)

    site.server.stop()
    expect(status_of(desktop)).to_contain_text("Reconnecting")
    screenshot(desktop, "live-reconnecting-desktop")
    site.server.start()
    expect(status_of(desktop)).to_have_text("Live", timeout=RECOVERY_MS)

    assert check_in_from_a_phone(site.server, site.checkin_path, "Dev After Restart") == 200
    expect(desktop.locator("#attendance-count")).to_have_text(str(before + 1))


@pytest.fixture
def redis_site(tmp_path: Path) -> Iterator[tuple[Daphne, PrivateRedis, str]]:
    redis = PrivateRedis(REDIS_PORT).start()
    server = Daphne(tmp_path, REDIS_SERVER_PORT, REDIS_URL=redis.url)
    try:
        server.prepare()
        path, _ = server.add_run_day()
        server.start()
        yield server, redis, path
    finally:
        server.stop()
        redis.stop()


def test_it_says_reconnecting_while_redis_is_down_and_catches_up_after(
    desktop: Page, redis_site: tuple[Daphne, PrivateRedis, str]
) -> None:
    server, redis, path = redis_site
    desktop.goto(server.base_url + "/live/")
    expect(status_of(desktop)).to_have_text("Live")
    expect(desktop.locator("#attendance-count")).to_have_text("0")

    redis.stop()
    expect(status_of(desktop)).to_contain_text("Reconnecting")
    statuses = [check_in_from_a_phone(server, path, f"Outage Runner {i}") for i in range(3)]
    assert statuses == [200, 200, 200]

    redis.start()
    expect(status_of(desktop)).to_have_text("Live", timeout=RECOVERY_MS)
    expect(desktop.locator("#attendance-count")).to_have_text("3")
    assert check_in_from_a_phone(server, path, "After Outage") == 200
    expect(desktop.locator("#attendance-count")).to_have_text("4")
