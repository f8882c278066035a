from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from runclub.lib.env import envstr


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists: from ADMIN_USERNAME/ADMIN_PASSWORD when set "
        "(the password is reset to that value), otherwise an 'admin' account with a "
        "generated password, printed once."
    )

    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        username = envstr("ADMIN_USERNAME")
        password = envstr("ADMIN_PASSWORD")
        if username and password:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "is_superuser": True}
            )
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
            verb = "Created" if created else "Updated"
            self.stdout.write(
                f"{verb} admin account '{username}' from ADMIN_USERNAME/ADMIN_PASSWORD."
            )
            return
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write("An admin account exists already.")
            return
        username = username or "admin"
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, password=password, email="")
        self.stdout.write(
            self.style.WARNING(
                f"Created admin account '{username}' with password: {password}\n"
                "This is shown once. Change it in the admin, or set ADMIN_USERNAME and "
                "ADMIN_PASSWORD."
            )
        )
