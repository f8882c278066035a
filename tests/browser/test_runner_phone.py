"""A runner on a phone: scan, type a name, check in; the phone remembers them; no signal loses
nothing."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from django.core.exceptions import ValidationError
from playwright.sync_api import Browser, Page, Route, expect

from attendance.names import clean_runner_name
from attendance.views import PAGE_JUDGES
from tests.browser.conftest import ConsoleErrors, Site, screenshot, serious_violations
from tests.netcut import NetworkCut

pytestmark = pytest.mark.slow

# The page retries after about 1, 2, 4 ... s: back online, it sends at once ("online" event).
BACK_ONLINE_MS = 10_000


def count(site: Site) -> int:
    """Today's count, as anyone may read it."""
    with urllib.request.urlopen(site.url("/api/attendance/today"), timeout=10) as response:
        return int(json.load(response)["count"])


def tap_check_in(page: Page) -> None:
    page.get_by_role("button", name="Check in").tap()


def lose_signal(page: Page, relay: NetworkCut) -> None:
    """No network: the browser says so (navigator.onLine), and no request reaches the server.

    Chromium's offline emulation alone is not enough: a page being replaced by a navigation
    (here, the error page after a failed reload) loses it, hears "online" and sends. So the
    page is opened through a line that is cut as well.
    """
    page.context.set_offline(True)
    relay.cut()


def regain_signal(page: Page, relay: NetworkCut) -> None:
    relay.restore()
    page.context.set_offline(False)


def test_it_checks_a_runner_in_and_remembers_them_next_time(
    phone: Page, site: Site, console_errors: ConsoleErrors
) -> None:
    phone.goto(site.url(site.checkin_path))
    screenshot(phone, "checkin-form-phone")
    phone.get_by_label("Your name").fill("Ana Silva")
    tap_check_in(phone)
    expect(phone.get_by_role("heading", name="You're in, Ana")).to_be_visible()
    expect(phone.get_by_text("Checked in so far")).to_be_visible()
    screenshot(phone, "checkin-success-phone")

    # Opened again, the door remembers the phone: no filled form to send twice.
    phone.reload()
    expect(phone.get_by_role("heading", name="You're in, Ana")).to_be_visible()
    expect(phone.get_by_text("You checked in at")).to_be_visible()
    screenshot(phone, "checkin-again-phone")
    phone.get_by_role("link", name="Check in someone else").click()
    phone.get_by_label("Their name").fill("ana silva")
    tap_check_in(phone)
    expect(phone.get_by_role("heading", name="You're already checked in")).to_be_visible()
    expect(phone.get_by_text("No need to do it again")).to_be_visible()
    screenshot(phone, "checkin-duplicate-phone")
    assert console_errors == []


def test_it_works_the_same_with_javascript_off(browser: Browser, site: Site) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(site.url(site.checkin_path))
        page.get_by_label("Your name").fill("Bo Chen")
        tap_check_in(page)
        expect(page.get_by_role("heading", name="You're in, Bo")).to_be_visible()

        page.goto(site.url(site.checkin_path))
        expect(page.get_by_role("heading", name="You're in, Bo")).to_be_visible()
        page.get_by_role("link", name="Check in someone else").click()
        page.get_by_label("Their name").fill("Bo Chen")
        tap_check_in(page)
        expect(page.get_by_role("heading", name="You're already checked in")).to_be_visible()
    finally:
        context.close()


