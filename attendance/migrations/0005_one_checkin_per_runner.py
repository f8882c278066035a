import django.db.models.deletion
from django.db import migrations, models


def name_keys_from_runners(apps, schema_editor):
    from attendance.names import name_key

    Attendance = apps.get_model("attendance", "Attendance")
    batch = []
    for attendance in Attendance.objects.only("pk", "runner_name").iterator(chunk_size=5000):
        attendance.name_key = name_key(attendance.runner_name)
        batch.append(attendance)
    Attendance.objects.bulk_update(batch, ["name_key"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0004_runners_from_checkins"),
        ("calendar_app", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="attendance", name="one_checkin_per_name_per_run"),
        # Going back, the old key is filled in before its constraint returns.
        migrations.RunPython(migrations.RunPython.noop, name_keys_from_runners),
        migrations.RemoveField(model_name="attendance", name="name_key"),
        migrations.AlterField(
            model_name="attendance",
            name="runner",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="attendances", to="attendance.runner"),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.UniqueConstraint(fields=("run", "runner"), name="one_checkin_per_runner_per_run"),
        ),
        migrations.AddIndex(
            model_name="attendance",
            index=models.Index(fields=["runner", "run"], name="attendance_by_runner"),
        ),
    ]
