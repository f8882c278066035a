import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0002_runner_index"),
        ("calendar_app", "0001_initial"),
    ]

    operations = [
        # SQLite keeps tables and indexes in one namespace: this index's name is the new
        # Runner table's. Check-ins find their runner through RunnerName from now on.
        migrations.RemoveIndex(model_name="attendance", name="attendance_runner"),
        migrations.CreateModel(
            name="Runner",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="How the club knows them: history and the CSV use it.", max_length=255)),
                ("member_number", models.CharField(blank=True, help_text="Only when the club asks for member numbers at check-in.", max_length=32, null=True, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
            ],
            options={"ordering": ["name", "pk"]},
        ),
        migrations.CreateModel(
            name="RunnerName",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name_key", models.CharField(max_length=400, unique=True)),
                ("runner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="names", to="attendance.runner")),
            ],
            options={"verbose_name": "name key"},
        ),
        migrations.AddField(
            model_name="attendance",
            name="runner",
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="attendances", to="attendance.runner"),
        ),
    ]
