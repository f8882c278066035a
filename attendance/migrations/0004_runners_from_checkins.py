"""Every name the duplicate rule already equates becomes one runner.

Check-ins are grouped by the key they were stored under (the one their unique
constraint compared); each group is a runner named the way it was written most
often (the earliest such spelling on a tie), and owns that key.
"""

from collections import Counter

from django.db import migrations
from django.db.models import OuterRef, Subquery

# As attendance.models.stored_key stores a key: a digest when too long to index.
KEY_MAX_LENGTH = 400


def stored(key):
    import hashlib

    if len(key) <= KEY_MAX_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def runners_from_checkins(apps, schema_editor):
    Attendance = apps.get_model("attendance", "Attendance")
    Runner = apps.get_model("attendance", "Runner")
    RunnerName = apps.get_model("attendance", "RunnerName")
    spellings = {}
    rows = Attendance.objects.order_by("registered_at", "pk").values_list("name_key", "runner_name")
    for key, name in rows.iterator(chunk_size=5000):
        spellings.setdefault(key, Counter())[name] += 1
    keys = list(spellings)
    # Counter keeps first-seen order, so most_common picks the earliest spelling on a tie.
    runners = Runner.objects.bulk_create(
        [Runner(name=spellings[key].most_common(1)[0][0]) for key in keys], batch_size=1000
    )
    RunnerName.objects.bulk_create(
        [RunnerName(name_key=stored(key), runner=runner) for key, runner in zip(keys, runners)],
        batch_size=1000,
    )
    Attendance.objects.update(
        runner=Subquery(
            RunnerName.objects.filter(name_key=OuterRef("name_key")).values("runner")[:1]
        )
    )
    long_keys = [key for key in keys if stored(key) != key]
    for key in long_keys:
        runner = RunnerName.objects.get(name_key=stored(key)).runner_id
        Attendance.objects.filter(name_key=key).update(runner=runner)


class Migration(migrations.Migration):

    dependencies = [("attendance", "0003_runner")]

    operations = [migrations.RunPython(runners_from_checkins, migrations.RunPython.noop)]
