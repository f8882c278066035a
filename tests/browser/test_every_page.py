"""Every page, on a 390x844 phone and a 1366x900 laptop, light and dark: photographed for a
designer's eye (artifacts/screenshots/every-page-*.png), and checked for what a screenshot
shows badly: no page scrolls sideways on a phone, every control on a runner's page is
thumb-sized, and axe finds nothing serious (contrast in dark mode included).

The club has a year of demo history, today's run with a few check-ins, a run to come, a
cancelled one and a past one, so each page shows what it shows on a real evening.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize, expect

from calendar_app.models import club_today
from tests.authenticator import Authenticator, enrol_command
from tests.browser.conftest import AXE, screenshot, type_code
from tests.ports import port
from tests.servers import Daphne

pytestmark = pytest.mark.slow

SERVER_PORT = port(18600)
ORGANISER = ("olu", "organiser's long password 7")
NEWCOMER = ("nia", "new organiser's long password 9")  # no second step set up yet
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1366, "height": 900}
THUMB = 44  # CSS pixels, each way

FACTS = """
import datetime as dt, json
from django.contrib.auth.models import Group, User
from django.db.models import Count
from attendance.models import Runner
from calendar_app.models import Run, Term, club_today
today = club_today()
user = User.objects.create_user({newcomer!r}, password={password!r}, is_staff=True)
user.groups.add(Group.objects.get(name="Organisers"))
soon, _ = Run.open_day(today + dt.timedelta(days=2), place="Sports centre steps")
off, _ = Run.open_day(today + dt.timedelta(days=4))
Run.cancel_day(off.date)
past = Run.objects.filter(date__lt=today, is_active=True).latest("date")
regular = Runner.objects.annotate(n=Count("attendances")).order_by("-n").first()
term = Term.objects.filter(first__lte=today).latest("first")
print(json.dumps({{
    "soon": soon.checkin_path(), "cancelled": off.checkin_path(), "past": past.checkin_path(),
    "past_id": past.pk, "regular": regular.name, "term": term.pk,
}}))
"""
TONIGHT = "Ana Silva\nBen Okafor\nChloe Nguyen\nDev Patel\nElla Rossi\nFinn Murphy\n"
MEMBERS = "number,name\nS1000001,Ana Silva\nS1000002,Ben Okafor\nS1000003,Chloe Nguyen\n"


@dataclass
class Club:
    server: Daphne
    checkin_path: str  # today's
    facts: dict[str, object]

    def url(self, path: str) -> str:
        return self.server.base_url + path


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Club]:
    data = tmp_path_factory.mktemp("every-page")
    server = Daphne(
        data,
        SERVER_PORT,
        ADMIN_USERNAME=ORGANISER[0],
        ADMIN_PASSWORD=ORGANISER[1],
        RATELIMIT_LOGIN_PER_USERNAME="100/m",
        RATELIMIT_LOGIN_PER_ADDRESS="200/m",
        RATELIMIT_WRONG_CODE_PER_ADDRESS="3/10m",  # the tour meets the limit's page on purpose
    )
    server.prepare()
    server.manage("seed_demo", "--years", "1")
    server.manage("ensure_admin")
    server.manage(*enrol_command(ORGANISER[0]))
    server.manage("add_run_day", "today", "--place", "The Oval, north gate")
    checkin_path, _ = server.add_run_day()  # the same day again, for its link
    (data / "tonight.txt").write_text(TONIGHT)
    server.manage("add_checkins", "today", str(data / "tonight.txt"))
    (data / "members.csv").write_text(MEMBERS)
    server.manage("import_members", str(data / "members.csv"))
    facts = json.loads(
        server.manage(
            "shell", "-c", FACTS.format(newcomer=NEWCOMER[0], password=NEWCOMER[1])
        ).splitlines()[-1]
    )
    server.start()
    yield Club(server, checkin_path, facts)
    server.stop()


def device(browser: Browser, kind: str, dark: bool = False) -> BrowserContext:
    if kind == "phone":
        return browser.new_context(
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="en-GB",
            color_scheme="dark" if dark else "light",
        )
    return browser.new_context(
        viewport=LAPTOP, locale="en-GB", color_scheme="dark" if dark else "light"
    )


class Tour:
    """Screenshots taken, and what the page got wrong on the way."""

    def __init__(self) -> None:
        self.faults: list[str] = []

    def look(
        self, page: Page, name: str, runner: bool = False, known: frozenset[str] = frozenset()
    ) -> None:
        page.wait_for_load_state("load")
        screenshot(page, f"every-page-{name}")
        self.faults.extend(f"{name}: {finding}" for finding in axe_findings(page, known))
        if page.viewport_size and page.viewport_size["width"] < 500:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                self.faults.append(f"{name}: scrolls sideways by {overflow} px")
            # A form's rows (a run's check-ins) hidden past the edge of their own box.
            hidden = page.evaluate(
                "Math.max(0, ...[...document.querySelectorAll('.inline-group .tabular')]"
                ".map(box => box.scrollWidth - box.clientWidth))"
            )
            if hidden > 0:
                self.faults.append(f"{name}: a form's rows run {hidden} px past the screen")
            if runner:
                self.faults.extend(f"{name}: {small}" for small in too_small_for_a_thumb(page))

    def passes(self) -> None:
        assert self.faults == [], "\n".join(self.faults)


def axe_findings(page: Page, known: frozenset[str]) -> list[str]:
    """axe-core's serious and critical findings but ``known`` ones, each with the elements it
    found them on."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['impact']}: {v['id']}: {[n['target'] for n in v['nodes'][:3]]} "
        f"{v['nodes'][0]['failureSummary']!r}"
        for v in results
        if v["impact"] in {"serious", "critical"} and v["id"] not in known
    ]


