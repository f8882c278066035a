from django.db import migrations, models

import calendar_app.shortcodes


class Migration(migrations.Migration):

    dependencies = [
        ("calendar_app", "0003_run_short_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="run",
            name="short_code",
            field=models.CharField(
                default=calendar_app.shortcodes.new_short_code,
                editable=False,
                max_length=8,
                unique=True,
            ),
        ),
    ]
