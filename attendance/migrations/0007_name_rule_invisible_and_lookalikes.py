"""Older check-ins and runners brought to the name rule of attendance/names.py.

Names lose their invisible characters (zero-width spaces and joiners, soft hyphens,
bidirectional controls, variation selectors, tags...), and every runner's name keys are
computed anew (``rekey.rekey_runners``), so that invisible characters and Cyrillic or Greek
look-alikes compare as the rule now says. Runners whose names now share a key become one
runner; where two of their check-ins are on the same run, the earlier stays and the later is
deleted, as the form would have refused it. What was merged goes to the log.
"""

import logging

from django.db import migrations

from attendance.models import stored_key
from attendance.names import remove_invisible
from attendance.rekey import rekey_runners

BATCH = 1000


def without_invisible(model, field):
    changed = []
    for row in model.objects.only("pk", field).iterator(chunk_size=BATCH):
        value = getattr(row, field)
        cleaned = remove_invisible(value).strip() or value
        if cleaned != value:
            setattr(row, field, cleaned)
            changed.append(row)
    model.objects.bulk_update(changed, [field], batch_size=BATCH)
    return len(changed)


def apply_the_rule(apps, schema_editor):
    Attendance = apps.get_model("attendance", "Attendance")
    Runner = apps.get_model("attendance", "Runner")
    RunnerName = apps.get_model("attendance", "RunnerName")
    before = Attendance.objects.count()
    names = without_invisible(Attendance, "runner_name") + without_invisible(Runner, "name")
    merged = rekey_runners(Attendance, RunnerName, Runner, stored_key)
    doubles = before - Attendance.objects.count()
    if names or merged:
        logging.getLogger(__name__).warning(
            "%d names lost invisible characters; %d runners merged into others whose names "
            "they now match; %d later check-ins on a run the same runner was already in deleted",
            names,
            merged,
            doubles,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0006_failed_attempts"),
    ]

    operations = [
        migrations.RunPython(apply_the_rule, migrations.RunPython.noop, elidable=True),
    ]
