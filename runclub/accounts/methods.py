"""django-two-factor-auth's two ways, an authenticator app and a passkey, with the club's forms
and words. Registered in place of the library's own (``AccountsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor.plugins.registry import GeneratorMethod
from two_factor.plugins.webauthn.method import WebAuthnMethod

from runclub.accounts import forms, wording


class AppMethod(GeneratorMethod):
    verbose_name = wording.SETUP_APP

    def recognize_device(self, device: Any) -> bool:
        return isinstance(device, TOTPDevice)

    def get_setup_forms(self, *args: Any) -> dict[str, type]:
        return {self.code: forms.SetupCodeForm}

    def get_token_form_class(self) -> type:
        return forms.CodeForm

    def get_action(self, device: Any) -> str:
        return str(wording.USE_APP)

    def get_verbose_action(self, device: Any) -> str:
        return str(wording.CODE_STEP).format(club=settings.CLUB_NAME)


class PasskeyMethod(WebAuthnMethod):
    verbose_name = wording.SETUP_PASSKEY

    def get_setup_forms(self, *args: Any) -> dict[str, type]:
        return {self.code: forms.PasskeySetupForm}

    def get_token_form_class(self) -> type:
        return forms.PasskeyForm

    def get_action(self, device: Any) -> str:
        return str(wording.USE_PASSKEY)

    def get_verbose_action(self, device: Any) -> str:
        return str(wording.PASSKEY_STEP)
