"""Merging names into one runner: the admin action, likely variants, the command, undoing."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from attendance.history import history
from attendance.models import Attendance, Runner
from attendance.names import name_key
from attendance.services import check_in
from attendance.variants import likely_variants
from calendar_app.models import Run, club_today
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db

RUNNERS = reverse("admin:attendance_runner_changelist")
VARIANTS = reverse("admin:attendance_runner_variants")


@pytest.fixture
def season(db: None) -> list[Run]:
    """Ana signs as "Ana Silva" mostly and "Ana S" now and then; once both on one run."""
    runs = [RunFactory(date=dt.date(2026, 10, day)) for day in (6, 8, 13, 15)]
    for run in runs[:3]:
        AttendanceFactory(run=run, runner_name="Ana Silva")
    AttendanceFactory(run=runs[2], runner_name="Ana S")
    AttendanceFactory(run=runs[3], runner_name="Ana S")
    AttendanceFactory(run=runs[0], runner_name="Ben Jones")
    AttendanceFactory(run=runs[1], runner_name="Ben Jones")
    return runs


def runner(name: str) -> Runner:
    return Runner.objects.named(name).get()


def merge_in_admin(client: Client, keep: str, *others: str):  # type: ignore[no-untyped-def]
    selected = [runner(name).pk for name in (keep, *others)]
    data = {"action": "merge", "_selected_action": selected, "confirm": "yes"}
    data["keep"] = runner(keep).pk
    return client.post(RUNNERS, data, follow=True)


def test_the_admin_action_asks_which_runner_to_keep_first(client_as, season) -> None:
    client = client_as("organiser")
    selected = [runner("Ana Silva").pk, runner("Ana S").pk]
    response = client.post(RUNNERS, {"action": "merge", "_selected_action": selected})
    assert "Keep Runner Check-ins Member number Ana Silva 3 Ana S 2" in text_of(response)
    assert 'value="Merge into the runner I keep"' in response.content.decode()
    assert Runner.objects.count() == 3, "nothing is merged before the confirmation"


def test_the_admin_action_merges_check_ins_names_and_logs_it(client_as, season) -> None:
    response = merge_in_admin(client_as("organiser"), "Ana Silva", "Ana S")
    assert "Merged 'Ana S' into this runner: 1 check-in moved" in text_of(response)
    assert "1 check-in removed from runs both were in" in text_of(response)
    ana = runner("ana s")
    assert ana.name == "Ana Silva"
    # Both on the 13th: the earlier check-in stays, once.
    assert ana.runs_with_club() == 4
    assert Attendance.objects.filter(run__date=dt.date(2026, 10, 13)).count() == 1
    entry = LogEntry.objects.get(object_id=str(ana.pk))
    assert entry.action_flag == CHANGE
    assert "Merged 'Ana S'" in entry.change_message


def test_after_a_merge_the_old_name_is_a_duplicate_and_the_charts_count_one_runner(
    client: Client, client_as, season
) -> None:
    today = RunFactory(date=club_today())
    check_in(today, "Ana Silva")
    assert history(dt.date(2026, 10, 1), club_today()).runners == 3
    merge_in_admin(client_as("organiser"), "Ana Silva", "Ana S")
    assert checkin(client, today, "ANA S").status_code == 409
    data = history(dt.date(2026, 10, 1), club_today())
    assert data.runners == 2
    assert data.regulars[0].name == "Ana Silva"
    assert data.regulars[0].checkins == 5
    assert data.newcomers == 2


def test_after_a_merge_the_export_gives_every_spelling_one_runner(client_as, season) -> None:
    merge_in_admin(client_as("organiser"), "Ana Silva", "Ana S")
    response = client_as("committee").get("/export/attendance.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    ana = {
        (row["runner name"], row["runner"], row["runner id"])
        for row in rows
        if "Ana" in row["runner name"]
    }
    assert ana == {
        ("Ana Silva", "Ana Silva", str(runner("Ana Silva").pk)),
        ("Ana S", "Ana Silva", str(runner("Ana Silva").pk)),
    }


def test_after_a_merge_erasing_removes_every_spelling_and_the_merge_log(client_as, season) -> None:
    client = client_as("organiser")
    merge_in_admin(client, "Ana Silva", "Ana S")
    selected = [runner("Ana Silva").pk]
    data = {"action": "erase", "_selected_action": selected}
    question = client.post(RUNNERS, data)
    assert "Ana Silva: 4 check-ins" in text_of(question)
    client.post(RUNNERS, {**data, "confirm": "yes"}, follow=True)
    assert list(Attendance.objects.values_list("runner_name", flat=True)) == ["Ben Jones"] * 2
    assert not Runner.objects.named("Ana S").exists()
    log = " ".join(
        entry.object_repr + entry.change_message for entry in LogEntry.objects.all()
    ).casefold()
    assert "ana" not in log, "the merge log would undo the erasure"
    assert LogEntry.objects.filter(action_flag=DELETION).count() == 1


def test_runners_with_two_different_member_numbers_are_not_merged(client_as, season) -> None:
    Runner.objects.filter(pk=runner("Ana Silva").pk).update(member_number="11111111")
    Runner.objects.filter(pk=runner("Ana S").pk).update(member_number="22222222")
    response = merge_in_admin(client_as("organiser"), "Ana Silva", "Ana S")
    assert "different member numbers" in text_of(response)
    assert Runner.objects.count() == 3


def test_the_kept_runner_takes_the_merged_runners_member_number(client_as, season) -> None:
    Runner.objects.filter(pk=runner("Ana S").pk).update(member_number="22222222")
    merge_in_admin(client_as("organiser"), "Ana Silva", "Ana S")
    assert runner("Ana Silva").member_number == "22222222"


def test_the_committee_may_look_but_not_merge(client_as, season) -> None:
    client = client_as("committee")
    assert client.get(RUNNERS).status_code == 200
    merge_in_admin(client, "Ana Silva", "Ana S")
    assert Runner.objects.count() == 3
    page = client.get(VARIANTS)
    assert page.status_code == 200
    assert "Merge the ticked runners" not in page.content.decode()


def test_likely_variants_are_shown_side_by_side(client_as, season) -> None:
    AttendanceFactory(run=season[0], runner_name="Cara M. Lee")
    AttendanceFactory(run=season[1], runner_name="Cara Lee")
    AttendanceFactory(run=season[1], runner_name="Dev Patel")
    text = text_of(client_as("organiser").get(VARIANTS))
    assert "Ana Silva Ana Silva 3" in text
    assert "Ana S Ana S 2" in text
    assert "Cara M. Lee" in text
    assert "Dev Patel" not in text
    assert "Ben Jones" not in text
    assert "checked in to the same run 1 time: those are probably different people" in text


@pytest.mark.parametrize("keep", ["²", "x", "9" * 30])
def test_a_merge_posted_with_no_runner_id_merges_nothing(client_as, season, keep: str) -> None:
    ana = runner("Ana Silva")
    response = client_as("organiser").post(
        VARIANTS, {"keep-a": keep, "merge-a": [str(ana.pk), "²"]}, follow=True
    )
    assert response.status_code == 200
    assert "Nothing was merged" in text_of(response)


def test_likely_variants_are_merged_in_bulk(client_as, season) -> None:
    AttendanceFactory(run=season[0], runner_name="Cara M. Lee")
    AttendanceFactory(run=season[1], runner_name="Cara Lee")
    groups, _ = likely_variants()
    data: dict[str, object] = {}
    for number, group in enumerate(groups):
        data[f"keep-{number}"] = group.runners[0].runner_id
        data[f"merge-{number}"] = [candidate.runner_id for candidate in group.runners]
    response = client_as("organiser").post(VARIANTS, data, follow=True)
    assert "Merged 'Ana S'" in text_of(response)
    assert Runner.objects.count() == 3  # Ana, Ben, Cara
    assert runner("Cara Lee") == runner("Cara M. Lee")


@pytest.mark.parametrize(
    ("names", "together"),
    [
        (["Ana Silva", "Ana S"], True),
        (["Ana Silva", "Ana S."], True),
        (["Ana Silva", "Ana"], True),
        (["Ana Silva", "Ána M. Sílva"], True),
        (["Ana Silva", "Ana M. Silva"], True),
        (["Chloe Robinson", "Chloe Robinsno"], True),
        (["Chloe Robinson", "Chloe Robnson"], True),
        (["Ben Hall", "Ben Hill"], False),  # too short to call a slip
        (["Idris Young", "Iris Young"], False),  # first names a letter apart: two people
        (["Amir Clark", "Amir Clarke"], True),
        (["Ana Silva", "Ana Smith"], False),
        (["Ana Silva", "Bea Silva"], False),
    ],
)
def test_what_counts_as_a_likely_variant(names: list[str], together: bool) -> None:
    run = RunFactory(date=dt.date(2026, 10, 6))
    for name in names:
        AttendanceFactory(run=run, runner_name=name)
    groups, _ = likely_variants()
    grouped = [sorted(candidate.name for candidate in group.runners) for group in groups]
    assert (grouped == [sorted(names)]) is together


def test_an_initial_that_could_be_too_many_people_is_not_suggested() -> None:
    run = RunFactory(date=dt.date(2026, 10, 6))
    for surname in ("Silva", "Smith", "Santos", "Sato", "Singh"):
        AttendanceFactory(run=run, runner_name=f"Ana {surname}")
    AttendanceFactory(run=run, runner_name="Ana S")
    assert likely_variants() == ([], 0)


def test_a_merge_is_undone_one_name_at_a_time(client_as, season) -> None:
    client = client_as("organiser")
    merge_in_admin(client, "Ana Silva", "Ana S")
    name = runner("Ana S").names.get(name_key=name_key("Ana S"))
    split = reverse("admin:attendance_runner_split", args=[name.pk])
    assert "no longer be Ana Silva" in text_of(client.get(split))
    response = client.post(split, follow=True)
    assert "'Ana S' is a runner of its own again, with 1 check-in." in text_of(response)
    assert runner("Ana S") != runner("Ana Silva")
    assert runner("Ana Silva").runs_with_club() == 3


def test_the_command_merges_a_name_into_a_runner() -> None:
    run = RunFactory(date=dt.date(2026, 10, 6))
    AttendanceFactory(run=run, runner_name="Ana Silva")
    AttendanceFactory(run=RunFactory(date=dt.date(2026, 10, 8)), runner_name="Ana S")
    out = io.StringIO()
    call_command("merge_runners", "ANA S", "ana silva", stdout=out)
    assert "Ana Silva: Merged 'Ana S' into this runner: 1 check-in moved." in out.getvalue()
    assert Runner.objects.get().runs_with_club() == 2


def test_the_command_teaches_a_name_nobody_has_used_yet(client: Client) -> None:
    today = RunFactory(date=club_today())
    check_in(today, "Ana Silva")
    out = io.StringIO()
    call_command("merge_runners", "Ana S", "Ana Silva", stdout=out)
    assert "from now on that name is Ana Silva" in out.getvalue()
    assert checkin(client, today, "ana s").status_code == 409


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Ana S", "Nobody", "No runner has checked in as 'Nobody'"),
        ("ana silva", "Ana Silva", "already the same runner"),
    ],
)
def test_the_command_says_what_it_cannot_do(old: str, new: str, message: str) -> None:
    AttendanceFactory(run=RunFactory(date=dt.date(2026, 10, 6)), runner_name="Ana Silva")
    with pytest.raises(CommandError, match=message):
        call_command("merge_runners", old, new)


def test_a_forged_merge_form_merges_nothing_and_says_so(client_as, season) -> None:
    data = {"keep-0": "9" * 30, "merge-0": ["x", "9" * 40, str(runner("Ana S").pk)]}
    response = client_as("organiser").post(VARIANTS, data, follow=True)
    assert response.status_code == 200
    assert "Nothing was merged" in text_of(response)
    assert Runner.objects.count() == 3
