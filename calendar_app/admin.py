from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from calendar_app import views
from calendar_app.models import Run, RunQuerySet


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["date", "starts_at", "place", "is_active", "checkin_count", "qr_link"]
    list_filter = ["is_active", "date"]
    search_fields = ["place"]
    date_hierarchy = "date"
    change_list_template = "calendar_app/admin/run_change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Run]:
        # The default manager is RunQuerySet.as_manager().
        return cast(RunQuerySet, super().get_queryset(request)).with_counts()

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("calendar/", wrap(views.calendar_this_month), name="calendar_app_run_calendar"),
            path(
                "calendar/<int:year>/<int:month>/",
                wrap(views.calendar_month),
                name="calendar_app_run_calendar_month",
            ),
            path(
                "calendar/toggle/", wrap(views.toggle_day), name="calendar_app_run_calendar_toggle"
            ),
            path("schedule/", wrap(views.schedule), name="calendar_app_run_schedule"),
            *super().get_urls(),
        ]

    @admin.display(description="check-ins", ordering="checkin_count")
    def checkin_count(self, run: Run) -> str:
        url = reverse("admin:attendance_attendance_changelist") + f"?run={run.pk}"
        return format_html('<a href="{}">{}</a>', url, run.checkin_count)

    @admin.display(description="QR code")
    def qr_link(self, run: Run) -> str:
        return format_html('<a href="{}">QR code</a>', run.qr_path())
