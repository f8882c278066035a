from __future__ import annotations

from django.apps import AppConfig


class RunclubConfig(AppConfig):
    name = "runclub"
    verbose_name = "runclub"
