from __future__ import annotations

from django.apps import AppConfig


class QrcodesConfig(AppConfig):
    name = "qrcodes"
    verbose_name = "QR codes"
