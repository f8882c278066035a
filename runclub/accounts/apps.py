from __future__ import annotations

from django.apps import AppConfig
from django_otp.plugins.otp_totp import apps as totp_apps


class AccountsConfig(AppConfig):
    default = True
    name = "runclub.accounts"
    label = "accounts"
    verbose_name = "Organisers' accounts"


class TwoFactorConfig(totp_apps.DefaultConfig):
    """django-otp's TOTP devices, under a name organisers recognise in the admin."""

    verbose_name = "Two-factor sign-in"
