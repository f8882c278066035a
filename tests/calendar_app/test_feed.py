"""/calendar.ics: the club's run days for runners' calendar apps, public and code-free."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.test import Client

from calendar_app import feed
from calendar_app.days import DayChange
from calendar_app.models import Run
from calendar_app.services import change_day
from calendar_app.shortcodes import spaced
from tests.factories import RunFactory
from tests.helpers import checkin

pytestmark = pytest.mark.django_db

URL = "/calendar.ics"
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)  # a Wednesday


def events(client: Client) -> dict[str, icalendar.Event]:
    response = client.get(URL)
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def by_day(client: Client) -> dict[dt.date, icalendar.Event]:
    return {event.start.date(): event for event in events(client).values()}


@pytest.fixture
def season(db: None) -> dict[str, Run]:
    return {
        "today": RunFactory(date=dt.date(2026, 11, 25), starts_at=dt.time(18, 30)),
        "cancelled": RunFactory(date=dt.date(2026, 11, 26), is_active=False),
        "summer": RunFactory(date=dt.date(2027, 5, 20), starts_at=dt.time(7, 15), place="Lido"),
        "month back": RunFactory(date=dt.date(2026, 10, 25)),
        "too old": RunFactory(date=dt.date(2026, 10, 24)),
        "six months on": RunFactory(date=dt.date(2027, 5, 25)),
        "too far": RunFactory(date=dt.date(2027, 5, 26)),
    }


@time_machine.travel(NOW, tick=False)
def test_it_is_a_calendar_anyone_can_fetch(client: Client, season) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar.calendar_name == "runclub runs"
    assert calendar["X-WR-TIMEZONE"] == "Europe/London"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]


@time_machine.travel(NOW, tick=False)
def test_it_lists_run_days_from_a_month_back_to_six_months_ahead(client: Client, season) -> None:
    assert sorted(by_day(client)) == [
        dt.date(2026, 10, 25),
        dt.date(2026, 11, 25),
        dt.date(2026, 11, 26),
        dt.date(2027, 5, 20),
        dt.date(2027, 5, 25),
    ]


@time_machine.travel(NOW, tick=False)
def test_todays_run_is_at_the_clubs_local_time_and_place(client: Client, season) -> None:
    today = by_day(client)[dt.date(2026, 11, 25)]
    assert today.start == dt.datetime(2026, 11, 25, 18, 30, tzinfo=LONDON)
    assert today.start.tzinfo is not None and str(today.start.tzinfo) == "Europe/London"
    assert today.end - today.start == feed.RUN_LENGTH
    assert str(today["LOCATION"]) == "The Oval, north gate"
    assert str(today["STATUS"]) == "CONFIRMED"
    assert str(today["SUMMARY"]) == "runclub run"


@time_machine.travel(NOW, tick=False)
def test_a_summer_run_keeps_its_local_time_across_the_clock_change(client: Client, season) -> None:
    summer = by_day(client)[dt.date(2027, 5, 20)]
    assert summer.start == dt.datetime(2027, 5, 20, 7, 15, tzinfo=LONDON)
    assert summer.start.astimezone(dt.UTC).hour == 6  # British Summer Time


@time_machine.travel(NOW, tick=False)
def test_another_clubs_zone_is_its_own(client: Client, season, settings) -> None:
    settings.TIME_ZONE = "America/New_York"
    today = by_day(client)[dt.date(2026, 11, 25)]
    assert today.start == dt.datetime(2026, 11, 25, 18, 30, tzinfo=ZoneInfo("America/New_York"))


@time_machine.travel(NOW, tick=False)
def test_a_cancelled_run_is_marked_cancelled(client: Client, season) -> None:
    cancelled = by_day(client)[dt.date(2026, 11, 26)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]) == "Cancelled: runclub run"


@time_machine.travel(NOW, tick=False)
def test_it_holds_no_session_id_nor_short_code(client: Client, season) -> None:
    body = client.get(URL).content.decode()
    for run in Run.objects.all():
        for secret in (run.session_id, run.short_code, spaced(run.short_code), run.token_path()):
            assert secret not in body
            assert secret.lower() not in body.lower()
    for event in events(client).values():
        assert str(event["UID"]).startswith("run-")


@time_machine.travel(NOW, tick=False)
def test_uids_stay_the_same_from_one_fetch_to_the_next(client: Client, season) -> None:
    assert events(client).keys() == events(client).keys()
    assert client.get(URL).content == client.get(URL).content


def test_a_changed_time_or_place_reaches_subscribers_at_their_next_refresh(client: Client) -> None:
    with time_machine.travel(NOW - dt.timedelta(days=30), tick=False):
        RunFactory(date=dt.date(2026, 11, 25))  # scheduled a month before
    with time_machine.travel(NOW, tick=False):
        before = by_day(client)[dt.date(2026, 11, 25)]
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        change_day(
            dt.date(2026, 11, 25), DayChange.SAVE, starts_at=dt.time(19, 0), place="Boathouse"
        )
        after = by_day(client)[dt.date(2026, 11, 25)]
    assert after["UID"] == before["UID"]
    assert after.start == dt.datetime(2026, 11, 25, 19, 0, tzinfo=LONDON)
    assert str(after["LOCATION"]) == "Boathouse"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert after["DTSTAMP"].dt == after["LAST-MODIFIED"].dt == NOW + dt.timedelta(hours=2)


def test_every_save_of_a_run_counts_as_a_revision(season) -> None:
    run = season["today"]
    for expected in (1, 2):
        run.place = f"Gate {expected}"
        run.save(update_fields=["place"])
        assert run.revision == expected
        run.refresh_from_db()
        assert run.revision == expected
    Run.cancel_day(run.date)
    assert Run.objects.get(pk=run.pk).revision == 3


@time_machine.travel(NOW, tick=False)
def test_an_unchanged_feed_is_not_sent_again(client: Client, season) -> None:
    first = client.get(URL)
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


@time_machine.travel(NOW, tick=False)
def test_it_reads_the_runs_in_one_query(client: Client, season, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        assert client.get(URL).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_it_takes_no_post(client: Client, season) -> None:
    assert client.post(URL).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_the_home_page_offers_it_three_ways(client: Client, season, settings) -> None:
    settings.SITE_URL = "https://runs.example.org"
    feed._links.cache_clear()
    try:
        page = client.get("/").content.decode()
    finally:
        feed._links.cache_clear()
    assert 'href="webcal://runs.example.org/calendar.ics"' in page
    assert "Add the club's runs to your calendar" in page
    assert "cid=webcal%3A%2F%2Fruns.example.org%2Fcalendar.ics" in page
    assert 'href="https://runs.example.org/calendar.ics"' in page


@time_machine.travel(NOW, tick=False)
def test_the_answer_card_offers_it(client: Client, season) -> None:
    page = checkin(client, season["today"], "Maya Okafor").content.decode()
    assert '<a href="/me/#calendar">Add the club&#x27;s runs to your calendar</a>' in page


def test_months_count_from_the_same_day_or_the_months_last() -> None:
    assert feed.months_from(dt.date(2026, 11, 25), -1) == dt.date(2026, 10, 25)
    assert feed.months_from(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert feed.months_from(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert feed.months_from(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)
