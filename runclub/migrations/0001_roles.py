"""The two roles as groups with their permissions (names in runclub.accounts.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from runclub.accounts.roles import COMMITTEE, ORGANISERS
ROLES = {
    ORGANISERS: [
        f"{action}_{model}"
        for model in ("run", "attendance")
        for action in ("add", "change", "delete", "view")
    ],
    COMMITTEE: ["view_run", "view_attendance"],
}


def make_groups(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; make sure
    # they exist now, on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=["calendar_app", "attendance"],
                codename__in=codenames,
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("calendar_app", "0001_initial"),
        ("attendance", "0001_initial"),
    ]

    operations = [migrations.RunPython(make_groups, remove_groups)]
