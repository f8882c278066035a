"""runclub.lib.rows.insert: the plain INSERT writes every column, as Model.save() would."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, models, transaction

from attendance.models import Attendance, Runner, RunnerName
from calendar_app.models import Run
from runclub.lib import rows
from tests.factories import RunFactory

pytestmark = pytest.mark.django_db

WRITTEN_BY_INSERT = [Attendance, Runner, RunnerName]


def columns_of(model: type[models.Model]) -> set[str]:
    return {field.column for field in model._meta.concrete_fields if not field.primary_key}


@pytest.mark.parametrize("model", WRITTEN_BY_INSERT, ids=lambda model: model.__name__)
def test_the_statement_names_every_column_but_the_automatic_key(model: type) -> None:
    sql, _ = rows._statement(model, "default")
    named = sql.split("(", 1)[1].split(")", 1)[0]
    assert {name.strip().strip('"') for name in named.split(",")} == columns_of(model)


def values_of(instance: models.Model) -> dict[str, object]:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_every_field_a_check_in_path_inserts_reads_back_as_it_was_set() -> None:
    run = RunFactory()
    at = dt.datetime(2026, 10, 6, 17, 5, 3, 123456, tzinfo=dt.UTC)
    runner = Runner(
        name="Ana Silva",
        member_number="S1234",
        created_at=at,
        anonymised=True,
        anonymised_checkins=7,
    )
    rows.insert(runner)
    name = RunnerName(runner=runner, name_key="ana silva")
    rows.insert(name)
    attendance = Attendance(
        run=run,
        runner=runner,
        runner_name="Ana Silva",
        submission_id=uuid.uuid4(),
        registered_at=at,
    )
    rows.insert(attendance)
    for written in (runner, name, attendance):
        assert written.pk is not None and not written._state.adding
        # Every concrete field is checked, so a column added later is checked with the rest.
        stored = type(written)._default_manager.get(pk=written.pk)
        assert values_of(stored) == values_of(written)


def test_a_refused_insert_leaves_the_instance_unsaved(run: Run) -> None:
    runner = Runner(name="Ana Silva")
    rows.insert(runner)
    rows.insert(Attendance(run=run, runner=runner, runner_name="Ana Silva"))
    again = Attendance(run=run, runner=runner, runner_name="ana silva")
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert(again)
    assert again.pk is None and again._state.adding
