"""What every management command that reads or writes the app's tables shares.

Its refusal of an unmigrated database stays in English: it is for whoever runs the server,
and tells them to run Django's own (English) ``migrate``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

MIGRATE = ".venv/bin/python manage.py migrate"


def require_migrated(using: str = DEFAULT_DB_ALIAS) -> None:
    """Stop with one line saying what to do if the database lacks the app's tables."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return
    state = (
        "is not up to date with this version of the app"
        if executor.loader.applied_migrations
        else "has not been set up yet"
    )
    raise CommandError(
        f"The database ({connection.settings_dict['NAME']}) {state}: "
        f"run `{MIGRATE}` (or `make run`) first."
    )


class DatabaseCommand(BaseCommand):
    """A command that needs the app's tables: on a database never migrated it says so,
    in one line, instead of a traceback ending in "no such table".
    """

    def execute(self, *args: Any, **options: Any) -> str | None:
        require_migrated()
        return super().execute(*args, **options)
