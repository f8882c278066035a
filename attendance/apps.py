from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from attendance import live
        from attendance.models import Attendance

        post_save.connect(live.attendance_changed, sender=Attendance, dispatch_uid="live-save")
        post_delete.connect(live.attendance_changed, sender=Attendance, dispatch_uid="live-delete")
