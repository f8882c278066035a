"""The history page in a real browser: the charts draw, under the Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from tests.authenticator import log_in
from tests.chromium import launch
from tests.factories import AttendanceFactory, RunFactory, StaffFactory
from tests.ports import port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(transactional_db: None) -> str:
    for day in (6, 8, 13):
        AttendanceFactory.create_batch(3, run=RunFactory(date=dt.date(2026, 10, day)))
    client = Client()
    log_in(client, StaffFactory())
    return client.cookies["sessionid"].value


@pytest.fixture
def server(session: str) -> Iterator[str]:
    from pytest_django.live_server_helper import LiveServer

    live = LiveServer(f"127.0.0.1:{port(18422)}")
    yield live.url
    live.stop()


def test_the_charts_draw_and_print_without_a_policy_violation(server, session) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": session, "url": server}])
        page = context.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and violations.append(message.text)
            ),
        )
        page.goto(f"{server}/admin/attendance/attendance/history/?from=2026-10-01&to=2026-10-31")
        charts = page.locator("svg.chart")
        assert charts.count() == 4
        box = charts.first.bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 100
        # The bars take their colour from the stylesheet, not from inline styles.
        fill = page.locator("svg.chart rect.bar").first.evaluate("e => getComputedStyle(e).fill")
        assert fill not in ("", "none", "rgb(0, 0, 0)")
        page.emulate_media(media="print")
        assert not page.locator("#header").is_visible()
        assert charts.first.is_visible()
        assert violations == []
        browser.close()
