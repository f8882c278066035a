"""Under ``HTTPS=true`` every cookie the app sets is ``Secure``: a runner's, an organiser's, the
log-in's, whatever the page."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from runclub import settings as settings_module
from tests.authenticator import Authenticator, code_step, password_step
from tests.factories import OrganiserFactory, RunFactory
from tests.helpers import checkin

pytestmark = pytest.mark.django_db


def settings_under_https(monkeypatch: pytest.MonkeyPatch) -> Any:
    """runclub/settings.py as it reads with HTTPS=true (a fresh copy of the module)."""
    monkeypatch.setenv("HTTPS", "true")
    monkeypatch.setenv("SITE_URL", "https://runclub.example.org")  # HTTPS needs an https link
    spec = importlib.util.spec_from_file_location("https_settings", settings_module.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Cookies(list[tuple[str, bool]]):
    """Every cookie set by the responses seen, and whether it was Secure."""

    def see(self, response: Any) -> Any:
        for morsel in response.cookies.values():
            # A cookie deleted (emptied, expired at once: a log-out) carries nothing to keep safe.
            deleted = morsel.value == "" and morsel["max-age"] == 0
            self.append((morsel.key, bool(morsel["secure"]) or deleted))
        return response


def test_every_cookie_is_secure_under_https(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    https = settings_under_https(monkeypatch)
    for name in dir(https):
        if name.isupper() and (name.endswith("_SECURE") or name.startswith("SECURE_")):
            setattr(settings, name, getattr(https, name))
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks https itself
    settings.ADMIN_2FA = "required"
    seen = Cookies()

    phone = Client(secure=True)
    run = RunFactory()
    seen.see(phone.get(run.checkin_path()))
    seen.see(checkin(phone, run, "Ana Silva"))
    seen.see(phone.get("/me/"))

    user = OrganiserFactory(username="ola")
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    app = Authenticator(device.key, device.key)
    laptop = Client(secure=True)
    seen.see(laptop.get("/admin/login/"))
    seen.see(password_step(laptop, "ola", "correct horse battery"))
    seen.see(code_step(laptop, app.code(), remember=True))
    seen.see(laptop.get("/admin/"))
    seen.see(laptop.post("/admin/logout/"))

    names = {name for name, _ in seen}
    assert {"csrftoken", "sessionid", "runclub_browser"} <= names
    assert any(name.startswith("remember-cookie_") for name in names)
    assert [name for name, secure in seen if not secure] == []
