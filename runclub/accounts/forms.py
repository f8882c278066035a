"""django-two-factor-auth's forms in the club's words, with their answers saying what happened."""

from __future__ import annotations

import json
import math
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils import timezone
from django_otp.models import Device
from two_factor.forms import (
    AuthenticationTokenForm,
    BackupTokenForm,
    MethodForm,
    TOTPDeviceForm,
)
from two_factor.plugins.webauthn.forms import (
    WebauthnAuthenticationTokenForm,
    WebauthnDeviceValidationForm,
)
from two_factor.plugins.webauthn.models import WebauthnDevice
from two_factor.plugins.webauthn.utils import (
    make_credential_creation_options,
    make_credential_request_options,
    verify_registration_response,
)
from webauthn.helpers.exceptions import WebAuthnException

from runclub.accounts import wording

REQUEST_OPTIONS, REQUEST_CHALLENGE = "webauthn_request_options", "webauthn_request_challenge"
CREATION_OPTIONS, CREATION_CHALLENGE = "webauthn_creation_options", "webauthn_creation_challenge"


class PasswordForm(AdminAuthenticationForm):
    """The admin's own password form: staff accounts only."""


class MethodChoiceForm(MethodForm):
    """The set-up's first step: an authenticator app or a passkey."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label_suffix = ""  # the label is a question
        self.fields["method"].label = wording.SETUP_CHOOSE


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=wording.CODE_LABEL,
        max_length=12,
        error_messages={"required": wording.CODE_REQUIRED},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


def _wait(device: Device) -> int | None:
    """Seconds django-otp makes ``device`` wait after wrong codes, if it does now."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or not details.get("locked_until"):
        return None
    return max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))


class _RemembersBrowser:
    fields: dict[str, forms.Field]

    def _name_remember(self) -> None:
        if "remember" in self.fields:
            days = round((settings.TWO_FACTOR_REMEMBER_COOKIE_AGE or 0) / 86400)
            self.fields["remember"].label = str(wording.REMEMBER).format(days=days)
            self.fields["remember"].initial = False


class CodeForm(_RemembersBrowser, AuthenticationTokenForm):
    """The code from the authenticator app. A wrong one says so, and how long django-otp's
    doubling wait (1 s, 2 s, 4 s...) now is, so guessing six digits stays hopeless."""

    def __init__(self, user: Any, initial_device: Device | None, **kwargs: Any) -> None:
        super().__init__(user, initial_device, **kwargs)
        self.fields["otp_token"] = _code_field()
        self._name_remember()

    def clean_otp_token(self) -> str:
        code = "".join(self.cleaned_data["otp_token"].split())
        if not (code.isascii() and code.isdecimal() and len(code) == 6):
            raise forms.ValidationError(wording.CODE_REQUIRED, code="invalid_token")
        return code

    def clean(self) -> dict[str, Any]:
        if self.errors:
            return self.cleaned_data
        return super().clean()

    def _verify_token(self, user: Any, token: str, device: Device | None = None) -> Device:
        if device is None:
            raise forms.ValidationError(wording.CODE_REQUIRED, code="invalid_token")
        wait = _wait(device)
        if wait is not None:
            raise forms.ValidationError(
                str(wording.WAIT_AFTER_WRONG).format(wait=wording.seconds(wait)), code="wait"
            )
        if device.verify_token(token):
            return device
        wait = _wait(device) or 1
        raise forms.ValidationError(
            str(wording.WRONG_CODE).format(wait=wording.seconds(wait)), code="invalid_token"
        )


class BackupCodeForm(BackupTokenForm):
    def __init__(self, user: Any, initial_device: Device | None, **kwargs: Any) -> None:
        super().__init__(user, initial_device, **kwargs)
        self.fields["otp_token"].label = wording.BACKUP_LABEL
        self.fields.pop("remember", None)

    def _verify_token(self, user: Any, token: str, device: Device | None = None) -> Device:
        if device is None or not device.verify_is_allowed()[0] or not device.verify_token(token):
            raise forms.ValidationError(wording.WRONG_BACKUP, code="invalid_token")
        return device


