"""Older check-ins and runners brought to the name rule of attendance/names.py, as of the
rule that judges look-alikes by Unicode's confusables data.

Names lose the blank characters now removed (the Braille blank, the object replacement
character, the Khitan filler), and every runner's name keys are computed anew
(``rekey.rekey_runners``): punctuation and spaces of every kind count for nothing, Latin,
Greek and Cyrillic accents neither, and look-alikes compare as Unicode's UTS #39 skeleton
says. Runners whose names now share a key become one runner: every check-in is kept, except
that where two of theirs are on the same run the earlier stays and the later goes (one runner
is in a run once), as the form would have refused it. What was done goes to the log, and the
upgrade notes (docs/operating.md, "Upgrade notes") say what to expect.
"""

import logging

from django.db import migrations

from attendance.models import stored_key
from attendance.names import remove_invisible
from attendance.rekey import rekey_runners

BATCH = 1000


def without_blanks(model, field):
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
    runners = Runner.objects.count()
    before = Attendance.objects.count()
    names = without_blanks(Attendance, "runner_name") + without_blanks(Runner, "name")
    merged = rekey_runners(Attendance, RunnerName, Runner, stored_key)
    doubles = before - Attendance.objects.count()
    if not runners:
        return  # a new database: nothing to report
    logging.getLogger(__name__).warning(
        "Name rule (punctuation, accents, Unicode look-alikes): %d of %d runners merged into "
        "others whose names they now match; %d of %d check-ins kept (%d later check-ins on a "
        "run the same runner was already in removed); %d names lost blank characters",
        merged,
        runners,
        before - doubles,
        before,
        doubles,
        names,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0008_anonymised_runners"),
    ]

    operations = [
        migrations.RunPython(apply_the_rule, migrations.RunPython.noop, elidable=True),
    ]
