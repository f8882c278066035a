from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from runclub.accounts import twofactor
from runclub.lib.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Forget an organiser's two-factor devices (a lost or replaced phone, a passkey, backup "
        "codes) and log them out everywhere. Under ADMIN_2FA=required they set up a new one at "
        "their next log-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account is called {options['username']!r}.")
        removed = twofactor.remove_all(user, actor=user)
        who = user.get_username()
        if not removed:
            self.stdout.write(
                f"{who} had no two-factor device: nothing to reset. Logged out everywhere."
            )
            return
        self.stdout.write(
            f"Removed {who}'s {', '.join(r.lower() for r in removed)} and logged them out "
            "everywhere. "
            + (
                "They set up a new one at their next log-in."
                if twofactor.mode() == twofactor.REQUIRED
                else "They log in with their password until they set up a new one."
            )
        )
