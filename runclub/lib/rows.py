"""Inserting one row with a plain statement, where compiling Django's query costs too much.

The check-in POST inserts a check-in (and, for a newcomer, a runner and its name key) at a
hundred a minute on a small host: Django's INSERT compiler cost more CPU than the statement.
``insert`` writes what ``Model.save()`` would write for a new row (every concrete field,
each prepared by its own field class, ``pre_save`` included) from a statement built once per
model and database. It sends no signals: the code that calls it announces its change itself.
"""

from __future__ import annotations

import functools

from django.db import connections, models


def insert(instance: models.Model, using: str = "default") -> None:
    """Insert the new ``instance`` (every concrete field but an automatic primary key) and
    give it its primary key: it is then saved, as after ``save()``. IntegrityError as the
    database raises it (a unique constraint), with the instance left unsaved."""
    connection = connections[using]
    sql, fields = _statement(type(instance), using)
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    # What Model.save() does once its row is in (the documented Model._state).
    instance._state.adding = False
    instance._state.db = using


@functools.cache
def _statement(model: type[models.Model], using: str) -> tuple[str, list[models.Field]]:
    """``INSERT INTO table (every column Django would write) VALUES (...) RETURNING pk``."""
    meta = model._meta
    assert meta.pk is not None
    # As Model._save_table leaves them out of a new row: the automatic key, generated columns.
    fields = [
        field
        for field in meta.local_concrete_fields
        if field is not meta.auto_field and not field.generated
    ]
    quote = connections[using].ops.quote_name
    columns = ", ".join(quote(_column(field)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "
        f"RETURNING {quote(_column(meta.pk))}"
    )
    return sql, fields


def _column(field: models.Field) -> str:
    assert field.column is not None, f"{field} is no column"  # concrete fields all are
    return field.column