class PasskeyForm(_RemembersBrowser, WebauthnAuthenticationTokenForm):
    """The passkey's answer, posted by ``static/js/passkey.js``. Each page shown carries a new
    challenge (``new_options``): one is answered once."""

    def __init__(
        self, user: Any, initial_device: Device | None, request: Any, **kwargs: Any
    ) -> None:
        super().__init__(user, initial_device, request, **kwargs)
        self.fields["otp_token"].label = wording.PASSKEY_FIELD
        self._name_remember()

    def new_options(self) -> dict[str, Any]:
        """Fresh request options for the browser, their challenge kept in the session."""
        allowed = WebauthnDevice.objects.filter(user=self.user, confirmed=True).values_list(
            "key_handle", flat=True
        )
        options, challenge = make_credential_request_options(
            self.webauthn_rp, allowed_credential_ids=allowed
        )
        self.request.session[REQUEST_OPTIONS] = options
        self.request.session[REQUEST_CHALLENGE] = challenge
        return dict(json.loads(options))

    def _verify_token(self, user: Any, token: str, device: Device | None = None) -> Device:
        if REQUEST_CHALLENGE not in self.request.session:
            raise forms.ValidationError(wording.WRONG_PASSKEY, code="invalid_token")
        self.request.session.setdefault(REQUEST_OPTIONS, "")
        try:
            verified: Device = super()._verify_token(user, token, device)
        except (forms.ValidationError, WebAuthnException, ValueError, KeyError) as error:
            raise forms.ValidationError(wording.WRONG_PASSKEY, code="invalid_token") from error
        return verified


class SetupCodeForm(TOTPDeviceForm):
    # The wizard passes what the signature names (two_factor's SetupView.get_form_kwargs).
    def __init__(self, key: str, user: Any, metadata: Any = None, **kwargs: Any) -> None:
        super().__init__(key, user, metadata, **kwargs)
        self.fields["token"] = _code_field()

    def clean_token(self) -> int:
        code = "".join(self.cleaned_data["token"].split())
        if not (code.isascii() and code.isdecimal() and len(code) == 6):
            raise forms.ValidationError(wording.CODE_REQUIRED, code="invalid_token")
        self.cleaned_data["token"] = int(code)
        try:
            return int(super().clean_token())
        except forms.ValidationError as error:
            raise forms.ValidationError(
                str(wording.WRONG_CODE).format(wait=wording.seconds(1)), code="invalid_token"
            ) from error


class PasskeySetupForm(WebauthnDeviceValidationForm):
    """The new passkey's public key, posted by ``static/js/passkey.js``, checked here (not
    later, when the wizard saves it) so a bad answer is a form error."""

    def __init__(self, device: Any, request: Any, **kwargs: Any) -> None:
        super().__init__(device, request, **kwargs)
        self.fields["token"].label = wording.PASSKEY_FIELD

    def new_options(self) -> dict[str, Any]:
        existing = WebauthnDevice.objects.filter(user=self.request.user).values_list(
            "key_handle", flat=True
        )
        options, challenge = make_credential_creation_options(
            self.webauthn_user, self.webauthn_rp, excluded_credential_ids=existing
        )
        self.request.session[CREATION_OPTIONS] = options
        self.request.session[CREATION_CHALLENGE] = challenge
        return dict(json.loads(options))

    def clean_token(self) -> str:
        if CREATION_CHALLENGE not in self.request.session:
            raise forms.ValidationError(wording.WRONG_PASSKEY, code="invalid_token")
        self.request.session.setdefault(CREATION_OPTIONS, "")
        try:
            token = str(super().clean_token())
            verify_registration_response(
                self.cleaned_data["expected_rp_id"],
                self.cleaned_data["expected_origin"],
                self.cleaned_data["expected_challenge"],
                token,
            )
        except (forms.ValidationError, WebAuthnException, ValueError, KeyError) as error:
            raise forms.ValidationError(wording.WRONG_PASSKEY, code="invalid_token") from error
        return token
