"""Older check-ins brought to the name rule of attendance/names.py.

Names lose their invisible characters (zero-width spaces and joiners, soft hyphens,
bidirectional controls, variation selectors, tags...) and every name key is computed anew, so
that Cyrillic and Greek look-alikes and invisible characters compare as the rule now says.

Two check-ins on one run that the new rule finds to be the same runner ("Carla Diaz" and
"Carla\u200b Diaz") cannot both stay under the unique constraint: the earlier check-in is kept
and the later one is deleted, as the form would have refused it. Each deletion is printed.
"""

from collections import defaultdict

from django.db import migrations

from attendance.names import name_key, remove_invisible

BATCH = 1000


def apply_the_rule(apps, schema_editor):
    Attendance = apps.get_model("attendance", "Attendance")
    rows = Attendance.objects.order_by("registered_at", "pk").values_list(
        "pk", "run_id", "runner_name", "name_key"
    )
    changed = {}  # pk -> (new name, new key)
    by_runner = defaultdict(list)  # (run, new key) -> pks, earliest first
    for pk, run_id, name, key in rows.iterator(chunk_size=BATCH):
        new_name = remove_invisible(name).strip() or name
        new_key = name_key(new_name)
        by_runner[run_id, new_key].append(pk)
        if (new_name, new_key) != (name, key):
            changed[pk] = (new_name, new_key)

    later = [pk for pks in by_runner.values() for pk in pks[1:]]
    for pk in later:
        changed.pop(pk, None)
    if later:
        for attendance in Attendance.objects.filter(pk__in=later).select_related("run"):
            print(
                f"\n  check-in {attendance.pk} on {attendance.run.date} deleted: the same runner"
                " checked in earlier that day under the new name rule",
                end="",
            )
        Attendance.objects.filter(pk__in=later).delete()

    # Keys move in two steps, so that one row taking a key another is about to give up never
    # meets the unique constraint: first to a placeholder no name can have (names never hold
    # control characters), then to the new key.
    pks = list(changed)
    for start in range(0, len(pks), BATCH):
        batch = list(Attendance.objects.filter(pk__in=pks[start : start + BATCH]))
        for attendance in batch:
            attendance.name_key = f"\x01{attendance.pk}"
        Attendance.objects.bulk_update(batch, ["name_key"])
    for start in range(0, len(pks), BATCH):
        batch = list(Attendance.objects.filter(pk__in=pks[start : start + BATCH]))
        for attendance in batch:
            attendance.runner_name, attendance.name_key = changed[attendance.pk]
        Attendance.objects.bulk_update(batch, ["runner_name", "name_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0002_runner_index"),
    ]

    operations = [
        migrations.RunPython(apply_the_rule, migrations.RunPython.noop, elidable=True),
    ]
