"""The admin's list of runs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

LIST = reverse("admin:calendar_app_run_changelist")


def test_it_lists_runs_with_their_check_in_count_and_qr_link(client_as) -> None:
    run = RunFactory(date=dt.date(2026, 10, 6), place="The Oval")
    AttendanceFactory.create_batch(4, run=run)
    response = client_as("committee").get(LIST)
    page = response.content.decode()
    assert re.search(r'class="field-checkin_count"><a href="[^"]*\?run=\d+">4</a>', page)
    assert f'href="{run.qr_path()}"' in page
    assert "The Oval" in text_of(response)


def test_its_queries_do_not_grow_with_the_runs_shown(
    client_as, django_assert_max_num_queries
) -> None:
    client = client_as("organiser")
    for day in range(1, 60):
        run = RunFactory(date=dt.date(2026, 1, 1) + dt.timedelta(days=day))
        AttendanceFactory.create_batch(2, run=run)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_it_filters_cancelled_runs(client_as) -> None:
    RunFactory(date=dt.date(2026, 10, 6), place="Open one")
    RunFactory(date=dt.date(2026, 10, 8), place="Cancelled one", is_active=False)
    text = text_of(client_as("organiser").get(LIST + "?is_active__exact=0"))
    assert "Cancelled one" in text and "Open one" not in text


def test_a_run_page_shows_its_check_ins_inline(client_as) -> None:
    run = RunFactory()
    AttendanceFactory(run=run, runner_name="Ana Silva")
    response = client_as("organiser").get(reverse("admin:calendar_app_run_change", args=[run.pk]))
    assert 'value="Ana Silva"' in response.content.decode()


def test_it_links_to_the_calendar_schedule_and_history(client_as) -> None:
    page = client_as("organiser").get(LIST).content.decode()
    for name in ("calendar_app_run_calendar", "calendar_app_run_schedule", "attendance_history"):
        assert f'href="{reverse("admin:" + name)}"' in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("plain user", 302),
        ("committee", 200),
        ("organiser", 200),
        ("superuser", 200),
    ],
)
def test_the_run_list_is_for_staff_who_may_view_runs(client_as, role: str, status: int) -> None:
    assert client_as(role).get(LIST).status_code == status


def test_the_committee_cannot_add_or_change_runs(client_as) -> None:
    run = RunFactory()
    client = client_as("committee")
    assert client.get(reverse("admin:calendar_app_run_add")).status_code == 403
    response = client.post(
        reverse("admin:calendar_app_run_change", args=[run.pk]),
        {"date": "2026-10-06", "starts_at": "18:00", "place": "x", "is_active": "on"},
    )
    assert response.status_code == 403


def listed_dates(response) -> list[dt.date]:  # type: ignore[no-untyped-def]
    return [run.date for run in response.context["cl"].result_list]


@time_machine.travel(dt.datetime(2026, 10, 14, 12, 0, tzinfo=dt.UTC))
def test_it_lists_today_then_upcoming_soonest_first_then_recent(client_as) -> None:
    # A term's schedule: today is the first row, not the last of the future ones.
    days = [dt.date(2026, 10, 14) + dt.timedelta(days=7 * weeks) for weeks in range(-3, 8)]
    for day in days:
        RunFactory(date=day)
    response = client_as("organiser").get(LIST)
    today, upcoming, past = days[3], days[4:], days[:3]
    assert listed_dates(response) == [today, *upcoming, *reversed(past)]
    first_row = re.search(r"<tr>.*?</tr>", response.content.decode().split("<tbody>")[1], re.S)
    assert (
        "Wed 14 Oct 2026" in first_row[0] and '<span class="rc-badge">today</span>' in first_row[0]
    )


def test_a_column_click_still_sorts_by_it(client_as) -> None:
    for day in (6, 8, 13):
        RunFactory(date=dt.date(2026, 10, day))
    response = client_as("organiser").get(LIST, {"o": "1"})
    assert listed_dates(response) == [dt.date(2026, 10, day) for day in (6, 8, 13)]


def test_times_read_in_24_hours(client_as) -> None:
    RunFactory(date=dt.date(2026, 10, 6), starts_at=dt.time(18, 0))
    response = client_as("organiser").get(LIST)
    assert '<td class="field-starts_at nowrap">18:00</td>' in response.content.decode()
    assert "p.m." not in response.content.decode()


def test_the_run_form_asks_for_a_24_hour_time(client_as) -> None:
    run = RunFactory(starts_at=dt.time(18, 30))
    page = client_as("organiser").get(reverse("admin:calendar_app_run_change", args=[run.pk]))
    field = r'<input type="text" name="starts_at" value="18:30"[^>]*placeholder="18:00"'
    assert re.search(field, page.content.decode())


def change_form_data(run, **changes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "date": f"{run.date:%Y-%m-%d}",
        "starts_at": "18:00",
        "place": run.place,
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_unticking_active_on_todays_run_asks_first_as_the_calendar_does(client_as) -> None:
    run = RunFactory()
    client = client_as("organiser")
    url = reverse("admin:calendar_app_run_change", args=[run.pk])
    response = client.post(url, change_form_data(run))  # "active" unticked
    assert response.status_code == 200
    assert "This is today's run: runners may be on their way." in text_of(response)
    run.refresh_from_db()
    assert run.is_active
    client.post(url, change_form_data(run, confirm_cancel="on"))
    run.refresh_from_db()
    assert not run.is_active


def test_unticking_active_on_a_future_run_nobody_is_in_cancels_at_once(client_as) -> None:
    run = RunFactory(date=dt.date(2030, 1, 8))
    url = reverse("admin:calendar_app_run_change", args=[run.pk])
    client_as("organiser").post(url, change_form_data(run))
    run.refresh_from_db()
    assert not run.is_active
