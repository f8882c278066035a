"""The migration that brought older check-ins to today's name rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("attendance", "0002_runner_index")]
AFTER = [("attendance", "0003_name_rule_invisible_and_lookalikes")]


@pytest.fixture
def old_rows(transactional_db: None) -> object:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    calendar = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "calendar_app"]
    apps = executor.loader.project_state(BEFORE + calendar).apps
    Run = apps.get_model("calendar_app", "Run")
    Attendance = apps.get_model("attendance", "Attendance")
    run = Run.objects.create(date=dt.date(2026, 10, 6), session_id="r" * 22, short_code="AAAAAAAA")
    other = Run.objects.create(
        date=dt.date(2026, 10, 8), session_id="s" * 22, short_code="BBBBBBBB"
    )
    at = dt.datetime(2026, 10, 6, 18, 0, tzinfo=dt.UTC)

    def row(run: object, name: str, key: str, minutes: int) -> int:
        # name_key as the old rule made it: NFKC, case-folded, spaces collapsed.
        attendance = Attendance.objects.create(
            run=run,
            runner_name=name,
            name_key=key,
            registered_at=at + dt.timedelta(minutes=minutes),
        )
        return attendance.pk

    ids = {
        "carla": row(run, "Carla Diaz", "carla diaz", 0),
        "carla again": row(run, "Carla\u200b Diaz", "carla\u200b diaz", 5),
        "maya": row(run, "Мауа Okafor", "мауа okafor", 1),
        "maya again": row(run, "Maya Okafor", "maya okafor", 2),
        "reversed": row(run, "\u202ezaiD alraC\u202c", "\u202ezaid alrac\u202c", 3),
        "carla later": row(other, "Car\u00adla Diaz", "car\u00adla diaz", 0),
        "ana": row(other, "Ana Silva", "ana silva", 1),
    }
    yield ids
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_it_brings_names_and_keys_to_the_new_rule(old_rows: dict[str, int]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Attendance = executor.loader.project_state(AFTER).apps.get_model("attendance", "Attendance")
    rows = {a.pk: (a.runner_name, a.name_key) for a in Attendance.objects.all()}

    # Of two check-ins on one run that the new rule calls one runner, the earlier stays.
    assert old_rows["carla again"] not in rows
    assert rows[old_rows["carla"]] == ("Carla Diaz", "carla diaz")
    assert old_rows["maya again"] not in rows
    assert rows[old_rows["maya"]] == ("Мауа Okafor", "maya okafor")
    # Invisible characters leave the names; a reversed name now reads as what it is.
    assert rows[old_rows["reversed"]] == ("zaiD alraC", "zaid alrac")
    # Another run's check-ins are another matter.
    assert rows[old_rows["carla later"]] == ("Carla Diaz", "carla diaz")
    assert rows[old_rows["ana"]] == ("Ana Silva", "ana silva")
    assert len(rows) == 5
