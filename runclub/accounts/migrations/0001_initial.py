"""KnownBrowser, moved here from the runclub app: taken over with the table it had there."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("runclub", "0003_known_browsers_to_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="KnownBrowser",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=64)),
                        ("description", models.CharField(blank=True, max_length=200)),
                        ("first_seen", models.DateTimeField(default=django.utils.timezone.now)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="known_browsers", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "runclub_knownbrowser",
                        "constraints": [models.UniqueConstraint(fields=("user", "key"), name="one_record_per_user_browser")],
                    },
                ),
            ],
            database_operations=[],
        ),
        # The table under this app's own name.
        migrations.AlterModelTable(name="knownbrowser", table=None),
    ]
