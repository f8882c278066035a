"""The Today screen: the admin's first page after log-in, for organisers and the committee."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from calendar_app.models import Run, club_today
from runclub import today as today_module
from tests.authenticator import log_in, password_step
from tests.factories import AttendanceFactory, OrganiserFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

TODAY = "/admin/"
NOW = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)  # a Wednesday, 17:00 in London


@pytest.fixture
def season(db: None) -> dict[str, Run]:
    runs = {
        "last week": RunFactory(date=dt.date(2026, 11, 17), place="Track"),
        "thursday": RunFactory(date=dt.date(2026, 11, 19), place="Boathouse"),
        "next": RunFactory(date=dt.date(2026, 11, 26), starts_at=dt.time(7, 30), place="Park"),
        "called off": RunFactory(date=dt.date(2026, 12, 1), is_active=False),
    }
    AttendanceFactory.create_batch(4, run=runs["last week"])
    AttendanceFactory.create_batch(2, run=runs["thursday"])
    return runs


def big_links(response) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(r'<a class="rc-big[^"]*" href="([^"]+)"', response.content.decode())


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("role", ["organiser", "committee"])
def test_with_a_run_today_it_shows_the_run_its_live_count_and_big_links(client_as, season, role):
    run = RunFactory(date=dt.date(2026, 11, 25), starts_at=dt.time(18, 0), place="The Oval")
    AttendanceFactory.create_batch(3, run=run)
    response = client_as(role).get(TODAY)
    assert response.status_code == 200
    text = text_of(response)
    assert "Wednesday 25 November" in text and "18:00 · The Oval" in text
    assert '<strong id="attendance-count">3</strong>' in response.content.decode()
    assert 'ws-connect="/ws/live/?view=count"' in response.content.decode()
    assert big_links(response) == ["/qr/today/projector/", "/qr/today/", "/live/"]


@time_machine.travel(NOW, tick=False)
def test_it_lists_the_next_runs_and_the_last_ones_with_their_counts(client_as, season) -> None:
    text = text_of(client_as("committee").get(TODAY))
    coming, last = text.split("Coming up", 1)[1].split("Last runs")
    assert re.search(r"Thu 26 Nov 07:30 Park QR code .*Tue 1 Dec 18:00 .* cancelled", coming)
    assert re.search(r"Thu 19 Nov 18:00 Boathouse 2 checked in Tue 17 Nov 18:00 Track 4", last)


@time_machine.travel(NOW, tick=False)
def test_without_a_run_today_it_names_the_next_and_offers_to_add_today(client_as, season):
    response = client_as("organiser").get(TODAY)
    text = text_of(response)
    assert "No run today." in text
    assert "Next run: Thursday 26 November , 07:30, Park." in text  # bold date
    assert "Make today a run day" in text
    # The form suggests the time and place of the last run before today.
    page = response.content.decode()
    assert 'name="starts_at" value="18:00"' in page and 'name="place" value="Boathouse"' in page


@time_machine.travel(NOW, tick=False)
def test_an_organiser_adds_today_from_it_and_comes_back_to_it(client_as, season) -> None:
    client = client_as("organiser")
    page = client.get(TODAY).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)".*?</form>', page, re.S)
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[0]))
    data.update(change="open", starts_at="18:30", place="The Oval")
    response = client.post(form[1], data, follow=True)
    assert response.redirect_chain[-1][0] == TODAY
    run = Run.objects.get(date=dt.date(2026, 11, 25))
    assert (run.is_active, run.starts_at, run.place) == (True, dt.time(18, 30), "The Oval")
    assert big_links(response)[0] == "/qr/today/projector/"


@time_machine.travel(NOW, tick=False)
def test_the_committee_sees_it_read_only(client_as, season) -> None:
    response = client_as("committee").get(TODAY)
    text = text_of(response)
    assert "No run today." in text and "Next run: Thursday 26 November" in text
    assert "<form" not in response.content.decode().split('id="content"')[1]
    assert "Recurring schedule" not in text
    assert "History" in text and "Export CSV" in text


@time_machine.travel(NOW, tick=False)
def test_a_cancelled_run_today_says_so_and_can_be_reopened(client_as) -> None:
    RunFactory(date=dt.date(2026, 11, 25), is_active=False)
    response = client_as("organiser").get(TODAY)
    assert "Today's run is cancelled." in text_of(response)
    assert "Re-open today's run" in text_of(response)
    assert big_links(response) == []


def test_it_is_the_first_page_after_logging_in(db, settings) -> None:
    settings.ADMIN_2FA = "optional"  # an account with no authenticator: the password alone
    OrganiserFactory(username="ola")
    client = Client()
    password_step(client, "ola", "correct horse battery")
    response = client.get(TODAY)
    assert "Coming up" in text_of(response)


def test_it_reloads_itself_after_the_clubs_midnight(client_as) -> None:
    page = client_as("organiser").get(TODAY).content.decode()
    seconds = int(re.search(r'js/follow-day\.js" data-seconds="(\d+)"', page)[1])
    assert 0 < seconds <= 24 * 3600 + 3700  # a day, or one with an extra hour in autumn


def test_it_shows_the_summary_lines_given_for_todays_run(client_as, monkeypatch) -> None:
    RunFactory()
    made = today_module.today_screen

    def with_summary(day: dt.date) -> today_module.TodayScreen:
        screen = made(day)
        screen.summary.append("2 failed attempts")
        return screen

    monkeypatch.setattr(today_module, "today_screen", with_summary)
    response = client_as("organiser").get(TODAY)
    assert '<ul class="rc-today-summary"><li>2 failed attempts</li></ul>' in (
        response.content.decode()
    )


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(TODAY)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_its_queries_do_not_grow_with_the_runs(client_as, django_assert_max_num_queries) -> None:
    client = client_as("organiser")
    for days in range(-40, 40):
        AttendanceFactory(run=RunFactory(date=club_today() + dt.timedelta(days=days)))
    # One of them: the device the organiser's session passed (django-otp).
    with django_assert_max_num_queries(13):
        assert client.get(TODAY).status_code == 200


@pytest.mark.parametrize(
    ("mode", "enrolled", "asked"),
    [("optional", False, True), ("optional", True, False), ("required", True, False)],
)
def test_it_asks_an_organiser_without_an_authenticator_to_add_one_where_the_club_leaves_it_to_them(
    client_as, settings, mode: str, enrolled: bool, asked: bool
) -> None:
    settings.ADMIN_2FA = mode
    client, organiser = Client(), OrganiserFactory()
    if enrolled:
        log_in(client, organiser)
    else:
        log_in(client, organiser, second_step=False)  # the password alone, as optional allows
    page = client.get(TODAY)
    assert ("Add an authenticator app" in text_of(page)) is asked
