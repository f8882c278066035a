"""Every run gets a short code (calendar_app.shortcodes) for its short link, /c/<code>.

Made unique in the next migration: on PostgreSQL a table cannot be altered in the
transaction that has just updated its rows.
"""

from django.db import migrations, models

import calendar_app.shortcodes


def give_each_run_a_code(apps, schema_editor):
    Run = apps.get_model("calendar_app", "Run")
    taken = set()
    runs = list(Run.objects.filter(short_code__isnull=True).only("pk"))
    for run in runs:
        code = calendar_app.shortcodes.new_short_code()
        while code in taken:
            code = calendar_app.shortcodes.new_short_code()
        taken.add(code)
        run.short_code = code
    Run.objects.bulk_update(runs, ["short_code"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("calendar_app", "0002_removedday"),
    ]

    operations = [
        migrations.AddField(
            model_name="run",
            name="short_code",
            field=models.CharField(editable=False, max_length=8, null=True),
        ),
        migrations.RunPython(give_each_run_a_code, migrations.RunPython.noop),
    ]
