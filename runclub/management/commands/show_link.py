"""What `make run` says before serving: where the site answers, and with `LAN=1` a QR code a
phone on the same network can scan off the screen.

In English, not marked for translation: it speaks to whoever starts the server, in the
terminal, beside daphne's and Django's own English lines.
"""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

# Light modules as full blocks on a black background, dark ones as the background: the code
# reads dark-on-light whatever colours the terminal uses.
_ON_BLACK = "\x1b[97;40m"
_RESET = "\x1b[0m"


class Command(BaseCommand):
    help = "Print the site's address (SITE_URL); with --qr, a QR code of it for a phone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--qr", action="store_true", help="draw a QR code of the link")

    def handle(self, *args: object, qr: bool, **options: object) -> None:
        link = f"{settings.SITE_URL}/"
        self.stdout.write(f"runclub on {link}  (admin: {link}admin/)")
        if not qr:
            self.stdout.write("To try it on a phone on the same Wi-Fi: LAN=1 make run")
            return
        self.stdout.write("Phones on the same network open it there. Scan this with one:")
        self.stdout.write(terminal_qr(link, colour=self.stdout.isatty()))
        self.stdout.write(
            "Then make today a run day on the admin's Today screen, open its projector view "
            "and check in from the phone."
        )


def terminal_qr(link: str, *, colour: bool) -> str:
    """The link as a QR code in text, two modules a character row (half blocks)."""
    out = io.StringIO()
    segno.make_qr(link, error="m").terminal(out=out, compact=True)
    lines = out.getvalue().rstrip("\n").splitlines()
    if colour:
        lines = [f"{_ON_BLACK}{line}{_RESET}" for line in lines]
    return "\n".join(lines)
