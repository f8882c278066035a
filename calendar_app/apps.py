from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CalendarAppConfig(AppConfig):
    name = "calendar_app"
    verbose_name = _("Calendar")

    def ready(self) -> None:
        from calendar_app.models import Run
        from calendar_app.signals import forget_run

        post_save.connect(forget_run, sender=Run, dispatch_uid="forget_run_saved")
        post_delete.connect(forget_run, sender=Run, dispatch_uid="forget_run_deleted")
