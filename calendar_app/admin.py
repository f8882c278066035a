from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html

from attendance import export, failures, live
from attendance.admin import CheckinFormSet
from attendance.forms import AttendanceForm
from attendance.models import Attendance
from calendar_app import views
from calendar_app.forms import time_input
from calendar_app.models import DayChange, Run, club_today, upcoming_first


class AttendanceInline(admin.TabularInline):
    model = Attendance
    form = AttendanceForm
    formset = CheckinFormSet
    fields = ["runner_name", "registered_at"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attendance]:
        # Each row's change link names its run: one query, not one per check-in.
        return super().get_queryset(request).select_related("run")


class RunForm(forms.ModelForm):
    confirm_cancel = forms.BooleanField(
        label="Yes, cancel it",
        required=False,
        help_text="Needed to cancel today's run, or a run people checked in to.",
    )

    class Meta:
        model = Run
        fields = ["date", "starts_at", "place", "is_active"]
        widgets = {"starts_at": time_input()}

    def clean(self) -> dict[str, object]:
        data = super().clean()
        # Unticking "active" here cancels as the calendar does, and asks the same question.
        cancelling = self.instance.pk and self.instance.is_active and data.get("is_active") is False
        if cancelling and not data.get("confirm_cancel"):
            question = (
                Run.objects.with_counts().get(pk=self.instance.pk).question_before(DayChange.CANCEL)
            )
            if question:
                self.add_error(
                    "is_active", f"{question} Tick “Yes, cancel it” to cancel it anyway."
                )
        return data


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    form = RunForm
    list_display = ["day", "starts_at", "place", "is_active", "checkin_count", "qr_link"]
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

    def get_ordering(self, request: HttpRequest) -> list[OrderBy]:
        return upcoming_first(club_today())

    @admin.display(description="date", ordering="date")
    def day(self, run: Run) -> str:
        if run.date == club_today():
            return format_html(
                '<strong>{}</strong> <span class="rc-badge">today</span>',
                date_format(run.date),
            )
        return date_format(run.date)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("calendar/", wrap(views.calendar_this_month), name="calendar_app_run_calendar"),
            path(
                "calendar/<int:year>/<int:month>/",
                wrap(views.calendar_month),
                name="calendar_app_run_calendar_month",
            ),
            path("calendar/day/", wrap(views.change), name="calendar_app_run_calendar_day"),
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
