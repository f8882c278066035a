"""The migration that brought older check-ins and runners to today's name rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from attendance.models import stored_key

BEFORE = [("attendance", "0006_failed_attempts")]
AFTER = [("attendance", "0007_name_rule_invisible_and_lookalikes")]


@pytest.fixture
def old_rows(transactional_db: None) -> Iterator[dict[str, int]]:
    """Check-ins and runners as the old rule made them: one runner per old key."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    calendar = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "calendar_app"]
    apps = executor.loader.project_state(BEFORE + calendar).apps
    Run = apps.get_model("calendar_app", "Run")
    Runner = apps.get_model("attendance", "Runner")
    RunnerName = apps.get_model("attendance", "RunnerName")
    Attendance = apps.get_model("attendance", "Attendance")
    first = Run.objects.create(
        date=dt.date(2026, 10, 6), session_id="r" * 22, short_code="AAAAAAAA"
    )
    second = Run.objects.create(
        date=dt.date(2026, 10, 8), session_id="s" * 22, short_code="BBBB1111"
    )
    at = dt.datetime(2026, 10, 6, 18, 0, tzinfo=dt.UTC)
    runners: dict[str, object] = {}

    def row(run: object, name: str, old_key: str, minutes: int) -> int:
        if old_key not in runners:
            runners[old_key] = Runner.objects.create(name=name)
            RunnerName.objects.create(name_key=old_key, runner=runners[old_key])
        attendance = Attendance.objects.create(
            run=run,
            runner=runners[old_key],
            runner_name=name,
            registered_at=at + dt.timedelta(minutes=minutes),
        )
        return attendance.pk

    ids = {
        "carla": row(first, "Carla Diaz", "carla diaz", 0),
        "carla again": row(first, "Carla\u200b Diaz", "carla\u200b diaz", 5),
        "maya lookalike": row(first, "Мауа Okafor", "мауа okafor", 1),
        "maya": row(first, "Maya Okafor", "maya okafor", 2),
        "reversed": row(first, "\u202ezaiD alraC\u202c", "\u202ezaid alrac\u202c", 3),
        "carla later": row(second, "Car\u00adla Diaz", "car\u00adla diaz", 0),
        "ana": row(second, "Ana Silva", "ana silva", 1),
    }
    yield ids
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_it_brings_names_and_runners_to_the_new_rule(old_rows: dict[str, int]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Attendance = apps.get_model("attendance", "Attendance")
    RunnerName = apps.get_model("attendance", "RunnerName")
    rows = {a.pk: (a.runner_name, a.runner_id) for a in Attendance.objects.all()}
    runner_of = dict(RunnerName.objects.values_list("name_key", "runner_id"))

    # Of two check-ins on one run that the new rule calls one runner, the earlier stays.
    assert old_rows["carla again"] not in rows
    assert old_rows["maya"] not in rows
    assert rows[old_rows["maya lookalike"]] == ("Мауа Okafor", runner_of[stored_key("maya okafor")])
    # Invisible characters leave the names, and another run's check-in joins its runner.
    assert rows[old_rows["carla"]] == ("Carla Diaz", runner_of[stored_key("carla diaz")])
    assert rows[old_rows["carla later"]] == ("Carla Diaz", runner_of[stored_key("carla diaz")])
    # A reversed name now reads as what it is: another runner.
    assert rows[old_rows["reversed"]] == ("zaiD alraC", runner_of[stored_key("zaid alrac")])
    assert rows[old_rows["ana"]] == ("Ana Silva", runner_of[stored_key("ana silva")])
    assert len(rows) == 5
    assert len(set(runner_of.values())) == 4
