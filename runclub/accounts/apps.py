from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import apps as totp_apps


class AccountsConfig(AppConfig):
    default = True
    name = "runclub.accounts"
    label = "accounts"
    verbose_name = _("Organisers' accounts")

    def ready(self) -> None:
        # The club's forms and words for the library's two ways (it registered its own first:
        # two_factor and its WebAuthn plugin come before this app in INSTALLED_APPS).
        from two_factor.plugins.registry import registry

        from runclub.accounts.methods import AppMethod, PasskeyMethod

        for method in (AppMethod(), PasskeyMethod()):
            registry.unregister(method.code)
            registry.register(method)


class TwoFactorConfig(totp_apps.DefaultConfig):
    """django-otp's TOTP devices, under a name organisers recognise in the admin."""

    verbose_name = _("Two-factor sign-in")
