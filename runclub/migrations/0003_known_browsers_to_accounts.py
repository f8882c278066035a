"""KnownBrowser moved to the accounts app (runclub.accounts): forgotten here, the table kept.

accounts' first migration takes the model over and renames its table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("runclub", "0002_known_browsers")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="KnownBrowser")],
            database_operations=[],
        )
    ]
