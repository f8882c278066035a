"""An organiser's run day in a real browser, on a club with a year of history.

Log in and reach the projector (counting the clicks), change today on the calendar while
a printed link stays valid, add a term's schedule, look back at the history, and see a QR
page for another day say so. Screenshots of each page, on a laptop and a phone, land in
artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from calendar_app.models import club_today
from tests.authenticator import Authenticator, enrol_command
from tests.browser.conftest import ConsoleErrors, screenshot, serious_violations, type_code
from tests.phone import Phone
from tests.ports import port
from tests.servers import Daphne

pytestmark = pytest.mark.slow

# The run-day tests' own server: they cancel and remove today's run, which the other
# browser tests use.
SERVER_PORT = port(18613)
ORGANISER = ("olu", "organiser's long password 7")
COMMITTEE = ("cat", "committee's long password 8")
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

MAKE_COMMITTEE = """
from django.contrib.auth.models import Group, User
user = User.objects.create_user({name!r}, password={password!r}, is_staff=True)
user.groups.add(Group.objects.get(name="Committee"))
"""


@dataclass
class Club:
    server: Daphne
    checkin_path: str  # today's printed link

    def url(self, path: str) -> str:
        return self.server.base_url + path


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Club]:
    server = Daphne(
        tmp_path_factory.mktemp("run-day"),
        SERVER_PORT,
        ADMIN_USERNAME=ORGANISER[0],
        ADMIN_PASSWORD=ORGANISER[1],
        # Each test logs in afresh, several a minute: not what the log-in limit is about.
        RATELIMIT_LOGIN_PER_USERNAME="100/m",
        RATELIMIT_LOGIN_PER_ADDRESS="200/m",  # the password and the code are both counted
    )
    server.prepare()
    server.manage("seed_demo", "--years", "1")
    server.manage("ensure_admin")
    name, password = COMMITTEE
    server.manage("shell", "-c", MAKE_COMMITTEE.format(name=name, password=password))
    for account in (ORGANISER[0], name):
        server.manage(*enrol_command(account))
    checkin_path, _ = server.add_run_day()
    server.start()
    yield Club(server, checkin_path)
    server.stop()


class Clicks:
    """Clicks an organiser makes, counted."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, target: Locator) -> None:
        self.count += 1
        target.click()


def log_in(page: Page, club: Club, who: tuple[str, str], click: Clicks | None = None) -> None:
    page.goto(club.url("/admin/"))
    page.get_by_label("Username").fill(who[0])
    page.get_by_label("Password").fill(who[1])
    (click or Clicks())(page.get_by_role("button", name="Log in"))
    type_code(page, Authenticator(club.url(who[0])), click)
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()


@pytest.fixture
def laptop(browser: Browser, console_errors: ConsoleErrors) -> Iterator[Page]:
    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    yield console_errors.listen(context.new_page())
    context.close()


@pytest.fixture
def small_phone(browser: Browser, console_errors: ConsoleErrors) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-GB"
    )
    yield console_errors.listen(context.new_page())
    context.close()


def test_from_log_in_to_the_projector_in_at_most_three_clicks(
    laptop: Page, club: Club, console_errors: ConsoleErrors
) -> None:
    club.server.manage("add_run_day", "today")
    click = Clicks()
    log_in(laptop, club, ORGANISER, click)
    screenshot(laptop, "today-organiser-laptop")
    click(laptop.get_by_role("link", name="Projector view"))

    figure = laptop.get_by_role("figure", name="QR code for the check-in link")
    expect(figure.locator("svg")).to_be_visible()
    expect(figure).to_contain_text(club.url(club.checkin_path))
    expect(laptop.locator("[data-live-status]")).to_have_text("Live")
    assert laptop.locator(".not-today").count() == 0
    screenshot(laptop, "projector-today-laptop")
    assert click.count == 3  # "Log in", "Log in" after the code, then "Projector view"
    assert console_errors == []


def test_the_today_screen_counts_a_check_in_live(laptop: Page, club: Club) -> None:
    club.server.manage("add_run_day", "today")
    log_in(laptop, club, ORGANISER)
    expect(laptop.locator("[data-live-status]")).to_have_text("Live")
    count = int(laptop.locator("#attendance-count").inner_text())
    phone = Phone(club.server.port, source="127.0.9.1")
    phone.open_form(club.checkin_path)
    assert phone.send_name(club.checkin_path, "Tamsin Today").status == 200
    expect(laptop.locator("#attendance-count")).to_have_text(str(count + 1))
    assert serious_violations(laptop) == []


