"""An organiser's authenticator app, for tests that log in through the real two-step log-in.

Servers the tests start run with ``make run``'s settings, ``ADMIN_2FA=required`` among them,
so their organisers have a device with a known key (``enrol_command``) and type codes
computed here, as their phone would show.
"""

from __future__ import annotations

import base64
import time

import pyotp

KEY_HEX = "3132333435363738393031323334353637383930"
STEP = 30
# A code is good once per 30-second step, and these tests log the same account in several
# times a minute: their devices take codes up to ten minutes out (a real one: one step).
TOLERANCE = 20

ENROL = """
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
user = User.objects.get(username={username!r})
TOTPDevice.objects.create(user=user, name="test phone", key={key!r}, tolerance={tolerance},
                          confirmed=True)
"""


def enrol_command(username: str) -> list[str]:
    """``manage.py`` arguments that give ``username`` this app as their device."""
    code = ENROL.format(username=username, key=KEY_HEX, tolerance=TOLERANCE)
    return ["shell", "-c", code]


class Authenticator:
    """Codes as the phone would show them, one step later each time they are asked for
    again within a step (a code is taken once)."""

    _last: dict[str, int] = {}

    def __init__(self, account: str, key_hex: str = KEY_HEX) -> None:
        self.account = account  # e.g. the server's URL and the username: one device each
        self.totp = pyotp.TOTP(base64.b32encode(bytes.fromhex(key_hex)).decode())

    def code(self) -> str:
        step = max(int(time.time()) // STEP, Authenticator._last.get(self.account, 0) + 1)
        Authenticator._last[self.account] = step
        return str(self.totp.at(step * STEP))
