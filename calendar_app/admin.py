from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from attendance import export, failures, live
from attendance.forms import AttendanceForm
from attendance.models import Attendance
from calendar_app import views
from calendar_app.models import Run


class AttendanceInline(admin.TabularInline):
    model = Attendance
    form = AttendanceForm
    fields = ["runner_name", "registered_at"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attendance]:
        # Each row's change link names its run: one query, not one per check-in.
        return super().get_queryset(request).select_related("run")


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["date", "starts_at", "place", "is_active", "checkin_count", "qr_link"]
    list_filter = ["is_active", "date"]
    search_fields = ["place"]
    date_hierarchy = "date"
    inlines = [AttendanceInline]
    actions = ["export_csv"]
    change_list_template = "calendar_app/admin/run_change_list.html"
    change_form_template = "calendar_app/admin/run_change_form.html"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, object] | None = None,
    ) -> HttpResponse:
        # Refused check-ins around this run, and the paper list (attendance's pages).
        run = self.get_object(request, object_id)
        extra = {"refused_checkins": failures.summary_lines(run)} if run is not None else {}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Run]:
        return super().get_queryset(request).with_counts()

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

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        live.checkins_changed()

    @admin.display(description="check-ins", ordering="checkin_count")
    def checkin_count(self, run: Run) -> str:
        url = reverse("admin:attendance_attendance_changelist") + f"?run={run.pk}"
        return format_html('<a href="{}">{}</a>', url, run.checkin_count)

    @admin.display(description="QR code")
    def qr_link(self, run: Run) -> str:
        return format_html('<a href="{}">QR code</a>', run.qr_path())

    @admin.action(
        description="Export the check-ins of the selected runs as CSV", permissions=["view"]
    )
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Run]) -> StreamingHttpResponse:
        return export.csv_response(
            request, Attendance.objects.filter(run__in=queryset.values("pk")), "selected-runs"
        )
