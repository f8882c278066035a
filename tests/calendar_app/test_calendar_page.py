"""The organisers' month calendar in the admin: a day's panel, its changes and their answers."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from attendance.models import Attendance
from calendar_app.models import Run, club_today
from tests.authenticator import log_in
from tests.conftest import ROLES
from tests.factories import AttendanceFactory, OrganiserFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

DAY_URL = reverse("admin:calendar_app_run_calendar_day")


def month(year: int, number: int, day: str = "") -> str:
    url = reverse("admin:calendar_app_run_calendar_month", args=[year, number])
    return f"{url}?day={day}" if day else url


def cell(response, day: dt.date) -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    found = re.search(rf'<td id="day-{day:%Y-%m-%d}".*?</td>', page, flags=re.S)
    assert found, f"no cell for {day}"
    return found[0]


def panel(response) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'<section id="day-panel".*?</section>', response.content.decode(), re.S)
    assert found, "no day panel"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found[0])).split())


def change(client: Client, day: str, what: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(DAY_URL, {"date": day, "change": what, **data}, follow=True)


@time_machine.travel(dt.datetime(2026, 10, 14, 12, 0, tzinfo=dt.UTC))
def test_it_shows_each_day_as_run_cancelled_or_nothing_with_its_count(client_as) -> None:
    run = RunFactory(date=dt.date(2026, 10, 6))
    AttendanceFactory.create_batch(3, run=run)
    RunFactory(date=dt.date(2026, 10, 8), is_active=False)
    response = client_as("organiser").get(month(2026, 10))
    assert response.status_code == 200
    assert "rc-run" in cell(response, dt.date(2026, 10, 6))
    assert "18:00 · 3 in" in cell(response, dt.date(2026, 10, 6))
    assert "cancelled" in cell(response, dt.date(2026, 10, 8))
    assert "no run" in cell(response, dt.date(2026, 10, 7))
    assert "today" in cell(response, dt.date(2026, 10, 14))
    assert "today" not in cell(response, dt.date(2026, 10, 13))


@time_machine.travel(dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC))
def test_it_links_to_the_previous_and_next_month_across_years(client_as) -> None:
    client = client_as("committee")
    assert client.get(reverse("admin:calendar_app_run_calendar")).url == month(
        2026, 1, "2026-01-20"
    )
    page = client.get(month(2026, 1)).content.decode()
    assert f'href="{month(2025, 12)}"' in page
    assert f'href="{month(2026, 2)}"' in page


@pytest.mark.parametrize(("year", "number"), [(2026, 13), (2026, 0), (9999, 12), (0, 1)])
def test_it_answers_a_month_it_cannot_show_with_404(client_as, year: int, number: int) -> None:
    assert client_as("organiser").get(month(year, number)).status_code == 404


def test_its_queries_do_not_grow_with_the_runs_shown(
    client_as, django_assert_max_num_queries
) -> None:
    client = client_as("organiser")
    for day in range(1, 29):
        run = RunFactory(date=dt.date(2026, 2, day))
        AttendanceFactory(run=run)
    # One more than the page's own: the device the organiser's session passed (django-otp).
    with django_assert_max_num_queries(9):
        assert client.get(month(2026, 2, "2026-02-10")).status_code == 200


def test_a_day_opens_its_panel_with_time_and_place(client_as) -> None:
    run = RunFactory(date=dt.date(2026, 10, 6), starts_at=dt.time(7, 15), place="Boathouse")
    AttendanceFactory.create_batch(2, run=run)
    response = client_as("organiser").get(month(2026, 10, "2026-10-06"))
    assert 'aria-current="date"' in cell(response, dt.date(2026, 10, 6))
    text = panel(response)
    assert "Tuesday 6 October 2026" in text and "07:15, Boathouse · 2 checked in" in text
    page = response.content.decode()
    assert 'name="starts_at" value="07:15"' in page and 'value="Boathouse"' in page
    assert run.qr_path() in page


def test_an_empty_day_suggests_the_last_runs_time_and_place(client_as) -> None:
    RunFactory(date=dt.date(2026, 10, 1), starts_at=dt.time(7, 15), place="Boathouse")
    page = client_as("organiser").get(month(2026, 10, "2026-10-06")).content.decode()
    assert 'name="starts_at" value="07:15"' in page and 'value="Boathouse"' in page
    assert "Make it a run day" in page


def test_an_organiser_makes_a_day_with_its_time_and_place(client_as) -> None:
    response = change(
        client_as("organiser"), "2026-10-06", "open", starts_at="19:30", place="The Track"
    )
    assert response.redirect_chain[-1][0] == month(2026, 10, "2026-10-06") + "#day-panel"
    run = Run.objects.get(date=dt.date(2026, 10, 6))
    assert (run.is_active, run.starts_at, run.place) == (True, dt.time(19, 30), "The Track")
    assert "Tuesday 6 October is a run day: 19:30, The Track." in text_of(response)


def test_an_organiser_changes_the_time_and_place_of_a_run(client_as) -> None:
    run = RunFactory(date=dt.date(2026, 10, 6))
    change(client_as("organiser"), "2026-10-06", "save", starts_at="07:00", place="Park gate")
    run.refresh_from_db()
    assert (run.starts_at, run.place, run.is_active) == (dt.time(7), "Park gate", True)


def test_a_bad_time_is_a_400_that_says_so_beside_the_field(client_as) -> None:
    RunFactory(date=dt.date(2026, 10, 6))
    response = client_as("organiser").post(
        DAY_URL, {"date": "2026-10-06", "change": "save", "starts_at": "25:99", "place": "x"}
    )
    assert response.status_code == 400
    assert "Write the start time as HH:MM, for example 18:30." in panel(response)
    assert Run.objects.get().place != "x"


def test_with_htmx_a_change_redraws_the_calendar_in_place(client_as) -> None:
    client = client_as("organiser")
    response = client.post(
        DAY_URL,
        {"date": "2026-10-06", "change": "open"},
        headers={"HX-Request": "true"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<div id="rc-calendar"')
    assert "<html" not in html
    assert "run day" in cell(response, dt.date(2026, 10, 6))
    assert "Tuesday 6 October is a run day" in html


def test_cancelling_a_run_with_check_ins_asks_first(client_as) -> None:
    run = RunFactory(date=dt.date(2026, 10, 6))
    AttendanceFactory.create_batch(3, run=run)
    client = client_as("organiser")
    question = change(client, "2026-10-06", "cancel")
    assert question.status_code == 200
    assert "3 runners checked in to this run already." in panel(question)
    assert "Yes, cancel it" in panel(question)
    assert Run.objects.get(pk=run.pk).is_active, "nothing changes before the answer"

    answer = change(client, "2026-10-06", "cancel", confirm="on")
    assert not Run.objects.get(pk=run.pk).is_active
    assert "Tuesday 6 October is cancelled" in text_of(answer)
    assert Attendance.objects.filter(run=run).count() == 3


def test_cancelling_today_asks_first_even_before_anyone_checked_in(client_as) -> None:
    run = RunFactory()
    question = change(client_as("organiser"), f"{run.date:%Y-%m-%d}", "cancel")
    assert "This is today's run: runners may be on their way." in panel(question)
    assert Run.objects.get(pk=run.pk).is_active


def test_a_future_run_without_check_ins_is_cancelled_at_once(client_as) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=10))
    change(client_as("organiser"), f"{run.date:%Y-%m-%d}", "cancel")
    assert not Run.objects.get(pk=run.pk).is_active


def test_a_run_with_check_ins_offers_no_removal_and_refuses_one(client_as) -> None:
    run = RunFactory(date=dt.date(2026, 10, 6), is_active=False)
    AttendanceFactory(run=run)
    client = client_as("organiser")
    assert 'value="remove"' not in client.get(month(2026, 10, "2026-10-06")).content.decode()
    response = client.post(DAY_URL, {"date": "2026-10-06", "change": "remove", "confirm": "on"})
    assert response.status_code == 409
    assert "Cancel it instead" in panel(response)
    assert Run.objects.filter(pk=run.pk).exists()


def open_form(client: Client, path: str) -> str:
    """A runner's phone opens the printed link and gets its form's one-time id."""
    page = client.get(path).content.decode()
    return re.search(r'name="submission_id" value="([^"]+)"', page)[1]


def test_the_printed_link_survives_cancel_reopen_remove_and_re_add(
    client_as, django_capture_on_commit_callbacks
) -> None:
    organiser = client_as("organiser")
    day = f"{club_today():%Y-%m-%d}"

    def commit(*args: str, **data: str) -> None:
        # The cached run is forgotten when the change commits, as on a real server.
        with django_capture_on_commit_callbacks(execute=True):
            change(*args, **data)

    commit(organiser, day, "open", starts_at="18:15", place="The Oval")
    printed = Run.objects.get().checkin_path()  # what the paper QR code says
    printed_before_short_links = Run.objects.get().token_path()
    runner = Client()

    commit(organiser, day, "cancel", confirm="on")
    assert runner.get(printed).status_code == 403
    commit(organiser, day, "open")
    assert runner.get(printed).status_code == 200

    commit(organiser, day, "remove", confirm="on")
    assert not Run.objects.exists()
    assert runner.get(printed).status_code == 404
    commit(organiser, day, "open")

    run = Run.objects.get()
    assert (run.starts_at, run.place) == (dt.time(18, 15), "The Oval")
    submission = open_form(runner, printed)
    answer = runner.post(printed, {"runner_name": "Ana Silva", "submission_id": submission})
    assert answer.status_code == 200
    assert "You're in, Ana" in text_of(answer)
    assert Attendance.objects.get().run == run
    assert runner.get(printed_before_short_links).status_code == 200


def test_a_change_without_the_csrf_token_changes_nothing(db) -> None:
    client = Client(enforce_csrf_checks=True)
    log_in(client, OrganiserFactory())
    response = client.post(DAY_URL, {"date": "2026-10-06", "change": "open"})
    assert response.status_code == 403
    assert not Run.objects.exists()


def test_every_day_form_carries_the_csrf_token(client_as) -> None:
    RunFactory(date=dt.date(2026, 10, 6))
    page = client_as("organiser").get(month(2026, 10, "2026-10-06")).content.decode()
    forms = re.findall(rf'<form [^>]*action="{DAY_URL}".*?</form>', page, flags=re.S)
    assert forms and all("csrfmiddlewaretoken" in form for form in forms)


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2026-02-30", "change": "open"},
        {"date": "2026-10-06", "change": "explode"},
        {"date": "2026-10-06"},
    ],
)
def test_a_change_that_is_not_one_is_a_400_that_says_so(client_as, data) -> None:
    response = client_as("organiser").post(DAY_URL, data)
    assert response.status_code == 400
    assert "not a change to a day" in response.content.decode()
    assert not Run.objects.exists()


def test_it_never_goes_back_to_another_site(client_as) -> None:
    response = client_as("organiser").post(
        DAY_URL, {"date": "2026-10-06", "change": "open", "next": "https://evil.example/"}
    )
    assert response.url == month(2026, 10, "2026-10-06") + "#day-panel"


@pytest.mark.parametrize(
    ("role", "sees", "changes"),
    [
        ("anonymous", False, False),
        ("plain user", False, False),
        ("committee", True, False),
        ("organiser", True, True),
        ("superuser", True, True),
    ],
)
def test_each_role_sees_and_changes_as_allowed(client_as, role: str, sees: bool, changes: bool):
    assert role in ROLES
    RunFactory(date=dt.date(2026, 10, 8), place="The Oval")
    client = client_as(role)
    page = client.get(month(2026, 10, "2026-10-08"))
    if not sees:
        # Not staff: the admin sends them to its login page.
        assert page.status_code == 302 and "/admin/login/" in page.url
    else:
        assert page.status_code == 200
        assert "The Oval" in panel(page)
        assert (f'action="{DAY_URL}"' in page.content.decode()) is changes
    answer = client.post(DAY_URL, {"date": "2026-10-06", "change": "open"})
    assert Run.objects.filter(date=dt.date(2026, 10, 6)).exists() is changes
    if sees and not changes:
        assert answer.status_code == 403
