"""The phone's "this is my runner" cookie (attendance.cookies), and the door that remembers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from attendance.cookies import RUNNER_COOKIE, forget_phone, remembered_runner
from attendance.models import Attendance, Runner
from attendance.services import apply_retention, erase_runners, merge_runners
from calendar_app.models import Run, club_today
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db


def _runner_of(client: Client) -> Runner | None:
    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return remembered_runner(request)


def test_a_check_in_tells_the_phone_whose_it_is(client: Client, run: Run) -> None:
    response = checkin(client, run, "Maya Patel")
    cookie = response.cookies[RUNNER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]
    assert _runner_of(client) == Runner.objects.get()


def test_the_cookie_is_secure_over_https(client: Client, run: Run, settings: object) -> None:
    settings.SESSION_COOKIE_SECURE = True  # type: ignore[attr-defined]
    response = checkin(client, run, "Maya Patel")
    for name in (RUNNER_COOKIE, "runner_name"):
        assert response.cookies[name]["secure"]


def test_checking_in_someone_else_leaves_the_phone_its_owner(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Patel")
    response = client.post(run.checkin_path(), {"runner_name": "Ben Okafor", "for_other": "1"})
    assert RUNNER_COOKIE not in response.cookies
    owner = _runner_of(client)
    assert owner is not None and owner.name == "Maya Patel"


def test_a_forged_cookie_says_nothing(client: Client, run: Run) -> None:
    AttendanceFactory(run=run, runner_name="Maya Patel")
    client.cookies[RUNNER_COOKIE] = "[1, 1]"
    assert _runner_of(client) is None


def test_it_survives_a_merge(client: Client, run: Run) -> None:
    checkin(client, run, "Maya P")
    mine = Runner.objects.get()
    earlier = AttendanceFactory(
        run=RunFactory(date=club_today() - dt.timedelta(days=7)), runner_name="Maya Patel"
    )
    merge_runners(earlier.runner, [mine])
    assert not Runner.objects.filter(pk=mine.pk).exists()
    assert _runner_of(client) == earlier.runner


def test_it_survives_a_name_change(client: Client, run: Run) -> None:
    checkin(client, run, "Maya P")
    Runner.objects.update(name="Maya Patel")
    runner = _runner_of(client)
    assert runner is not None and runner.name == "Maya Patel"


def test_it_says_nothing_once_the_runner_is_erased(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Patel")
    erase_runners(Runner.objects.values_list("pk", flat=True))
    AttendanceFactory(run=run, runner_name="Maya Patel")  # someone else, later
    assert _runner_of(client) is None


def test_it_says_nothing_once_the_runner_is_anonymised(client: Client, settings: object) -> None:
    settings.RETENTION_YEARS = 1  # type: ignore[attr-defined]
    old = RunFactory(date=club_today() - dt.timedelta(days=800))
    checkin(client, Run.objects.get(pk=RunFactory().pk), "Maya Patel")
    Attendance.objects.update(run=old, registered_at=old.starts)
    apply_retention()
    assert _runner_of(client) is None


def test_forgetting_the_phone_clears_every_cookie(client: Client, run: Run) -> None:
    response = HttpResponse()
    forget_phone(response)
    for name in (RUNNER_COOKIE, "runner_name", "member_number"):
        assert response.cookies[name]["max-age"] == 0


def test_the_door_remembers_a_phone_that_is_in(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Patel")
    response = client.get(run.checkin_path())
    text = text_of(response)
    assert response.status_code == 200
    assert "You're in, Maya" in text
    assert "You checked in at" in text
    assert "Check in someone else" in text
    assert 'name="runner_name"' not in response.content.decode()


def test_someone_else_gets_the_form(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Patel")
    page = client.get(f"{run.checkin_path()}?other=1").content.decode()
    assert 'name="runner_name"' in page


def test_the_next_run_shows_the_form_again(client: Client, run: Run) -> None:
    checkin(client, run, "Maya Patel")
    tomorrow = RunFactory(date=club_today() + dt.timedelta(days=1))
    Run.objects.filter(pk=run.pk).update(date=club_today() - dt.timedelta(days=1))
    Run.objects.filter(pk=tomorrow.pk).update(date=club_today())
    page = client.get(Run.objects.get(pk=tomorrow.pk).checkin_path()).content.decode()
    assert 'value="Maya Patel"' in page
