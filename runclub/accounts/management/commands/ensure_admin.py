"""Make sure a deploy ends with a way in: every start command runs this before serving
(`make run`, the Procfile's web line, render.yaml, railway.json; docs/operating.md).

In English, not marked for translation: what it prints goes to the platform's log at every
start, for whoever runs the server, beside Django's and daphne's own English lines.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model

from runclub.lib.commands import DatabaseCommand
from runclub.lib.env import envbool, envstr


class Command(DatabaseCommand):
    help = (
        "Make sure an admin account exists: ADMIN_USERNAME with ADMIN_PASSWORD when set "
        "(an existing account keeps its password unless ADMIN_PASSWORD_RESET=true), "
        "otherwise an 'admin' account with a generated password, printed once."
    )

    def handle(self, *args: object, **options: object) -> None:
        username = envstr("ADMIN_USERNAME")
        password = envstr("ADMIN_PASSWORD")
        if username and password:
            self._from_environment(username, password, reset=envbool("ADMIN_PASSWORD_RESET"))
            return
        User = get_user_model()
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write("An admin account exists already.")
            return
        username = username or "admin"
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, password=password, email="")
        # Printed once, to the terminal or the platform's log: framed so it stands out there.
        rule = "=" * 64
        self.stdout.write(
            self.style.WARNING(
                f"{rule}\n"
                f"Created admin account '{username}' with password: {password}\n"
                "This is shown once. Log in at /admin/ and change it there, or set "
                "ADMIN_USERNAME and ADMIN_PASSWORD.\n"
                f"{rule}"
            )
        )

    def _from_environment(self, username: str, password: str, *, reset: bool) -> None:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            User.objects.create_superuser(username=username, password=password, email="")
            self.stdout.write(
                f"Created admin account '{username}' from ADMIN_USERNAME/ADMIN_PASSWORD."
            )
            return
        if not reset:
            # A password changed in the admin must survive the next restart.
            self.stdout.write(
                f"Admin account '{username}' exists; its password is kept "
                "(ADMIN_PASSWORD_RESET=true sets it to ADMIN_PASSWORD at the next start)."
            )
            return
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.WARNING(
                f"Set admin account '{username}''s password to ADMIN_PASSWORD "
                "(ADMIN_PASSWORD_RESET is set: remove it, or every start resets it)."
            )
        )
