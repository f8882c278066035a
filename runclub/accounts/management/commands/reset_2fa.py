from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from runclub.accounts import logins
from runclub.lib.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Forget an organiser's authenticator app (a lost or replaced phone). Under "
        "ADMIN_2FA=required they set up a new one at their next log-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account is called {options['username']!r}.")
        removed = logins.remove_devices(user)
        if not removed:
            self.stdout.write(f"{user.get_username()} had no authenticator app: nothing to reset.")
            return
        self.stdout.write(
            f"Removed {user.get_username()}'s authenticator app. "
            + (
                "They set up a new one at their next log-in."
                if logins.mode() == logins.REQUIRED
                else "They log in with their password until they set up a new one."
            )
        )
