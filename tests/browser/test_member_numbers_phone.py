"""A phone with member numbers on: a second field, remembered, identifying the runner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ConsoleErrors, screenshot, serious_violations
from tests.ports import port
from tests.servers import Daphne

pytestmark = pytest.mark.slow

# The browser tests' ports are 18610-18619; this server has its own settings.
SERVER_PORT = port(18612)


@pytest.fixture(scope="module")
def numbered_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Daphne, str]]:
    server = Daphne(
        tmp_path_factory.mktemp("numbers-data"),
        SERVER_PORT,
        CHECKIN_MEMBER_NUMBER="required",
        CHECKIN_MEMBER_NUMBER_PATTERN="[0-9]{8}",
        CHECKIN_MEMBER_NUMBER_HELP="Eight digits, on your student card.",
    )
    server.prepare()
    checkin_path, _ = server.add_run_day()
    server.start()
    yield server, server.base_url + checkin_path
    server.stop()


def test_a_runner_checks_in_with_a_number_and_the_phone_remembers_it(
    phone: Page, numbered_site: tuple[Daphne, str], console_errors: ConsoleErrors
) -> None:
    _, url = numbered_site
    phone.goto(url)
    phone.get_by_label("Your name").fill("Ana Silva")
    phone.get_by_label("Student number").fill("1234")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_text("That doesn't look like a student number")).to_be_visible()
    expect(phone.get_by_label("Student number")).to_have_attribute("aria-invalid", "true")
    assert serious_violations(phone) == []
    screenshot(phone, "checkin-member-number-error-phone")

    phone.get_by_label("Student number").fill("1234 5678")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_role("heading", name="You're in, Ana")).to_be_visible()

    phone.reload()  # the door knows the phone is in; it remembers the name and number
    expect(phone.get_by_role("heading", name="You're in, Ana")).to_be_visible()
    cookies = {cookie["name"]: cookie["value"] for cookie in phone.context.cookies()}
    assert (cookies["runner_name"], cookies["member_number"]) == ("Ana%20Silva", "12345678")
    assert console_errors == []


def test_the_same_number_under_another_name_is_already_in(
    browser: Browser, numbered_site: tuple[Daphne, str]
) -> None:
    _, url = numbered_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    try:
        page.goto(url)
        page.get_by_label("Your name").fill("Bo Chen")
        page.get_by_label("Student number").fill("87654321")
        page.get_by_role("button", name="Check in").tap()
        expect(page.get_by_role("heading", name="You're in, Bo")).to_be_visible()
        other = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
        stranger = other.new_page()
        stranger.goto(url)
        stranger.get_by_label("Your name").fill("B. Chen")
        stranger.get_by_label("Student number").fill("87654321")
        stranger.get_by_role("button", name="Check in").tap()
        heading = stranger.get_by_role("heading", name="This number is already checked in today")
        expect(heading).to_be_visible()
        assert "Bo Chen" not in stranger.content()
        assert serious_violations(stranger) == []
        screenshot(stranger, "checkin-number-already-in-phone")
        other.close()
    finally:
        context.close()


ONLY_PORT = port(18618)


@pytest.fixture(scope="module")
def numbers_only_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("numbers-only-data")
    server = Daphne(
        data,
        ONLY_PORT,
        CHECKIN_MEMBER_NUMBER="only",
        CHECKIN_MEMBER_NUMBER_PATTERN="[0-9]{8}",
        CHECKIN_MEMBER_NUMBER_HELP="Eight digits, on your student card.",
    )
    server.prepare()
    members = data / "union.csv"
    members.write_text("number,name,email\n20240001,Maya Patel,maya@example.org\n")
    assert "1 added" in server.manage("import_members", str(members))
    checkin_path, _ = server.add_run_day()
    server.start()
    yield server.base_url + checkin_path
    server.stop()


def test_a_number_alone_checks_a_member_in_by_name(phone: Page, numbers_only_site: str) -> None:
    phone.goto(numbers_only_site)
    expect(phone.get_by_label("Your name")).to_have_count(0)
    screenshot(phone, "checkin-number-only-phone")
    assert serious_violations(phone) == []
    phone.get_by_label("Student number").fill("2024 0001")
    phone.get_by_role("button", name="Check in").tap()
    expect(phone.get_by_role("heading", name="You're in, Maya")).to_be_visible()


def test_an_unlisted_number_is_asked_for_a_name_once(
    browser: Browser, numbers_only_site: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    try:
        page.goto(numbers_only_site)
        page.get_by_label("Student number").fill("20249999")
        page.get_by_role("button", name="Check in").tap()
        expect(page.get_by_text("isn't on the club's member list yet")).to_be_visible()
        expect(page.get_by_label("Student number")).to_have_value("20249999")
        assert serious_violations(page) == []
        screenshot(page, "checkin-number-unlisted-phone")
        page.get_by_label("Your name").fill("Jo Bloggs")
        page.get_by_role("button", name="Check in").tap()
        expect(page.get_by_role("heading", name="You're in, Jo")).to_be_visible()
    finally:
        context.close()