def test_the_today_screen_on_a_phone(small_phone: Page, club: Club) -> None:
    club.server.manage("add_run_day", "today")
    log_in(small_phone, club, ORGANISER)
    expect(small_phone.get_by_role("link", name="Projector view")).to_be_visible()
    screenshot(small_phone, "today-organiser-phone")


def test_the_committee_sees_today_read_only(laptop: Page, club: Club) -> None:
    log_in(laptop, club, COMMITTEE)
    expect(laptop.get_by_role("link", name="Projector view")).to_be_visible()
    assert laptop.locator("#content form").count() == 0
    screenshot(laptop, "today-committee-laptop")
    laptop.get_by_role("link", name="Calendar", exact=True).click()
    expect(laptop.locator("#day-panel")).to_contain_text("Run day")
    assert laptop.locator("#day-panel form").count() == 0


def day_cell(page: Page, day: dt.date) -> Locator:
    return page.locator(f"#day-{day:%Y-%m-%d}")


def test_the_printed_link_survives_cancel_reopen_remove_and_re_add(
    laptop: Page, club: Club, console_errors: ConsoleErrors
) -> None:
    today = club_today()
    # Today's run afresh, nobody in yet (other tests checked runners in); its code stays.
    club.server.manage(
        "shell", "-c", "from calendar_app.models import Run; Run.objects.today().delete()"
    )
    club.server.manage("add_run_day", "today", "--time", "18:15", "--place", "Boathouse")
    runner = Phone(club.server.port, source="127.0.9.2")
    log_in(laptop, club, ORGANISER)
    laptop.get_by_role("link", name="Calendar", exact=True).click()
    panel = laptop.locator("#day-panel")
    expect(panel).to_contain_text("18:15, Boathouse")
    laptop.evaluate("window.stillTheSamePage = true")
    screenshot(laptop, "calendar-laptop")

    # Cancelling today asks first.
    panel.get_by_role("button", name="Cancel this run").click()
    expect(panel.get_by_role("alert")).to_have_text(
        "This is today's run: runners may be on their way."
    )
    screenshot(laptop, "calendar-question-laptop")
    assert serious_violations(laptop) == []
    panel.get_by_role("button", name="Yes, cancel it").click()
    expect(day_cell(laptop, today)).to_contain_text("cancelled")
    assert runner.open_form(club.checkin_path).status == 403

    panel.get_by_role("button", name="Re-open this run").click()
    expect(day_cell(laptop, today)).to_contain_text("run day")
    assert runner.open_form(club.checkin_path).status == 200

    panel.get_by_role("button", name="Take off the calendar").click()
    panel.get_by_role("button", name="Yes, take it off").click()
    expect(day_cell(laptop, today)).to_contain_text("no run")
    assert runner.open_form(club.checkin_path).status == 404

    # Added back: the time and place come back with the code.
    expect(panel.get_by_label("Meeting place")).to_have_value("Boathouse")
    panel.get_by_role("button", name="Make it a run day").click()
    expect(day_cell(laptop, today)).to_contain_text("run day")
    expect(panel).to_contain_text("18:15, Boathouse")
    assert runner.open_form(club.checkin_path).status == 200
    answer = runner.send_name(club.checkin_path, "Remy Readded")
    assert answer.status == 200 and "You're in, Remy" in answer.text

    # Now runners are in: cancelling asks with their number, and "No" keeps the run.
    laptop.reload()
    panel = laptop.locator("#day-panel")
    panel.get_by_role("button", name="Cancel this run").click()
    expect(panel.get_by_role("alert")).to_contain_text("checked in to this run already")
    panel.get_by_role("link", name="No, keep it").click()
    expect(day_cell(laptop, today)).to_contain_text("run day")
    assert panel.get_by_role("button", name="Take off the calendar").count() == 0
    assert laptop.evaluate("window.stillTheSamePage") is None  # reloaded on purpose above
    assert serious_violations(laptop) == []
    assert console_errors == []


