"""/me/: a runner's own season on their phone, and "Forget this phone"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from attendance import season
from attendance.cookies import RUNNER_COOKIE
from attendance.models import Attendance, Runner
from attendance.services import apply_retention, erase_runners, merge_runners
from calendar_app.models import Run, club_today
from tests.factories import AttendanceFactory, RunFactory, TermFactory
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db

ME = "/me/"
FORGET = "/me/forget/"


def tallies(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The page's three tallies, as {"This term": "1", "In all": "3", "Streak": "2"}."""
    found = re.findall(
        r"<dt>([^<]+)</dt>\s*<dd class=\"tally-number\">(\d+)</dd>", response.content.decode()
    )
    return dict(found)


def past_run(days_ago: int, *names: str, active: bool = True) -> Run:
    run = RunFactory(date=club_today() - dt.timedelta(days=days_ago), is_active=active)
    for name in names:
        AttendanceFactory(run=run, runner_name=name)
    return run


@pytest.fixture
def this_term(db: None):  # type: ignore[no-untyped-def]
    today = club_today()
    return TermFactory(
        name="Autumn term", first=today - dt.timedelta(days=20), last=today + dt.timedelta(days=40)
    )


def test_after_checking_in_the_phone_sees_one_run_this_term_and_the_next_run(
    client: Client, run: Run, this_term
) -> None:
    later = RunFactory(date=run.date + dt.timedelta(days=2), starts_at=dt.time(7, 30), place="Lido")
    checkin(client, run, "Maya Okafor")
    page = client.get(ME)
    assert page.status_code == 200
    assert tallies(page) == {"This term": "1", "In all": "1", "Streak": "1"}
    text = text_of(page)
    assert "Maya Okafor" in text and "run in Autumn term" in text
    assert "Today 18:00 · The Oval, north gate You're in" in text
    assert f"{later.date:%A} {later.date.day} {later.date:%B} 07:30 · Lido" in text


def test_another_phone_sees_nothing_of_it(client: Client, run: Run, this_term) -> None:
    checkin(client, run, "Maya Okafor")
    other = Client()
    page = other.get(ME)
    assert page.status_code == 200
    text = text_of(page)
    assert "Maya" not in text
    assert "This phone hasn't checked in to a run." in text
    assert tallies(page) == {}
    assert "Forget this phone" not in text


def test_it_shows_only_its_own_runner_among_others_at_the_same_runs(
    client: Client, run: Run
) -> None:
    past_run(2, "Ben Jones", "Cara Lee")
    AttendanceFactory(run=run, runner_name="Ben Jones")
    checkin(client, run, "Maya Okafor")
    page = client.get(ME).content.decode()
    assert "Ben" not in page and "Cara" not in page
    assert tallies(client.get(ME))["In all"] == "1"


