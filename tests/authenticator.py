"""Organisers logging in, for tests: through the real steps (django-two-factor-auth's log-in
wizard, with an authenticator app whose codes are computed here) or past them (``log_in``).

Servers the tests start run with ``make run``'s settings, ``ADMIN_2FA=required`` among them,
so their organisers have a device with a known key (``enrol_command``) and type codes
computed here, as their phone would show. In-process tests that are not about logging in use
``log_in``: the session is logged in and verified by a device, as after both steps.
"""

from __future__ import annotations

import base64
import re
import time
from typing import Any

import pyotp
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from runclub.accounts import twofactor

KEY_HEX = "3132333435363738393031323334353637383930"
STEP = 30
# A code is good once per 30-second step, and these tests log the same account in several
# times a minute: their devices take codes up to ten minutes out (a real one: one step).
TOLERANCE = 20
LOGIN = "/admin/login/"
SETUP = "/admin/two-factor/set-up/"

ENROL = """
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
user = User.objects.get(username={username!r})
TOTPDevice.objects.create(user=user, name="default", key={key!r}, tolerance={tolerance},
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


# In-process: the log-in wizard's own fields ------------------------------------------------


def password_step(client: Client, username: str, password: str, next_url: str = "/admin/") -> Any:
    data = {"login_view-current_step": "auth", "auth-username": username, "auth-password": password}
    return client.post(f"{LOGIN}?next={next_url}", data)


def code_step(client: Client, code: str, next_url: str = "/admin/", remember: bool = False) -> Any:
    data = {"login_view-current_step": "token", "token-otp_token": code}
    if remember:
        data["token-remember"] = "on"
    return client.post(f"{LOGIN}?next={next_url}", data)


def backup_step(client: Client, code: str) -> Any:
    data = {"login_view-current_step": "backup", "backup-otp_token": code}
    return client.post(f"{LOGIN}?next=/admin/", data)


def choose_app(client: Client) -> pyotp.TOTP:
    """At the set-up: choose the authenticator app; the app, from the key the page shows."""
    page = client.post(SETUP, {"setup_view-current_step": "method", "method-method": "generator"})
    match = re.search(r"<code>([A-Z2-7 ]+)</code>", page.content.decode())
    assert match, "the set-up shows the key to type"
    return pyotp.TOTP(match.group(1).replace(" ", ""))


def confirm_app(client: Client, code: str) -> Any:
    return client.post(SETUP, {"setup_view-current_step": "generator", "generator-token": code})


def log_in(client: Client, user: Any, second_step: bool = True) -> TOTPDevice | None:
    """``client`` logged in as ``user`` past both steps, as if its phone had given the code;
    ``second_step=False``: with the password alone (where ``ADMIN_2FA`` allows it)."""
    device = None
    if second_step:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name="default", key=KEY_HEX, confirmed=True
            )
    client.force_login(user)
    session = client.session
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[twofactor.LOGGED_IN_AT] = time.time()  # as the log-in notes it
    session.save()
    return device