def test_the_calendar_changes_in_place_and_without_javascript(
    browser: Browser, laptop: Page, club: Club, console_errors: ConsoleErrors
) -> None:
    day = club_today() + dt.timedelta(days=2)
    log_in(laptop, club, ORGANISER)
    laptop.goto(club.url(f"/admin/calendar_app/run/calendar/{day.year}/{day.month}/"))
    laptop.evaluate("window.stillTheSamePage = true")
    day_cell(laptop, day).get_by_role("link").click()
    panel = laptop.locator("#day-panel")
    expect(panel).to_contain_text(f"{day:%A} {day.day} {day:%B}")
    panel.get_by_label("Start time").fill("07:30")
    panel.get_by_role("button", name="Make it a run day").click()
    expect(day_cell(laptop, day)).to_contain_text("07:30")
    assert laptop.evaluate("window.stillTheSamePage") is True
    panel.get_by_role("button", name="Cancel this run").click()  # not today, nobody in: at once
    expect(day_cell(laptop, day)).to_contain_text("cancelled")

    cookies = laptop.context.cookies()
    context = browser.new_context(viewport=LAPTOP, java_script_enabled=False)
    context.add_cookies(cookies)
    page = context.new_page()
    try:
        page.goto(club.url(f"/admin/calendar_app/run/calendar/{day.year}/{day.month}/"))
        with page.expect_navigation():
            day_cell(page, day).get_by_role("link").click()
        with page.expect_navigation():
            page.locator("#day-panel").get_by_role("button", name="Re-open this run").click()
        expect(day_cell(page, day)).to_contain_text("run day")
        expect(page.locator(".messagelist")).to_contain_text("is open again")
    finally:
        context.close()
    assert console_errors == []  # no script error, no Content-Security-Policy refusal


def test_the_calendar_on_a_phone(small_phone: Page, club: Club) -> None:
    log_in(small_phone, club, ORGANISER)
    small_phone.get_by_role("link", name="Calendar", exact=True).click()
    expect(small_phone.locator("#day-panel")).to_be_visible()
    screenshot(small_phone, "calendar-phone")


def test_a_terms_schedule_fills_coming_up(laptop: Page, club: Club) -> None:
    log_in(laptop, club, ORGANISER)
    laptop.get_by_role("link", name="Recurring schedule", exact=True).click()
    laptop.get_by_role("button", name="Add these run days").click()
    expect(laptop.get_by_text("Tick at least one weekday.")).to_be_visible()
    screenshot(laptop, "schedule-errors-laptop")

    first, last = club_today() + dt.timedelta(days=3), club_today() + dt.timedelta(days=40)
    laptop.get_by_label("Tuesday").check()
    laptop.get_by_label("Thursday").check()
    laptop.get_by_label("Meeting place").fill("The Oval, north gate")
    laptop.get_by_label("First day").fill(f"{first:%Y-%m-%d}")
    laptop.get_by_label("Last day").fill(f"{last:%Y-%m-%d}")
    laptop.get_by_role("button", name="Add these run days").click()
    expect(laptop.locator(".messagelist")).to_contain_text("Added")
    laptop.get_by_role("link", name="Home", exact=True).click()
    coming_up = laptop.locator("section", has=laptop.get_by_role("heading", name="Coming up"))
    expect(coming_up.locator("tr")).to_have_count(5)
    screenshot(laptop, "today-with-schedule-laptop")


def test_the_history_charts(laptop: Page, small_phone: Page, club: Club) -> None:
    for page, name in ((laptop, "laptop"), (small_phone, "phone")):
        log_in(page, club, ORGANISER)
        page.get_by_role("link", name="History", exact=True).click()
        charts = page.locator("svg.chart")
        expect(charts).to_have_count(4)
        assert page.get_by_text("No runs in this range.").count() == 0
        screenshot(page, f"history-{name}")
    laptop.goto(club.url("/admin/attendance/attendance/history/?from=2001-01-01&to=2001-12-31"))
    expect(laptop.locator("svg.chart text.empty")).to_have_count(4)
    screenshot(laptop, "history-empty-laptop")


def test_a_qr_page_for_another_day_says_so(laptop: Page, small_phone: Page, club: Club) -> None:
    day = club_today() + dt.timedelta(days=9)
    output = club.server.manage("add_run_day", f"{day:%Y-%m-%d}")
    qr_path = re.search(r"QR code page \(staff\): https?://[^/]+(\S+)", output)[1]
    for page, name in ((laptop, "laptop"), (small_phone, "phone")):
        log_in(page, club, ORGANISER)
        page.goto(club.url(qr_path))
        expect(page.locator(".not-today-title")).to_have_text(
            f"This code is for {day:%A} {day.day} {day:%B}"
        )
        screenshot(page, f"qr-not-today-{name}")
    assert serious_violations(laptop) == []
    laptop.goto(club.url("/qr/today/"))
    assert laptop.locator(".not-today").count() == 0