def too_small_for_a_thumb(page: Page) -> list[str]:
    """Controls under 44x44 px, but for links inside a sentence (WCAG 2.5.8's "inline")."""
    small = []
    controls = "main a, main button, main input:not([type=hidden]), main select"
    for control in page.locator(controls).all():
        if control.evaluate("e => e.tagName === 'A' && getComputedStyle(e).display === 'inline'"):
            continue
        box = control.bounding_box()
        if box is not None and (box["width"] < THUMB or box["height"] < THUMB):
            label = control.inner_text() or control.get_attribute("name") or "?"
            small.append(f"{label.strip()!r} is {box['width']:.0f}x{box['height']:.0f} px")
    return small


def log_in(page: Page, club: Club) -> None:
    page.goto(club.url("/admin/"))
    page.get_by_label("Username").fill(ORGANISER[0])
    page.get_by_label("Password").fill(ORGANISER[1])
    page.get_by_role("button", name="Log in", exact=True).click()
    type_code(page, Authenticator(club.url(ORGANISER[0])))
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()


def check_in(page: Page, name: str) -> None:
    page.get_by_label(re.compile("(Your|Their) name")).fill(name)
    page.get_by_role("button", name="Check in").click()


@pytest.mark.parametrize("kind", ["phone", "laptop"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_runners_pages_fit_a_phone_take_a_thumb_and_pass_axe(
    browser: Browser, club: Club, kind: str, dark: bool
) -> None:
    tour = Tour()
    suffix = f"{kind}{'-dark' if dark else ''}"
    context = device(browser, kind, dark)
    page = context.new_page()

    page.goto(club.url("/me/"))
    expect(page.get_by_role("heading", name="Nothing here yet")).to_be_visible()
    tour.look(page, f"season-empty-{suffix}", runner=True)

    page.goto(club.url("/"))
    tour.look(page, f"home-{suffix}", runner=True)
    page.goto(club.url("/c/"))
    tour.look(page, f"enter-code-{suffix}", runner=True)
    page.goto(club.url("/c/?code=ZZ"))
    tour.look(page, f"enter-code-wrong-{suffix}", runner=True)

    page.goto(club.url(club.checkin_path))
    expect(page.get_by_label("Your name")).to_be_visible()
    tour.look(page, f"checkin-form-{suffix}", runner=True)
    check_in(page, "")
    expect(page.get_by_text("Please type your name.")).to_be_visible()
    tour.look(page, f"checkin-invalid-{suffix}", runner=True)
    check_in(page, str(club.facts["regular"]) if not dark and kind == "phone" else f"Tour {suffix}")
    expect(page.get_by_role("heading", name=re.compile("You're in"))).to_be_visible()
    tour.look(page, f"checkin-answer-{suffix}", runner=True)
    page.get_by_role("link", name="Check in someone else").click()
    check_in(page, "Ana Silva")
    expect(page.get_by_role("heading", name=re.compile("already checked in"))).to_be_visible()
    tour.look(page, f"checkin-duplicate-{suffix}", runner=True)

    page.goto(club.url("/me/"))
    tour.look(page, f"season-{suffix}", runner=True)
    page.goto(club.url("/privacy/"))
    tour.look(page, f"privacy-{suffix}", runner=True)
    for state in ("soon", "cancelled", "past"):
        page.goto(club.url(str(club.facts[state])))
        tour.look(page, f"checkin-{state}-{suffix}", runner=True)
    page.goto(club.url("/live/"))
    expect(page.locator("[data-live-status]")).to_have_text("Live")
    tour.look(page, f"live-{suffix}", runner=True)
    page.goto(club.url("/no-such-page/"))
    tour.look(page, f"404-{suffix}", runner=True)
    context.close()
    tour.passes()


def answer(status: int, html: str) -> Callable[[Route], None]:
    return lambda route: route.fulfill(status=status, body=html, content_type="text/html")


def error_page(template: str) -> str:
    request = RequestFactory().get("/")
    return render_to_string(template, {"club_name": "runclub"}, request=request)


@pytest.mark.parametrize("kind", ["phone", "laptop"])
def test_the_error_pages_fit_a_phone_take_a_thumb_and_pass_axe(
    browser: Browser, club: Club, kind: str
) -> None:
    tour = Tour()
    context = device(browser, kind)
    page = context.new_page()
    for _ in range(4):  # past the tour's wrong-code limit: the real 429
        page.goto(club.url("/c/?code=ZZZZZZZZ"))
    tour.look(page, f"429-wrong-codes-{kind}", runner=True)
    # The pages a healthy server never shows, as it would show them, under its own styles.
    for status in (400, 403, 429, 500, 503, 507):
        page.route(club.url(f"/error-{status}"), answer(status, error_page(f"{status}.html")))
        page.goto(club.url(f"/error-{status}"))
        tour.look(page, f"{status}-{kind}", runner=True)
    context.close()
    tour.passes()


@pytest.mark.parametrize("kind", ["phone", "laptop"])
def test_the_log_in_pages_fit_a_phone_and_pass_axe(browser: Browser, club: Club, kind: str) -> None:
    tour = Tour()
    context = device(browser, kind)
    page = context.new_page()
    page.goto(club.url("/admin/"))
    tour.look(page, f"login-{kind}")
    page.get_by_label("Username").fill(ORGANISER[0])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in", exact=True).click()
    tour.look(page, f"login-wrong-{kind}")
    page.get_by_label("Password").fill(ORGANISER[1])
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    tour.look(page, f"login-code-{kind}")
    context.close()

    context = device(browser, kind)
    page = context.new_page()
    # As localhost, a name a passkey can belong to: the set-up offers one beside the app.
    page.goto(club.url("/admin/").replace("127.0.0.1", "localhost"))
    page.get_by_label("Username").fill(NEWCOMER[0])
    page.get_by_label("Password").fill(NEWCOMER[1])
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    tour.look(page, f"two-factor-choose-{kind}")
    page.get_by_label("An authenticator app on my phone").check()
    page.get_by_role("button", name="Next").click()
    tour.look(page, f"two-factor-enrol-{kind}")
    context.close()
    tour.passes()


ORGANISER_PAGES = {
    "today": "/admin/",
    "qr": "/qr/today/",
    "projector": "/qr/today/projector/",
    "live-names": "/live/",
    "calendar": "/admin/calendar_app/run/calendar/?day={today}#day-panel",
    "schedule": "/admin/calendar_app/run/schedule/",
    "history": "/admin/attendance/attendance/history/",
    "term-report": "/admin/attendance/attendance/term/{term}/",
    "paper-list": "/admin/attendance/attendance/paper-list/{past_id}/",
    "member-import": "/admin/attendance/member/import/",
    "two-factor": "/admin/two-factor/",
    "runs": "/admin/calendar_app/run/",
    "run": "/admin/calendar_app/run/{past_id}/change/",
    "checkins": "/admin/attendance/attendance/",
    "runners": "/admin/attendance/runner/",
    "variants": "/admin/attendance/runner/variants/",
    "members": "/admin/attendance/member/",
    "terms": "/admin/calendar_app/term/",
    "users": "/admin/auth/user/",
    "groups": "/admin/auth/group/",
}


LIVE = {"today", "projector", "live-names"}  # pages with the count, live once connected
# What axe finds in Django's own admin markup, left as Django draws it: a change list's search
# box whose help text describes it is named by its magnifier's alt text, which axe does not count.
DJANGO_OWN = {
    "checkins": frozenset({"label-title-only"}),
    "runners": frozenset({"label-title-only"}),
}
DARK = {"today", "calendar", "history", "term-report", "live-names"}


@pytest.mark.parametrize("kind", ["phone", "laptop"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_organisers_pages_fit_a_phone_and_pass_axe(
    browser: Browser, club: Club, kind: str, dark: bool
) -> None:
    tour = Tour()
    context = device(browser, kind, dark)
    page = context.new_page()
    log_in(page, club)
    facts = {**club.facts, "today": f"{club_today():%Y-%m-%d}"}
    for name, path in ORGANISER_PAGES.items():
        if dark and name not in DARK:
            continue
        page.goto(club.url(path.format(**facts)))
        if name in LIVE:
            expect(page.locator("[data-live-status]").first).to_have_text("Live")
        known = DJANGO_OWN.get(name, frozenset())
        tour.look(page, f"{name}-{kind}{'-dark' if dark else ''}", known=known)
    context.close()
    tour.passes()
