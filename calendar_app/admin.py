from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from calendar_app.models import Run


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["date", "starts_at", "place", "is_active", "checkin_count", "qr_link"]
    list_filter = ["is_active"]
    date_hierarchy = "date"

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).with_counts()

    @admin.display(description="check-ins", ordering="checkin_count")
    def checkin_count(self, run: Run) -> int:
        return run.checkin_count

    @admin.display(description="QR code")
    def qr_link(self, run: Run) -> str:
        return format_html('<a href="{}">QR code</a>', run.qr_path())