def test_an_offline_tap_says_so_at_once_and_lands_once_back_online(
    phone: Page, site: Site, relay: NetworkCut, console_errors: ConsoleErrors
) -> None:
    before = count(site)
    phone.goto(relay.url + site.checkin_path)
    phone.get_by_label("Your name").fill("Olu Offline")
    lose_signal(phone, relay)
    tapped = time.monotonic()
    tap_check_in(phone)
    expect(phone.get_by_text("No signal - we'll keep trying.")).to_be_visible(timeout=1000)
    assert time.monotonic() - tapped < 1.0
    screenshot(phone, "checkin-offline-phone")
    phone.wait_for_timeout(3500)  # a retry or two fail meanwhile
    assert count(site) == before

    regain_signal(phone, relay)
    expect(phone.get_by_role("heading", name="You're in, Olu")).to_be_visible(
        timeout=BACK_ONLINE_MS
    )
    assert count(site) == before + 1
    assert [e for e in console_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_a_check_in_kept_through_a_reload_while_offline_is_sent_when_the_page_opens(
    phone: Page, site: Site, relay: NetworkCut
) -> None:
    before = count(site)
    phone.goto(relay.url + site.checkin_path)
    phone.get_by_label("Your name").fill("Rae Reload")
    lose_signal(phone, relay)
    tap_check_in(phone)
    expect(phone.get_by_text("No signal - we'll keep trying.")).to_be_visible(timeout=1000)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        phone.reload()  # no signal: the browser cannot even open the page
    phone.wait_for_url("chrome-error://chromewebdata/")
    phone.wait_for_timeout(1000)
    assert count(site) == before

    regain_signal(phone, relay)
    phone.goto(relay.url + site.checkin_path)
    expect(phone.get_by_role("heading", name="You're in, Rae")).to_be_visible()
    assert count(site) == before + 1
    phone.reload()  # answered: nothing is sent again
    expect(phone.get_by_role("heading", name="You're in, Rae")).to_be_visible()
    assert count(site) == before + 1


def test_tries_that_all_arrive_count_the_runner_once(phone: Page, site: Site) -> None:
    """The first post reaches the server but its answer is lost: the resend is the same check-in."""
    before = count(site)
    posts: list[str] = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.post_data or "")
        if len(posts) == 1:
            route.fetch()  # the server checks the runner in...
            route.abort("internetdisconnected")  # ...and the answer never reaches the phone
        else:
            route.continue_()

    phone.route(site.url(site.checkin_path), lose_the_first_answer)
    phone.goto(site.url(site.checkin_path))
    phone.get_by_label("Your name").fill("Tess Twice")
    tap_check_in(phone)
    expect(phone.get_by_role("heading", name="You're in, Tess")).to_be_visible(
        timeout=BACK_ONLINE_MS
    )
    assert len(posts) == 2
    assert posts[0] == posts[1]  # the same submission id, sent again
    assert count(site) == before + 1


