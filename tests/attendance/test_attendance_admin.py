"""The admin's list of check-ins: search, filters and erasing a runner."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse

from attendance.models import Attendance
from attendance.wording import CHECKIN_ROW, duplicate
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

LIST = reverse("admin:attendance_attendance_changelist")


@pytest.fixture
def checkins(db: None) -> None:
    first = RunFactory(date=dt.date(2026, 10, 6))
    second = RunFactory(date=dt.date(2026, 10, 8))
    AttendanceFactory(run=first, runner_name="Ana Silva")
    AttendanceFactory(run=first, runner_name="Ben Jones")
    AttendanceFactory(run=second, runner_name="ana  silva")
    AttendanceFactory(run=second, runner_name="Cara Lee")


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(row.runner_name for row in response.context["cl"].result_list)


def test_it_finds_a_runner_however_the_name_was_typed(client_as, checkins) -> None:
    response = client_as("organiser").get(LIST, {"q": "ＡＮＡ  Silva"})
    assert names(response) == ["Ana Silva", "ana  silva"]


def test_it_filters_by_run_and_by_date(client_as, checkins) -> None:
    client = client_as("organiser")
    run = RunFactory._meta.model.objects.get(date=dt.date(2026, 10, 8))
    assert names(client.get(LIST, {"run": run.pk})) == ["Cara Lee", "ana  silva"]
    on_the_6th = {"run__date__gte": "2026-10-06", "run__date__lt": "2026-10-07"}
    assert names(client.get(LIST, on_the_6th)) == ["Ana Silva", "Ben Jones"]


# "²" and "¹" are digits to str.isdigit() and not to int(); "١" is an Arabic-Indic one.
@pytest.mark.parametrize("value", ["x", "9" * 30, "-1", "²", "¹", "١"])
@pytest.mark.parametrize("field", ["run", "runner"])
def test_a_run_or_runner_filter_that_is_no_id_shows_nothing(
    client_as, checkins, field: str, value: str
) -> None:
    response = client_as("organiser").get(LIST, {field: value})
    assert response.status_code == 200
    assert names(response) == []


def test_its_queries_do_not_grow_with_the_rows_shown(
    client_as, django_assert_max_num_queries
) -> None:
    client = client_as("organiser")
    for day in range(1, 30):
        AttendanceFactory.create_batch(3, run=RunFactory(date=dt.date(2026, 3, day)))
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def erase(client, name: str, confirm: bool = True):  # type: ignore[no-untyped-def]
    selected = list(Attendance.objects.filter(runner_name=name).values_list("pk", flat=True))
    data = {"action": "erase_runners", "_selected_action": selected}
    if confirm:
        data["confirm"] = "yes"
    return client.post(LIST, data, follow=True)


def test_erasing_a_runner_asks_first_then_deletes_every_spelling(client_as, checkins) -> None:
    client = client_as("organiser")
    question = erase(client, "Ana Silva", confirm=False)
    assert "Ana Silva: 2 check-ins" in text_of(question)
    assert Attendance.objects.count() == 4, "nothing is deleted before the confirmation"
    assert "Erased 1 runner and all their check-ins" in text_of(erase(client, "Ana Silva"))
    assert sorted(Attendance.objects.values_list("runner_name", flat=True)) == [
        "Ben Jones",
        "Cara Lee",
    ]


def test_erasing_is_recorded_in_the_admin_log_without_the_name(client_as, checkins) -> None:
    erase(client_as("organiser"), "Ana Silva")
    entry = LogEntry.objects.get()
    assert entry.action_flag == DELETION
    assert "2 check-ins" in entry.change_message
    assert "ana" not in (entry.object_repr + entry.change_message).casefold()


def test_the_committee_cannot_erase_or_edit(client_as, checkins) -> None:
    client = client_as("committee")
    erase(client, "Ana Silva")
    assert Attendance.objects.count() == 4
    attendance = Attendance.objects.first()
    change = reverse("admin:attendance_attendance_change", args=[attendance.pk])
    client.post(change, {"run": attendance.run_id, "runner_name": "Changed"})
    assert not Attendance.objects.filter(runner_name="Changed").exists()
    assert "erase_runners" not in client.get(LIST).content.decode()


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
def test_the_check_in_list_is_for_staff_who_may_see_names(client_as, checkins, role, status):
    response = client_as(role).get(LIST)
    assert response.status_code == status
    assert ("Cara Lee" in response.content.decode()) is (status == 200)


def test_erasing_refuses_a_selection_of_the_whole_club(client_as, checkins, monkeypatch) -> None:
    from attendance.admin import AttendanceAdmin

    monkeypatch.setattr(AttendanceAdmin, "erase_at_most", 2)
    data = {
        "action": "erase_runners",
        "select_across": "1",
        "confirm": "yes",
        "_selected_action": [Attendance.objects.first().pk],
    }
    response = client_as("organiser").post(LIST, data, follow=True)
    assert "select at most 2 runners at once (this selection has 3)" in text_of(response)
    assert Attendance.objects.count() == 4


@pytest.mark.parametrize(
    ("role", "erases"),
    [
        ("anonymous", False),
        ("plain user", False),
        ("committee", False),
        ("organiser", True),
        ("superuser", True),
    ],
)
def test_only_organisers_may_erase_a_runner(client_as, checkins, role: str, erases: bool) -> None:
    erase(client_as(role), "Ana Silva")
    assert Attendance.objects.for_name("Ana Silva").exists() is not erases
    assert LogEntry.objects.exists() is erases


def test_it_lists_the_newest_check_ins_first(client_as, checkins) -> None:
    latest = AttendanceFactory(run=RunFactory(date=dt.date(2026, 10, 13)), runner_name="Dev Patel")
    listed = client_as("organiser").get(LIST).context["cl"].result_list
    assert listed[0] == latest
    assert [a.registered_at for a in listed] == sorted(
        (a.registered_at for a in listed), reverse=True
    )


@time_machine.travel(dt.datetime(2026, 10, 14, 12, 0, tzinfo=dt.UTC))
def test_the_run_filter_offers_today_and_recent_runs_with_check_ins(client_as, checkins) -> None:
    today = RunFactory(date=dt.date(2026, 10, 14))  # nobody in yet
    RunFactory(date=dt.date(2026, 10, 10))  # a past run nobody came to
    RunFactory(date=dt.date(2026, 10, 15))  # tomorrow
    response = client_as("organiser").get(LIST)
    choices = [
        choice["display"]
        for spec in response.context["cl"].filter_specs
        if spec.title == "run"
        for choice in spec.choices(response.context["cl"])
    ]
    assert choices == ["All", "Today, Wed 14 Oct 2026", "Thu 8 Oct 2026", "Tue 6 Oct 2026"]
    assert str(today.pk) in response.content.decode()


ADD = reverse("admin:attendance_attendance_add")


@pytest.mark.parametrize("typed", ["ana silva", "ＡＮＡ  SILVA", " Ana Silva "])
def test_adding_a_name_already_on_the_run_is_a_form_error_naming_the_runner(
    client_as, checkins, typed: str
) -> None:
    run = RunFactory._meta.model.objects.get(date=dt.date(2026, 10, 6))
    response = client_as("organiser").post(
        ADD,
        {
            "run": run.pk,
            "runner_name": typed,
            "registered_at_0": "06/10/2026",
            "registered_at_1": "18:05",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["runner_name"] == [duplicate("Ana Silva")]
    assert "Ana Silva is already checked in to this run" in text_of(response)
    assert Attendance.objects.count() == 4


def test_renaming_to_a_name_already_on_the_run_is_a_form_error(client_as, checkins) -> None:
    ben = Attendance.objects.get(runner_name="Ben Jones")
    response = client_as("organiser").post(
        reverse("admin:attendance_attendance_change", args=[ben.pk]),
        {
            "run": ben.run_id,
            "runner_name": "ANA SILVA",
            "registered_at_0": "06/10/2026",
            "registered_at_1": "18:05",
        },
    )
    assert response.status_code == 200
    assert "Ana Silva is already checked in to this run" in text_of(response)
    assert Attendance.objects.get(pk=ben.pk).runner_name == "Ben Jones"


def test_a_name_no_runner_could_type_is_a_form_error(client_as, checkins) -> None:
    run = RunFactory._meta.model.objects.get(date=dt.date(2026, 10, 6))
    response = client_as("organiser").post(
        ADD,
        {
            "run": run.pk,
            "runner_name": "---",
            "registered_at_0": "06/10/2026",
            "registered_at_1": "18:05",
        },
    )
    assert response.status_code == 200
    assert "A name needs at least one letter or digit." in text_of(response)


def inline_data(run, rows: list[tuple[int | str, str]]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "date": f"{run.date:%Y-%m-%d}",
        "starts_at": "18:00",
        "place": run.place,
        "is_active": "on",
        "attendances-TOTAL_FORMS": str(len(rows)),
        "attendances-INITIAL_FORMS": str(sum(1 for pk, _ in rows if pk)),
    }
    for i, (pk, name) in enumerate(rows):
        data |= {
            f"attendances-{i}-id": str(pk),
            f"attendances-{i}-run": str(run.pk),
            f"attendances-{i}-runner_name": name,
            f"attendances-{i}-registered_at_0": "06/10/2026",
            f"attendances-{i}-registered_at_1": "18:05",
        }
    return data


@pytest.mark.parametrize(
    "new_rows", [[("", "ana  silva")], [("", "Cara Lee"), ("", "CARA LEE")]], ids=["in", "twice"]
)
def test_a_duplicate_in_the_runs_own_check_in_rows_is_a_form_error(client_as, checkins, new_rows):
    run = RunFactory._meta.model.objects.get(date=dt.date(2026, 10, 6))
    existing = [(a.pk, a.runner_name) for a in run.attendances.order_by("pk")]
    response = client_as("organiser").post(
        reverse("admin:calendar_app_run_change", args=[run.pk]),
        inline_data(run, existing + new_rows),
    )
    assert response.status_code == 200
    assert "is already checked in to this run" in text_of(response)
    assert run.attendances.count() == 2


def test_each_check_in_row_on_a_runs_page_names_its_fields_for_screen_readers(
    client_as, checkins
) -> None:
    run = RunFactory._meta.model.objects.get(date=dt.date(2026, 10, 6))
    page = client_as("organiser").get(reverse("admin:calendar_app_run_change", args=[run.pk]))
    text = page.content.decode()
    # Two check-ins, and the blank row "Add another" copies; only check-ins can be deleted.
    for field, rows in [("runner_name", 3), ("date", 3), ("time", 3), ("delete", 2)]:
        assert text.count(f'aria-label="{html.escape(str(CHECKIN_ROW[field]))}"') == rows, field


def test_check_in_times_read_in_24_hours(client_as) -> None:
    AttendanceFactory(registered_at=dt.datetime(2026, 7, 7, 17, 5, tzinfo=dt.UTC))
    page = client_as("organiser").get(LIST).content.decode()
    assert "Tue 7 Jul 2026, 18:05" in page and "p.m." not in page


def test_erasing_scrubs_the_runners_name_from_earlier_admin_log_entries(client_as) -> None:
    client = client_as("organiser")
    run = RunFactory(date=dt.date(2026, 10, 6))
    # An organiser adds a check-in by hand, fixes its spelling, and adds one on the run's page.
    client.post(
        reverse("admin:attendance_attendance_add"),
        {
            "run": run.pk,
            "runner_name": "Ana Silvaa",
            "registered_at_0": "2026-10-06",
            "registered_at_1": "18:00:00",
        },
    )
    added = Attendance.objects.get()
    client.post(
        reverse("admin:attendance_attendance_change", args=[added.pk]),
        {
            "run": run.pk,
            "runner_name": "Ana Silva",
            "registered_at_0": "2026-10-06",
            "registered_at_1": "18:00:00",
        },
    )
    AttendanceFactory(run=run, runner_name="Ben Jones")
    other = RunFactory(date=dt.date(2026, 10, 8))
    client.post(
        reverse("admin:calendar_app_run_change", args=[other.pk]),
        {
            "date": "2026-10-08",
            "starts_at": "18:00",
            "place": "",
            "is_active": "on",
            "attendances-TOTAL_FORMS": "1",
            "attendances-INITIAL_FORMS": "0",
            "attendances-0-runner_name": "ANA SILVA",
            "attendances-0-registered_at_0": "2026-10-08",
            "attendances-0-registered_at_1": "18:00:00",
        },
    )
    assert "ana" in " ".join(LogEntry.objects.values_list("change_message", flat=True)).casefold()

    erase(client, "Ana Silva")

    history = [(e.object_repr, e.change_message) for e in LogEntry.objects.all()]
    assert len(history) == 4  # added, changed, the run's change, and the erasure
    assert "ana" not in str(history).casefold()
    assert Attendance.objects.get().runner_name == "Ben Jones"


def test_an_organiser_adds_a_check_in_by_name_and_it_finds_the_runner(client_as, checkins) -> None:
    run = RunFactory(date=dt.date(2026, 10, 13))
    add = reverse("admin:attendance_attendance_add")
    data = {
        "run": run.pk,
        "runner_name": "ANA SILVA",
        "registered_at_0": "13/10/2026",
        "registered_at_1": "18:00",
    }
    assert client_as("organiser").post(add, data).status_code == 302
    added = Attendance.objects.get(run=run)
    assert added.runner.runs_with_club() == 3
    response = client_as("organiser").post(add, {**data, "runner_name": "ana silva"})
    assert response.status_code == 200
    assert "ANA SILVA is already checked in to this run" in text_of(response)


def test_correcting_a_name_moves_the_check_in_to_that_runner(client_as, checkins) -> None:
    typo = AttendanceFactory(run=RunFactory(date=dt.date(2026, 10, 13)), runner_name="Ana Slva")
    change = reverse("admin:attendance_attendance_change", args=[typo.pk])
    data = {
        "run": typo.run_id,
        "runner_name": "Ana Silva",
        "registered_at_0": "13/10/2026",
        "registered_at_1": "18:00",
    }
    assert client_as("organiser").post(change, data).status_code == 302
    typo.refresh_from_db()
    assert typo.runner.runs_with_club() == 3


def test_the_runner_lists_check_in_count_leads_to_that_runners_check_ins(
    client_as, checkins
) -> None:
    client = client_as("committee")
    runners = client.get(reverse("admin:attendance_runner_changelist"))
    ana = Attendance.objects.filter(runner_name="Ana Silva").get().runner
    link = f"{LIST}?runner={ana.pk}"
    assert f'href="{link}"' in runners.content.decode()
    assert names(client.get(link)) == ["Ana Silva", "ana  silva"]
    assert names(client.get(LIST, {"runner": "9" * 30})) == []
