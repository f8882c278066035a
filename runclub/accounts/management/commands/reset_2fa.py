"""`manage.py reset_2fa`: an admin's answer to a colleague's lost phone, from the server's shell
(docs/organisers.md), so what it says is in the club's language, like the admin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from runclub.accounts import twofactor, wording
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
            raise CommandError(wording.no_such_account(options["username"]))
        removed = twofactor.remove_all(user, actor=user)
        who = user.get_username()
        required = twofactor.mode() == twofactor.REQUIRED
        self.stdout.write(wording.two_factor_reset(who, removed, required))
