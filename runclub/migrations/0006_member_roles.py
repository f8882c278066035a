"""The member list: organisers import and change it, the committee sees it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from runclub.accounts.roles import COMMITTEE, ORGANISERS

ROLES = {
    ORGANISERS: [f"{action}_member" for action in ("add", "change", "delete", "view")],
    COMMITTEE: ["view_member"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; make sure they exist now.
    app_config = apps.get_app_config("attendance")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="attendance", codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="attendance", codename__endswith="_member"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("runclub", "0005_nightly_runs"),
        ("attendance", "0010_member_list"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
