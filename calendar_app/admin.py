from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.db.models.expressions import Combinable
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from calendar_app import views, wording
from calendar_app.days import DayChange
from calendar_app.forms import date_input, time_input
from calendar_app.models import (
    Run,
    RunQuerySet,
    Term,
    TermQuerySet,
    club_today,
    upcoming_first,
)
from calendar_app.services import save_run
from runclub.lib.admin import ClubModelAdmin


class RunForm(forms.ModelForm):
    confirm_cancel = forms.BooleanField(
        label=_("Yes, cancel it"),
        required=False,
        help_text=_("Needed to cancel today's run, or a run people checked in to."),
    )

    class Meta:
        model = Run
        fields = ["date", "starts_at", "place", "is_active"]
        widgets = {"starts_at": time_input()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Unticking "active" here cancels as the calendar does, and asks the same question.
        cancelling = self.instance.pk and self.instance.is_active and data.get("is_active") is False
        if cancelling and not data.get("confirm_cancel"):
            run = Run.objects.with_counts().get(pk=self.instance.pk)
            caution = run.caution_before(DayChange.CANCEL)
            if caution is not None:
                self.add_error("is_active", wording.cancel_anyway(caution, run.checkin_count))
        return data


class TermFilter(admin.SimpleListFilter):
    """Runs of one term, newest terms first."""

    title = _("term")
    parameter_name = "term"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(str(pk), name) for pk, name in Term.objects.values_list("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Run]) -> QuerySet[Run]:
        value = self.value()
        if not value:
            return queryset
        term = Term.objects.filter(pk=value).first() if value.isdecimal() else None
        if term is None:
            return queryset.none()
        return queryset.filter(date__range=(term.first, term.last))


class RunAdmin(ClubModelAdmin):
    """Run days: the calendar's list and pages. Registered once, with the check-ins the
    attendance app shows on each run, by ``runclub/admin.py``."""

    form = RunForm
    list_display = ["day", "starts_at", "place", "is_active", "checkin_count", "qr_link"]
    list_filter = [TermFilter, "is_active", "date"]
    search_fields = ["place"]
    date_hierarchy = "date"
    change_list_template = "calendar_app/admin/run_change_list.html"

    def save_model(self, request: HttpRequest, obj: Run, form: Any, change: bool) -> None:
        save_run(obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Run]:
        # The default manager is RunQuerySet.as_manager().
        return cast(RunQuerySet, super().get_queryset(request)).with_counts()

    # Django orders by expressions too; django-stubs 5.2 types an admin's ordering as names.
    def get_ordering(self, request: HttpRequest) -> list[str | Combinable]:  # type: ignore[override]
        return [*upcoming_first(club_today())]

    @admin.display(description=_("date"), ordering="date")
    def day(self, run: Run) -> str:
        if run.date == club_today():
            return format_html(
                '<strong>{}</strong> <span class="rc-badge">{}</span>',
                date_format(run.date),
                wording.TODAY,
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

    @admin.display(description=_("check-ins"), ordering="checkin_count")
    def checkin_count(self, run: Run) -> str:
        url = reverse("admin:attendance_attendance_changelist") + f"?run={run.pk}"
        return format_html('<a href="{}">{}</a>', url, run.checkin_count)

    @admin.display(description=_("QR code"))
    def qr_link(self, run: Run) -> str:
        return format_html('<a href="{}">{}</a>', run.qr_path(), wording.QR_CODE)


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["name", "first", "last"]
        widgets = {"first": date_input(), "last": date_input()}


@admin.register(Term)
class TermAdmin(ClubModelAdmin):
    form = TermForm
    list_display = ["name", "first", "last", "runs", "report"]
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Term]:
        return cast(TermQuerySet, super().get_queryset(request)).with_run_counts()

    @admin.display(description=_("run days"), ordering="run_count")
    def runs(self, term: Term) -> str:
        url = reverse("admin:calendar_app_run_changelist") + f"?term={term.pk}"
        return format_html('<a href="{}">{}</a>', url, term.run_count)

    @admin.display(description=_("report"))
    def report(self, term: Term) -> str:
        # The report reads check-ins, so the attendance app serves it.
        url = reverse("admin:attendance_term_report", args=[term.pk])
        return format_html('<a href="{}">{}</a>', url, wording.TERM_REPORT)