def test_a_busy_server_is_asked_again_after_its_retry_after(phone: Page, site: Site) -> None:
    sent: list[float] = []

    def busy_once(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        sent.append(time.monotonic())
        if len(sent) == 1:
            route.fulfill(status=503, headers={"Retry-After": "2"}, body="busy")
        else:
            route.continue_()

    phone.route(site.url(site.checkin_path), busy_once)
    phone.goto(site.url(site.checkin_path))
    phone.get_by_label("Your name").fill("Bea Busy")
    tap_check_in(phone)
    expect(phone.get_by_text("very busy - we'll send it again")).to_be_visible()
    expect(phone.get_by_role("heading", name="You're in, Bea")).to_be_visible(
        timeout=BACK_ONLINE_MS
    )
    assert sent[1] - sent[0] >= 1.9


def test_an_answer_that_is_the_runners_to_fix_is_shown_not_retried(phone: Page, site: Site) -> None:
    phone.goto(site.url(site.checkin_path))
    phone.get_by_label("Your name").fill("Dee Double")
    tap_check_in(phone)
    expect(phone.get_by_role("heading", name="You're in, Dee")).to_be_visible()

    posts: list[str] = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    phone.goto(site.url(f"{site.checkin_path}?other=1"))
    phone.get_by_label("Their name").fill("Dee Double")
    tap_check_in(phone)
    expect(phone.get_by_role("heading", name="You're already checked in")).to_be_visible()
    phone.wait_for_timeout(2500)
    assert len(posts) == 1


def test_checking_in_someone_else_keeps_the_owners_name(phone: Page, site: Site) -> None:
    phone.goto(site.url(site.checkin_path))
    phone.get_by_label("Your name").fill("Owen Owner")
    tap_check_in(phone)
    someone_else = phone.get_by_role("link", name="Check in someone else")
    box = someone_else.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300
    someone_else.tap()
    expect(phone.get_by_label("Their name")).to_have_value("")
    phone.get_by_label("Their name").fill("Fern Friend")
    tap_check_in(phone)
    expect(phone.get_by_role("heading", name="You're in, Fern")).to_be_visible()

    phone.goto(site.url(site.checkin_path))  # still Owen's phone, and Owen is in
    expect(phone.get_by_role("heading", name="You're in, Owen")).to_be_visible()


def test_a_255_character_name_wraps_without_sideways_scrolling(phone: Page, site: Site) -> None:
    name = "W" * 255
    phone.goto(site.url(site.checkin_path))
    phone.get_by_label("Your name").fill(name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    tap_check_in(phone)
    expect(phone.get_by_role("heading", name=f"You're in, {name}")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "checkin-long-name-phone")


def test_a_pasted_name_too_long_is_told_at_once_not_cut(phone: Page, site: Site) -> None:
    phone.goto(site.url(site.checkin_path))
    phone.get_by_label("Your name").fill("x" * 300)
    expect(phone.get_by_text("That name is too long: 255 characters at most")).to_be_visible()
    expect(phone.get_by_label("Your name")).to_have_value("x" * 300)
    expect(phone.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    screenshot(phone, "checkin-too-long-phone")


# Names the page's script judges as it is typed: where it says something, it says what the
# server would (attendance/names.py); look-alikes and mixed scripts it leaves to the server.
SAMPLES = [
    "Ana Silva",
    "x" * 255,
    "x" * 256,
    "y" * 255 + "\u200b" * 3,
    "Ana\x07Silva",
    "Ana\u2028Silva",
    "\u202ezaiD alraC\u202c",
    "Ana \u2066Silva",
    "!!!",
    "---",
    "Сarla Diaz",
    "Maya Οkafor",
    "Мауа Okafor",
    "Мария Иванова",
    "Zoë Ó Briain",
    "王小明",
    "محمد",
    "Car\u00adla\u200b Diaz",
    "Ana\ufe0f",
    " \u3000Ana\u00a0Silva ",
    "Ａｎａ Сilva",
    "Ꮇaya Patel",
    "🏃‍♀️ Jess 🔥",
]


def test_the_page_judges_names_as_the_server_does(phone: Page, site: Site) -> None:
    phone.goto(site.url(site.checkin_path))
    field = phone.get_by_label("Your name")
    for sample in SAMPLES:
        try:
            clean_runner_name(sample)
            expected = ""
        except ValidationError as refused:
            expected = refused.messages[0] if refused.code in PAGE_JUDGES else ""
        field.fill(sample)
        assert phone.locator("#name-error").inner_text() == expected, repr(sample)

    field.fill("\u200b ")
    tap_check_in(phone)  # an empty name is pointed out once the runner tries to send it
    expect(phone.locator("#name-error")).to_have_text("Please type your name.")


def test_every_control_is_big_enough_for_a_thumb(phone: Page, site: Site) -> None:
    pages = [site.checkin_path, f"{site.checkin_path}?other=1", "/c/", "/", "/no-such-page/"]
    for path in pages:
        phone.goto(site.url(path))
        for control in phone.locator("main a, main button, main input:not([type=hidden])").all():
            box = control.bounding_box()
            assert box is not None and box["width"] >= 44 and box["height"] >= 44, (path, control)


def test_a_runner_types_the_code_when_the_camera_fails(phone: Page, site: Site) -> None:
    code = site.checkin_path.rsplit("/", 1)[1]
    phone.goto(site.url("/"))
    phone.get_by_role("link", name="Type the check-in code").tap()
    phone.get_by_label("Code").fill(f"{code[:4].lower()} {code[4:].lower()}")
    phone.get_by_role("button", name="Go to check-in").tap()
    expect(phone.get_by_label("Your name")).to_be_visible()
    assert phone.url == site.url(site.checkin_path)
    screenshot(phone, "enter-code-phone")


def test_the_server_says_what_the_page_leaves_to_it(phone: Page, site: Site) -> None:
    phone.goto(site.url(site.checkin_path))
    phone.get_by_label("Your name").fill("Ꮇaya Patel")
    expect(phone.locator("#name-error")).to_be_hidden()
    tap_check_in(phone)
    expect(phone.locator("#name-error")).to_have_text(
        "“Ꮇaya” mixes Cherokee and Latin letters that look alike. "
        "Please type your name again with one keyboard."
    )
    screenshot(phone, "checkin-mixed-scripts-phone")


def test_a_phone_checking_in_a_group_is_told_how_long_to_wait(phone: Page, site: Site) -> None:
    phone.goto(site.url(f"{site.checkin_path}?other=1"))
    # Twenty friends already sent from this phone, as quick taps would send them.
    phone.evaluate(
        """async (path) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            for (let i = 0; i < 20; i++) {
                const body = new URLSearchParams({
                    csrfmiddlewaretoken: token, runner_name: "Group Friend " + i,
                    for_other: "1", submission_id: crypto.randomUUID(),
                });
                await fetch(path, {method: "POST", body, headers: {"HX-Request": "true"}});
            }
        }""",
        site.checkin_path,
    )
    phone.get_by_label("Their name").fill("Group Friend 21")
    tap_check_in(phone)
    status = phone.locator("#checkin-status")
    expect(status).to_contain_text("This phone has checked in 20 people in the last minute; wait")
    expect(status).to_contain_text("It is sent by itself, or cancel it.")
    expect(phone.get_by_label("Their name")).to_have_value("Group Friend 21")
    screenshot(phone, "checkin-phone-limit-phone")
    assert serious_violations(phone) == []
    phone.get_by_role("button", name="Cancel this check-in").click()
    expect(status).to_be_hidden()
    expect(phone.get_by_role("button", name="Check in")).to_be_enabled()
    expect(phone.get_by_label("Their name")).to_be_editable()
