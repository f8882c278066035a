"""POST /checkin/<token>/: a runner checks in."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from attendance.models import Attendance
from calendar_app.models import Run, club_today
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db


def test_it_checks_in(client: Client, run: Run) -> None:
    response = checkin(client, run, "  Ana Silva ")
    assert response.status_code == 200
    assert "You're in, Ana Runner 1 today." in text_of(response)
    attendance = Attendance.objects.get()
    assert attendance.run == run
    assert attendance.runner_name == "Ana Silva"


def test_it_numbers_runners_and_shows_the_count(client: Client, run: Run) -> None:
    AttendanceFactory.create_batch(4, run=run)
    response = checkin(client, run, "Ben Okafor")
    assert "Runner 5 today." in text_of(response)
    assert '<strong id="attendance-count">5</strong>' in response.content.decode()


def test_it_counts_only_this_run(client: Client, run: Run) -> None:
    AttendanceFactory.create_batch(3, run=RunFactory(date=club_today() - dt.timedelta(days=1)))
    assert "Runner 1 today." in text_of(checkin(client, run, "Ana"))


def test_it_remembers_the_name_on_the_phone(client: Client, run: Run) -> None:
    response = checkin(client, run, "Zoë Ó Briain")
    assert unquote(response.cookies["runner_name"].value) == "Zoë Ó Briain"
    assert response.cookies["runner_name"]["httponly"]
    Attendance.objects.all().delete()  # not in today: the form, filled in
    assert 'value="Zoë Ó Briain"' in client.get(run.checkin_path()).content.decode()


@pytest.mark.parametrize(
    "second",
    [
        "ana silva",
        "ANA SILVA",
        "Ana   Silva",
        " Ana Silva\t",
        "ＡＮＡ　ＳＩＬＶＡ",
        "Ana\u00a0Silva",
    ],
)
def test_it_refuses_the_same_name_twice(client: Client, run: Run, second: str) -> None:
    assert checkin(client, run, "Ana Silva").status_code == 200
    response = checkin(Client(), run, second)
    assert response.status_code == 409
    assert "This name is already checked in today" in text_of(response)
    assert "Ana Silva" not in text_of(response)
    assert Attendance.objects.count() == 1


def test_the_phone_that_checked_in_is_told_when_in_the_clubs_time(
    client: Client, settings: object
) -> None:
    settings.TIME_ZONE = "Asia/Kolkata"  # type: ignore[attr-defined]  # UTC+5:30
    run = RunFactory()
    checkin(client, run, "Ana Silva")
    response = client.post(run.checkin_path(), {"runner_name": "ana silva", "for_other": "1"})
    assert response.status_code == 409
    at = Attendance.objects.get().registered_at.astimezone(ZoneInfo("Asia/Kolkata"))
    assert f"Ana Silva checked in at {at:%H:%M}." in text_of(response)


def test_the_same_name_may_check_in_to_another_run(client: Client, run: Run) -> None:
    AttendanceFactory(run=RunFactory(date=run.date - dt.timedelta(days=1)), runner_name="Ana")
    assert checkin(client, run, "Ana").status_code == 200


def test_a_resent_form_is_the_success_it_was(client: Client, run: Run) -> None:
    submission = str(uuid.uuid4())
    first = checkin(client, run, "Ana", submission)
    again = checkin(client, run, "Ana", submission)
    assert first.status_code == again.status_code == 200
    assert "You're in, Ana Runner 1 today." in text_of(again)
    assert Attendance.objects.count() == 1


def test_a_new_form_with_a_taken_name_is_a_duplicate(client: Client, run: Run) -> None:
    checkin(client, run, "Ana")
    assert checkin(client, run, "Ana").status_code == 409


def test_a_mangled_submission_id_is_ignored(client: Client, run: Run) -> None:
    response = checkin(client, run, "Ana", submission_id="not-a-uuid")
    assert response.status_code == 200
    assert Attendance.objects.get().submission_id is None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "Please type your name."),
        ("   \t ", "Please type your name."),
        ("x" * 256, "That name is too long: 255 characters at most, please."),
        ("Ana\x00Silva", "That name contains invisible control characters."),
        ("Ana\x1b[31mSilva", "That name contains invisible control characters."),
        ("Ana\u2028Silva", "That name contains invisible control characters."),
        ("!!!", "A name needs at least one letter or digit."),
    ],
)
def test_it_rejects_an_invalid_name(client: Client, run: Run, name: str, reason: str) -> None:
    response = checkin(client, run, name)
    assert response.status_code == 400
    assert reason in text_of(response)
    assert 'aria-invalid="true"' in response.content.decode()
    assert Attendance.objects.count() == 0


def test_it_accepts_a_name_of_255_characters(client: Client, run: Run) -> None:
    assert checkin(client, run, "y" * 255).status_code == 200


def test_a_missing_field_is_an_invalid_name(client: Client, run: Run) -> None:
    response = client.post(run.checkin_path(), {})
    assert response.status_code == 400
    assert "Please type your name." in text_of(response)


def test_a_name_with_markup_is_shown_as_text(client: Client, run: Run) -> None:
    response = checkin(client, run, "<script>alert('x')</script> Ana")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_htmx_gets_only_the_answer(client: Client, run: Run) -> None:
    response = checkin(client, run, "Ana", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="checkin-card"')
    assert "You're in, Ana Runner 1 today." in text_of(response)


def test_htmx_duplicate_is_a_409_card(client: Client, run: Run) -> None:
    checkin(client, run, "Ana")
    response = checkin(client, run, "ana", headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert response.content.decode().lstrip().startswith('<section id="checkin-card"')


def test_a_past_run_refuses_check_in(client: Client) -> None:
    run = RunFactory(date=club_today() - dt.timedelta(days=1))
    response = checkin(client, run, "Ana")
    assert response.status_code == 410
    assert Attendance.objects.count() == 0


def test_a_cancelled_run_refuses_check_in(client: Client) -> None:
    run = RunFactory(is_active=False)
    response = checkin(client, run, "Ana")
    assert response.status_code == 403
    assert "This run is cancelled" in text_of(response)
    assert Attendance.objects.count() == 0


def test_a_future_run_refuses_check_in(client: Client) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=1))
    assert checkin(client, run, "Ana").status_code == 403
    assert Attendance.objects.count() == 0


def test_it_rejects_a_post_without_the_csrf_token(run: Run) -> None:
    client = Client(enforce_csrf_checks=True)
    response = checkin(client, run, "Ana")
    assert response.status_code == 403
    assert "Please reload and try again" in text_of(response)
    assert Attendance.objects.count() == 0


def test_it_accepts_the_csrf_token_from_the_page(run: Run) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(run.checkin_path())
    token = client.cookies["csrftoken"].value
    response = client.post(run.checkin_path(), {"runner_name": "Ana", "csrfmiddlewaretoken": token})
    assert response.status_code == 200


def test_it_rejects_other_methods(client: Client, run: Run) -> None:
    assert client.put(run.checkin_path()).status_code == 405
    assert client.delete(run.checkin_path()).status_code == 405


def test_a_huge_body_is_a_400_not_a_crash(client: Client, run: Run) -> None:
    response = checkin(client, run, "x" * 3_000_000)
    assert response.status_code == 400
    assert "didn't make sense" in text_of(response)
    assert Attendance.objects.count() == 0


def test_a_flood_of_fields_is_a_400(client: Client, run: Run) -> None:
    fields = {f"f{i}": "x" for i in range(1500)} | {"runner_name": "Ana"}
    assert client.post(run.checkin_path(), fields).status_code == 400
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize(
    "second",
    [
        "Carla\u200b Diaz",  # zero-width space
        "Carla\u200d Diaz",  # zero-width joiner
        "Car\u00adla Diaz",  # soft hyphen
        "Carla Diaz\ufe0f",  # variation selector
        "Carla Diaz\U000e0041",  # a tag character
        "\u200eCarla Diaz",  # left-to-right mark
        "CARLA\u2060 DIAZ",  # word joiner, and capitals
    ],
)
def test_invisible_characters_do_not_make_a_second_runner(
    client: Client, run: Run, second: str
) -> None:
    assert checkin(client, run, "Carla Diaz").status_code == 200
    response = checkin(Client(), run, second)
    assert response.status_code == 409
    assert Attendance.objects.count() == 1


def test_a_name_is_stored_without_its_invisible_characters(client: Client, run: Run) -> None:
    response = checkin(client, run, "Car\u00adla\u200b Diaz\u2060")
    assert "You're in, Carla" in text_of(response)
    assert Attendance.objects.get().runner_name == "Carla Diaz"


def test_a_reversed_name_is_refused_and_saves_nothing(client: Client, run: Run) -> None:
    response = checkin(client, run, "\u202ezaiD alraC\u202c")
    assert response.status_code == 400
    assert "change the direction it is shown in" in text_of(response)
    assert Attendance.objects.count() == 0


def test_a_word_mixing_scripts_is_refused_kindly(client: Client, run: Run) -> None:
    response = checkin(client, run, "Сarla Diaz")  # a Cyrillic С
    assert response.status_code == 400
    assert "“Сarla” mixes Cyrillic and Latin letters that look alike." in text_of(response)
    assert Attendance.objects.count() == 0


def test_a_cyrillic_look_alike_of_a_checked_in_name_is_a_duplicate(
    client: Client, run: Run
) -> None:
    checkin(client, run, "Maya Okafor")
    assert checkin(Client(), run, "Мауа Okafor").status_code == 409


def test_an_over_long_paste_is_told_not_cut(client: Client, run: Run) -> None:
    response = checkin(client, run, "x" * 300)
    assert response.status_code == 400
    assert "That name is too long: 255 characters at most, please." in text_of(response)
    # The field does not cut a paste silently either: no maxlength on it.
    assert "maxlength" not in client.get(run.checkin_path()).content.decode()
