from __future__ import annotations

from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig


class RunclubConfig(AppConfig):
    name = "runclub"
    verbose_name = "runclub"


class TwoFactorConfig(DefaultConfig):
    """django-otp's TOTP devices, under a name organisers recognise in the admin."""

    verbose_name = "Two-factor sign-in"
