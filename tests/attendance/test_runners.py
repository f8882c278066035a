"""A runner is a thing of its own: one person's check-ins across runs belong to one runner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from attendance.models import Attendance, Runner, RunnerName, stored_key
from attendance.services import check_in
from calendar_app.models import Run
from tests.factories import AttendanceFactory, RunFactory
from tests.helpers import checkin, text_of


@pytest.mark.django_db
def test_a_check_in_makes_a_runner_and_the_same_name_later_finds_them(run: Run) -> None:
    last_week = RunFactory(date=run.date - dt.timedelta(days=7))
    AttendanceFactory(run=last_week, runner_name="Ana Silva")
    check_in(run, "ＡＮＡ  silva")
    assert Runner.objects.count() == 1
    runner = Runner.objects.get()
    assert runner.name == "Ana Silva"
    assert sorted(runner.attendances.values_list("runner_name", flat=True)) == [
        "Ana Silva",
        "ＡＮＡ  silva",
    ]
    assert runner.runs_with_club() == 2


@pytest.mark.django_db
def test_the_database_refuses_a_runner_twice_in_one_run(run: Run) -> None:
    attendance = AttendanceFactory(run=run, runner_name="Ana Silva")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance(run=run, runner=attendance.runner, runner_name="Someone else").record()


@pytest.mark.django_db
def test_a_merged_name_is_a_duplicate_on_a_run_the_runner_is_in(client: Client, run: Run) -> None:
    ana = AttendanceFactory(run=run, runner_name="Ana Silva").runner
    RunnerName.objects.create(runner=ana, name_key=stored_key("Ana S"))
    response = checkin(client, run, "ana s")
    assert response.status_code == 409
    assert "This name is already checked in today" in text_of(response)
    assert Attendance.objects.count() == 1


@pytest.mark.django_db
def test_a_name_too_long_to_index_is_stored_as_a_digest_and_still_compared(
    client: Client, run: Run
) -> None:
    # NFKC writes this one character as eighteen: 255 of them would not fit an index.
    name = "\ufdfa" * 255
    assert checkin(client, run, name).status_code == 200
    key = RunnerName.objects.get().name_key
    assert key.startswith("sha256:")
    assert checkin(Client(), run, name).status_code == 409


@pytest.mark.django_db
def test_runs_with_club_counts_every_run_of_every_spelling(run: Run) -> None:
    for days, name in ((14, "Ana Silva"), (7, "ana silva")):
        AttendanceFactory(run=RunFactory(date=run.date - dt.timedelta(days=days)), runner_name=name)
    result = check_in(run, "Ana Silva")
    assert result.attendance.runner.runs_with_club() == 3


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_one_runner_of_names_the_duplicate_rule_equates() -> None:
    executor = MigrationExecutor(connection)
    before = [("attendance", "0002_runner_index")]
    executor.migrate(before)
    # Runs as they are now (the calendar's migrations stay applied), check-ins as they were.
    calendar = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "calendar_app"]
    old = executor.loader.project_state(before + calendar).apps
    OldRun = old.get_model("calendar_app", "Run")
    OldAttendance = old.get_model("attendance", "Attendance")
    runs = [
        OldRun.objects.create(
            date=dt.date(2026, 10, day),
            session_id=f"{'s' * 21}{day}",
            short_code=f"AAAAAA{day:02d}",
        )
        for day in (6, 8, 13)
    ]
    typed = [
        (runs[0], "Ana Silva", "ana silva"),
        (runs[0], "Ben Jones", "ben jones"),
        (runs[1], "ana  SILVA", "ana silva"),
        (runs[2], "Ana Silva", "ana silva"),
        (runs[2], "ＢＥＮ ＪＯＮＥＳ", "ben jones"),
        (runs[2], "Cara Lee", "cara lee"),
    ]
    for run, name, key in typed:
        OldAttendance.objects.create(run=run, runner_name=name, name_key=key)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    runners = {
        runner.name: sorted(runner.attendances.values_list("runner_name", flat=True))
        for runner in Runner.objects.all()
    }
    # Named the way they wrote it most often; the earliest spelling on a tie.
    assert runners == {
        "Ana Silva": ["Ana Silva", "Ana Silva", "ana  SILVA"],
        "Ben Jones": ["Ben Jones", "ＢＥＮ ＪＯＮＥＳ"],
        "Cara Lee": ["Cara Lee"],
    }
    assert sorted(RunnerName.objects.values_list("name_key", flat=True)) == [
        stored_key("Ana Silva"),
        stored_key("Ben Jones"),
        stored_key("Cara Lee"),
    ]
    # The runner's names go on working for new check-ins.
    assert Runner.objects.named("ANA SILVA").get().name == "Ana Silva"
