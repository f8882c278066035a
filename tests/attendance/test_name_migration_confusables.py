"""Migration 0009: runners the name rule now calls one (punctuation, accents, look-alikes)
are merged, keeping every check-in it can, and the log says what it did."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("attendance", "0008_anonymised_runners")]
AFTER = [("attendance", "0009_name_rule_punctuation_accents_confusables")]


@pytest.mark.django_db(transaction=True)
def test_it_merges_runners_and_keeps_their_check_ins(caplog: pytest.LogCaptureFixture) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    calendar = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "calendar_app"]
    apps = executor.loader.project_state(BEFORE + calendar).apps
    Run = apps.get_model("calendar_app", "Run")
    Runner = apps.get_model("attendance", "Runner")
    RunnerName = apps.get_model("attendance", "RunnerName")
    Attendance = apps.get_model("attendance", "Attendance")
    runs = [
        Run.objects.create(
            date=dt.date(2026, 10, day), session_id=f"{'r' * 21}{day}", short_code=f"AAAA{day:04d}"
        )
        for day in (6, 8, 13)
    ]
    at = dt.datetime(2026, 10, 6, 18, 0, tzinfo=dt.UTC)

    def runner(name: str, old_key: str, *checkins: tuple[int, int]) -> None:
        made = Runner.objects.create(name=name)
        RunnerName.objects.create(name_key=old_key, runner=made)
        for run, minutes in checkins:
            Attendance.objects.create(
                run=runs[run],
                runner=made,
                runner_name=name,
                registered_at=at + dt.timedelta(minutes=minutes),
            )

    runner("Sam O'Neill", "sam o'neill", (0, 1), (1, 1))
    runner("Sam O\u2019Neill", "sam o\u2019neill", (1, 5), (2, 1))  # twice on run 1
    runner("Zoe Angstrom", "zoe angstrom", (0, 2))
    runner("Zoë Ångström", "zoë ångström", (2, 2))
    runner("Jo Smith", "jo smith", (0, 3))
    runner("Joe Smith", "joe smith", (0, 4))

    executor = MigrationExecutor(connection)
    with caplog.at_level(logging.WARNING):
        executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Runner = apps.get_model("attendance", "Runner")
    Attendance = apps.get_model("attendance", "Attendance")
    checkins = {
        runner.name: sorted(
            Attendance.objects.filter(runner=runner).values_list("run__date__day", "runner_name")
        )
        for runner in Runner.objects.all()
    }
    assert checkins == {
        "Sam O'Neill": [(6, "Sam O'Neill"), (8, "Sam O'Neill"), (13, "Sam O\u2019Neill")],
        "Zoe Angstrom": [(6, "Zoe Angstrom"), (13, "Zoë Ångström")],
        "Jo Smith": [(6, "Jo Smith")],
        "Joe Smith": [(6, "Joe Smith")],
    }
    assert (
        "2 of 6 runners merged into others whose names they now match; 7 of 8 check-ins kept "
        "(1 later check-ins on a run the same runner was already in removed)" in caplog.text
    )
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
