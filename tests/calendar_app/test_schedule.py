"""Recurring schedules: "every Tuesday and Thursday at 18:00 from ... to ..., except ..."."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from calendar_app.models import Run
from calendar_app.services import Schedule, create_schedule
from tests.factories import RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

URL = reverse("admin:calendar_app_run_schedule")
FORM = {
    "weekdays": ["1", "3"],  # Tuesday, Thursday
    "starts_at": "18:00",
    "place": "The Oval",
    "first": "2026-09-28",
    "last": "2026-10-11",
    "exceptions": "2026-10-06",
}


def run_days() -> list[str]:
    return [f"{day:%a %d}" for day in Run.objects.order_by("date").values_list("date", flat=True)]


def test_it_creates_every_matching_day_but_the_exceptions() -> None:
    result = create_schedule(
        Schedule(
            weekdays=frozenset({1, 3}),
            starts_at=dt.time(18, 0),
            place="The Oval",
            first=dt.date(2026, 9, 28),
            last=dt.date(2026, 10, 11),
            exceptions=frozenset({dt.date(2026, 10, 6)}),
        )
    )
    assert run_days() == ["Tue 29", "Thu 01", "Thu 08"]
    assert len(result.created) == 3
    assert set(Run.objects.values_list("place", flat=True)) == {"The Oval"}


def test_sending_the_form_twice_creates_nothing_twice(client_as) -> None:
    client = client_as("organiser")
    first = client.post(URL, FORM, follow=True)
    assert "Added 3 run days" in text_of(first)
    second = client.post(URL, FORM, follow=True)
    assert "Added 0 run days; 3 were already" in text_of(second)
    assert Run.objects.count() == 3


def test_it_leaves_a_cancelled_day_cancelled() -> None:
    RunFactory(date=dt.date(2026, 9, 29), is_active=False, place="Track")
    create_schedule(
        Schedule(frozenset({1}), dt.time(18), "Oval", dt.date(2026, 9, 28), dt.date(2026, 10, 4))
    )
    run = Run.objects.get(date=dt.date(2026, 9, 29))
    assert not run.is_active and run.place == "Track"


def test_after_adding_it_shows_the_calendar_of_the_first_month(client_as) -> None:
    response = client_as("organiser").post(URL, FORM)
    assert response.url == reverse("admin:calendar_app_run_calendar_month", args=[2026, 9])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"last": "2026-09-01"}, "The last day comes before the first."),
        ({"last": "2029-09-01"}, "two years at most"),
        ({"exceptions": "6 Oct"}, "Write each date as YYYY-MM-DD"),
        ({"weekdays": []}, "Tick at least one weekday."),
        ({"first": "tomorrow"}, "Write the first day as YYYY-MM-DD"),
        ({"starts_at": ""}, "Give the start time, for example 18:00."),
    ],
)
def test_it_refuses_a_schedule_it_cannot_follow(client_as, change, message) -> None:
    response = client_as("organiser").post(URL, {**FORM, **change})
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Run.objects.exists()


def test_each_error_sits_in_the_row_of_its_field(client_as) -> None:
    response = client_as("organiser").post(URL, {**FORM, "weekdays": [], "first": ""})
    page = response.content.decode()
    rows = [row for row in page.split('<div class="form-row rc-form-row')[1:]]
    rows = [row for row in rows if row.startswith(' errors"')]
    assert len(rows) == 2
    assert "Weekdays" in rows[0] and "Tick at least one weekday." in rows[0]
    assert "First day" in rows[1] and "Give the first day of the schedule." in rows[1]
    assert "This field is required." not in page


def test_its_labels_read_like_the_rest_of_the_app(client_as) -> None:
    text = text_of(client_as("organiser").get(URL))
    for label in ("Weekdays", "Start time", "Meeting place", "First day", "Last day", "Except"):
        assert label in text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("plain user", 302),
        ("committee", 403),
        ("organiser", 200),
        ("superuser", 200),
    ],
)
def test_only_those_who_add_runs_may_use_it(client_as, role: str, status: int) -> None:
    client = client_as(role)
    assert client.get(URL).status_code == status
    client.post(URL, FORM)
    assert Run.objects.exists() is (status == 200)