def test_forget_this_phone_forgets(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Okafor")
    response = client.post(FORGET)
    assert response.status_code == 302 and response["Location"] == ME
    for name in (RUNNER_COOKIE, "runner_name"):
        assert response.cookies[name]["max-age"] == 0
    page = client.get(ME)
    text = text_of(page)
    assert "This phone has forgotten you" in text
    assert "Maya" not in text and tallies(page) == {}
    assert 'value="Maya Okafor"' not in client.get(run.checkin_path()).content.decode()
    assert Attendance.objects.count() == 1  # the club's records stay


def test_forgetting_needs_the_pages_own_form(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Okafor")
    phone = Client(enforce_csrf_checks=True)
    phone.cookies = client.cookies
    assert phone.post(FORGET).status_code == 403  # no CSRF token: a page elsewhere cannot
    page = phone.get(ME).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    assert phone.post(FORGET, {"csrfmiddlewaretoken": token[1]}).status_code == 302


def test_forgetting_is_a_post(client: Client) -> None:
    assert client.get(FORGET).status_code == 405


def test_nothing_is_reachable_by_an_id(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Okafor")
    runner = Runner.objects.get()
    assert Client().get(f"{ME}{runner.pk}/").status_code == 404
    assert "Maya" not in text_of(Client().get(ME, {"runner": runner.pk}))


def test_a_forged_cookie_sees_the_empty_page(client: Client, run: Run) -> None:
    AttendanceFactory(run=run, runner_name="Maya Okafor")
    client.cookies[RUNNER_COOKIE] = "[1, 1]"
    assert "This phone hasn't checked in to a run." in text_of(client.get(ME))


def test_it_follows_a_merge(client: Client, run: Run) -> None:
    checkin(client, run, "Maya O")
    mine = Runner.objects.get()
    earlier = past_run(7, "Maya Okafor").attendances.get()
    merge_runners(earlier.runner, [mine])
    page = client.get(ME)
    assert tallies(page)["In all"] == "2"
    assert "Maya Okafor" in text_of(page)


def test_an_erased_runner_sees_the_empty_page(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Okafor")
    erase_runners(Runner.objects.values_list("pk", flat=True))
    assert "This phone hasn't checked in to a run." in text_of(client.get(ME))


def test_an_anonymised_runner_sees_the_empty_page(client: Client, settings) -> None:
    settings.RETENTION_YEARS = 1
    old = past_run(800)
    checkin(client, RunFactory(), "Maya Okafor")
    Attendance.objects.update(run=old, registered_at=old.starts)
    apply_retention()
    assert "Maya" not in text_of(client.get(ME))


def test_runs_made_nameless_by_retention_still_count_in_all(client: Client, settings, run) -> None:
    settings.RETENTION_YEARS = 1
    for days in (900, 800):
        old = past_run(days)
        AttendanceFactory(run=old, runner_name="Maya Okafor", registered_at=old.starts)
    checkin(client, run, "Maya Okafor")
    assert apply_retention().checkins == 2  # Maya still runs: her old runs lose her name
    assert tallies(client.get(ME))["In all"] == "3"


def test_the_streak_counts_run_days_in_a_row_and_cancelled_ones_break_nothing(run: Run) -> None:
    past_run(9, "Maya Okafor")
    past_run(7, "Ben Jones")  # Maya missed this one: her streak starts after it
    past_run(5, "Maya Okafor")
    past_run(4, active=False)  # cancelled: no run day
    past_run(3, "Maya Okafor")
    cancelled_but_in = past_run(2, "Maya Okafor", active=False)
    maya = Runner.objects.get(name="Maya Okafor")
    # Today's run, not yet checked in to, breaks nothing; a cancelled run adds nothing.
    assert season.streak(maya, club_today()) == 2
    AttendanceFactory(run=run, runner_name="Maya Okafor")
    assert season.streak(maya, club_today()) == 3
    assert cancelled_but_in.attendances.count() == 1


def test_a_missed_last_run_ends_the_streak(run: Run) -> None:
    past_run(3, "Maya Okafor")
    past_run(1, "Ben Jones")
    assert season.streak(Runner.objects.get(name="Maya Okafor"), club_today()) == 0


def test_the_page_says_how_the_streak_counts(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Okafor")
    assert "A cancelled run doesn't break it" in text_of(client.get(ME))


@pytest.mark.parametrize(
    ("runs", "reached", "upcoming"),
    [
        (0, [], 1),
        (1, [1], 10),
        (9, [1], 10),
        (10, [1, 10], 25),
        (99, [1, 10, 25, 50], 100),
        (100, [1, 10, 25, 50, 100], 200),
        (312, [1, 10, 25, 50, 100, 200, 300], 400),
    ],
)
def test_milestones_reached_and_the_next_one(runs: int, reached: list[int], upcoming: int) -> None:
    done, coming = season.milestones(runs)
    assert [milestone.runs for milestone in done] == reached
    assert coming.runs == upcoming


def test_the_page_shows_milestones_reached_and_how_many_to_go(client: Client, run: Run) -> None:
    for days in range(1, 10):
        past_run(days * 2, "Maya Okafor")
    checkin(client, run, "Maya Okafor")
    text = text_of(client.get(ME))
    assert "Next: 25 runs. A quarter-century!" in text
    assert "15 runs to go." in text
    assert "1 Welcome!" in text and "10 Double figures!" in text


@time_machine.travel(dt.datetime(2026, 12, 20, 12, 0, tzinfo=dt.UTC), tick=False)
def test_between_terms_it_shows_the_last_one(client: Client) -> None:
    TermFactory(name="Autumn 2026", first=dt.date(2026, 9, 28), last=dt.date(2026, 12, 11))
    past = RunFactory(date=dt.date(2026, 12, 8))
    AttendanceFactory(run=past, runner_name="Maya Okafor")
    checkin(client, RunFactory(date=dt.date(2026, 12, 20)), "Maya Okafor")
    page = client.get(ME)
    assert tallies(page) == {"Last term": "1", "In all": "2", "Streak": "2"}


def test_without_terms_there_is_no_term_tally(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Okafor")
    assert set(tallies(client.get(ME))) == {"In all", "Streak"}


def test_it_offers_the_clubs_calendar(client: Client, run: Run) -> None:
    page = client.get(ME).content.decode()
    assert 'id="calendar"' in page and "/calendar.ics" in page


def test_it_is_one_phones_page_no_shared_cache_keeps(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Okafor")
    cache_control = client.get(ME)["Cache-Control"]
    assert "private" in cache_control and "no-cache" in cache_control


def test_its_queries_do_not_grow_with_runs(
    client: Client, run: Run, this_term, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for days in range(1, 60):
        past_run(days, "Maya Okafor", "Ben Jones")
    checkin(client, run, "Maya Okafor")
    client.get(ME)  # the coming runs are cached from here on
    # The runner (by the cookie's check-in), the term, the counts, the streak.
    with django_assert_max_num_queries(4):
        assert tallies(client.get(ME))["In all"] == "60"


def test_the_answer_links_your_season_for_the_phones_own_runner(client: Client, run: Run) -> None:
    own = checkin(client, run, "Maya Okafor").content.decode()
    assert '<a class="button button-primary" href="/me/">Your season</a>' in own
    assert '<a href="/me/#calendar">Add the club&#x27;s runs to your calendar</a>' in own
    other = client.post(run.checkin_path(), {"runner_name": "Ben Jones", "for_other": "1"})
    assert "Your season" not in other.content.decode()


def test_the_privacy_notice_tells_of_the_page(client: Client) -> None:
    text = text_of(client.get("/privacy/"))
    assert "/me/" in text and "Forget this phone" in text
