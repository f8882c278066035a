"""The live page in a real browser: it follows check-ins, and reconnects after a restart."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import Page, async_playwright, expect

from tests.chromium import launch
from tests.servers import daphne, manage, server_env

pytestmark = pytest.mark.slow

PORT = 18322  # this worktree's port range
BASE = f"http://127.0.0.1:{PORT}"


async def check_in(checkin_url: str, name: str) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(checkin_url) as response:
            page = await response.text()
        form = {
            "csrfmiddlewaretoken": re.search(r'"csrfmiddlewaretoken" value="([^"]+)"', page)[1],
            "submission_id": re.search(r'name="submission_id" value="([^"]+)"', page)[1],
            "runner_name": name,
        }
        async with session.post(checkin_url, data=form) as response:
            assert response.status == 200


async def expect_status(page: Page, state: str, text: str) -> None:
    status = page.locator("[data-live-status]")
    await expect(status).to_have_attribute("data-state", state, timeout=15_000)
    await expect(status).to_contain_text(text)


async def test_the_live_page_follows_check_ins_and_survives_a_restart(tmp_path: Path) -> None:
    env = server_env(tmp_path, SITE_URL=BASE)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    checkin_url = manage(env, "add_run_day", "today").splitlines()[-1]
    log = tmp_path / "daphne.log"
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        page = await browser.new_page()
        uncaught: list[Exception] = []
        page.on("pageerror", lambda error: uncaught.append(error))
        count = page.locator("#attendance-count")

        with daphne(PORT, env, log):
            await page.goto(f"{BASE}/live/")
            await expect_status(page, "live", "Live")
            await expect(count).to_have_text("0")
            await check_in(checkin_url, "Ana Silva")
            await expect(count).to_have_text("1")
            assert "Ana Silva" not in await page.content()

        await expect_status(page, "reconnecting", "Reconnecting")

        with daphne(PORT, env, log):
            await check_in(checkin_url, "Bo Chen")
            # Nobody told the page about Bo: it learns on reconnecting, with no reload.
            await expect_status(page, "live", "Live")
            await expect(count).to_have_text("2")
        await browser.close()
    assert uncaught == []
