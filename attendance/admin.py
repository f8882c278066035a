from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.formats import date_format

from attendance import export, views
from attendance.live import checkins_changed
from attendance.models import Attendance, duplicate_message
from attendance.names import name_key
from attendance.services import erase_runners
from calendar_app.admin import RunAdmin
from calendar_app.models import Run, club_today


class RunFilter(admin.SimpleListFilter):
    """Any run by ``?run=<id>`` (the run list links here); in the sidebar, today's run and
    the latest runs that have check-ins (never future ones, which have none).
    """

    title = "run"
    parameter_name = "run"
    shown = 12

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        today = club_today()
        checked_in = Exists(Attendance.objects.filter(run=OuterRef("pk")))
        runs = (
            Run.objects.filter(date__lte=today)
            .filter(Q(date=today) | Q(checked_in))
            .order_by("-date")[: self.shown]
        )
        return [
            (str(run.pk), ("Today, " if run.date == today else "") + date_format(run.date))
            for run in runs
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Attendance]) -> QuerySet:
        value = self.value()
        if value is None:
            return queryset
        # A run id, or nothing: the database cannot even compare a 30-digit number.
        is_id = value.isdigit() and len(value) <= 18
        return queryset.filter(run_id=int(value)) if is_id else queryset.none()


class CheckinFormSet(BaseInlineFormSet):
    """A run's check-ins edited on its page: two rows with the same name are refused too."""

    def clean(self) -> None:
        super().clean()
        first_with: dict[str, str] = {}
        for form in self.forms:
            name = getattr(form, "cleaned_data", {}).get("runner_name")
            if not name or (self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME)):
                continue
            key = name_key(name)
            if key in first_with:
                form.add_error("runner_name", duplicate_message(first_with[key]))
            else:
                first_with[key] = name


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["runner_name", "run_date", "registered_at"]
    ordering = ["-registered_at", "-pk"]
    list_filter = [RunFilter, "run__date", "run__is_active"]
    list_select_related = ["run"]
    search_fields = ["name_key"]
    search_help_text = "A runner's name, in any case or spacing."
    fields = ["run", "runner_name", "registered_at"]
    raw_id_fields = ["run"]
    actions = ["export_csv", "erase_runners"]
    change_list_template = "attendance/admin/attendance_change_list.html"
    erase_at_most = 20

    def get_urls(self) -> list[URLPattern]:
        history = self.admin_site.admin_view(views.history)
        return [path("history/", history, name="attendance_history"), *super().get_urls()]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Attendance], search_term: str
    ) -> tuple[QuerySet[Attendance], bool]:
        # Search as the duplicate rule compares: "ANA  silva" finds "Ana Silva".
        return super().get_search_results(request, queryset, name_key(search_term))

    def save_model(
        self, request: HttpRequest, obj: Attendance, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        checkins_changed()

    def delete_model(self, request: HttpRequest, obj: Attendance) -> None:
        super().delete_model(request, obj)
        checkins_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Attendance]) -> None:
        super().delete_queryset(request, queryset)
        checkins_changed()

    @admin.display(description="run", ordering="run__date")
    def run_date(self, attendance: Attendance) -> str:
        return date_format(attendance.run.date)

    @admin.action(description="Export the selected check-ins as CSV", permissions=["view"])
    def export_csv(
        self, request: HttpRequest, queryset: QuerySet[Attendance]
    ) -> StreamingHttpResponse:
        return export.csv_response(request, queryset, "selected")

    @admin.action(
        description="Erase the selected runners: every check-in of their names, on every run",
        permissions=["delete"],
    )
    def erase_runners(
        self, request: HttpRequest, queryset: QuerySet[Attendance]
    ) -> HttpResponse | None:
        keys = sorted(set(queryset.values_list("name_key", flat=True)))
        if len(keys) > self.erase_at_most:
            self.message_user(
                request,
                f"Erasing is for one person's request: select at most {self.erase_at_most} "
                f"runners at once (this selection has {len(keys)}). Nothing was erased.",
                messages.ERROR,
            )
            return None
        if request.POST.get("confirm") != "yes":
            runners = (
                Attendance.objects.filter(name_key__in=keys)
                .values("name_key")
                .annotate(name=Min("runner_name"), checkins=Count("pk"))
                .order_by("name_key")
            )
            context = {
                **self.admin_site.each_context(request),
                "title": "Erase runners",
                "opts": self.model._meta,
                "runners": runners,
                "selected": queryset.values_list("pk", flat=True),
                "action": "erase_runners",
            }
            return TemplateResponse(request, "attendance/admin/erase_confirm.html", context)
        content_type = ContentType.objects.get_for_model(Attendance)
        with transaction.atomic():
            for key in keys:
                deleted = erase_runners([key])
                # The log says that a runner was erased, never who: keeping the
                # name here would undo the erasure.
                LogEntry.objects.create(
                    user_id=cast(int, request.user.pk),  # the admin is for logged-in staff
                    content_type=content_type,
                    object_repr="an erased runner",
                    action_flag=DELETION,
                    change_message=f"Erased a runner: {deleted} check-ins deleted on request.",
                )
        self.message_user(
            request, f"Erased {len(keys)} runner(s) and all their check-ins.", messages.SUCCESS
        )
        return None


class AttendanceInline(admin.TabularInline):
    model = Attendance
    formset = CheckinFormSet
    fields = ["runner_name", "registered_at"]
    extra = 0
    show_change_link = True


class RunWithCheckinsAdmin(RunAdmin):
    """The calendar's run admin, with each run's check-ins: they are this app's to show."""

    inlines = [AttendanceInline]
    actions = ["export_csv"]

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        checkins_changed()

    def delete_model(self, request: HttpRequest, obj: Run) -> None:
        super().delete_model(request, obj)
        checkins_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Run]) -> None:
        super().delete_queryset(request, queryset)
        checkins_changed()

    @admin.action(
        description="Export the check-ins of the selected runs as CSV", permissions=["view"]
    )
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Run]) -> StreamingHttpResponse:
        return export.csv_response(
            request, Attendance.objects.filter(run__in=queryset.values("pk")), "selected-runs"
        )


admin.site.unregister(Run)
admin.site.register(Run, RunWithCheckinsAdmin)
