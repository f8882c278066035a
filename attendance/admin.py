from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import dateformat
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from attendance import admin_views, export, failures, members, views, wording
from attendance.adminlog import log_erasure
from attendance.forms import AttendanceForm, RunnerForm
from attendance.models import (
    ANONYMISED,
    Attendance,
    Member,
    Runner,
    RunnerName,
    RunnerQuerySet,
    stored_key,
)
from attendance.names import name_key
from attendance.services import (
    CannotMerge,
    delete_checkins,
    delete_runs,
    erase_runners,
    merge_runners,
    save_checkin,
    save_runner,
)
from calendar_app.admin import RunAdmin
from calendar_app.models import Run, club_today
from runclub.lib.admin import ClubModelAdmin
from runclub.lib.http import row_id

if TYPE_CHECKING:
    # ModelAdmin's own return types in django-stubs: a list display may hold callables,
    # fields may be grouped in rows.
    from django.contrib.admin.options import _FieldGroups, _ListDisplayT


class RunFilter(admin.SimpleListFilter):
    """Any run by ``?run=<id>`` (the run list links here); in the sidebar, today's run and
    the latest runs that have check-ins (never future ones, which have none).
    """

    title = _("run")
    parameter_name = "run"
    field = "run_id"
    shown = 12

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        today = club_today()
        checked_in = Exists(Attendance.objects.filter(run=OuterRef("pk")))
        runs = (
            Run.objects.filter(date__lte=today)
            .filter(Q(date=today) | Q(checked_in))
            .order_by("-date")[: self.shown]
        )
        return [(str(run.pk), _shown_run(run.date, today)) for run in runs]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Attendance]) -> QuerySet:
        value = self.value()
        if value is None:
            return queryset
        pk = row_id(value)
        return queryset.none() if pk is None else queryset.filter(**{self.field: pk})


def _shown_run(day: dt.date, today: dt.date) -> str:
    return wording.todays_run(date_format(day)) if day == today else date_format(day)


class RunnerFilter(RunFilter):
    """One runner's check-ins by ``?runner=<id>`` (the runner list links here)."""

    title = _("runner")
    parameter_name = "runner"
    field = "runner_id"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        # Shown (and so applied) only while a runner is asked for.
        value = self.value()
        if value is None:
            return []
        pk = row_id(value)
        runner = None if pk is None else Runner.objects.filter(pk=pk).first()
        return [(value, runner.name if runner else str(_("no such runner")))]


def search_runners(queryset: QuerySet, search_term: str, prefix: str = "") -> QuerySet:
    """Runners (or their check-ins) whose name, in any spelling they used, contains the term.

    Compared as the duplicate rule compares names ("ANA  silva" finds "Ana Silva"); a
    member number matches whole.
    """
    key = name_key(search_term)
    if not key:
        return queryset
    found = Runner.objects.filter(
        Q(names__name_key__contains=key) | Q(member_number=search_term.strip().upper())
    )
    return queryset.filter(**{f"{prefix}pk__in": found.values("pk")})


class CheckinFormSet(BaseInlineFormSet):
    """A run's check-ins edited on its page: two rows with the same name are refused too.

    Rows are saved by their form (``AttendanceForm``) and deleted by the service, which
    announce the change.
    """

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # A row's inputs have no labels of their own in a table (Django's tabular inline).
        say = wording.CHECKIN_ROW
        form.fields["runner_name"].widget.attrs["aria-label"] = say["runner_name"]
        date, time = cast(forms.MultiWidget, form.fields["registered_at"].widget).widgets
        date.attrs["aria-label"], time.attrs["aria-label"] = say["date"], say["time"]
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].widget.attrs["aria-label"] = say["delete"]

    def delete_existing(self, obj: Attendance, commit: bool = True) -> None:
        if commit:
            delete_checkins(Attendance.objects.filter(pk=obj.pk))

    def clean(self) -> None:
        super().clean()
        first_with: dict[object, str] = {}
        for form in self.forms:
            name = getattr(form, "cleaned_data", {}).get("runner_name")
            if not name or (self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME)):
                continue
            # The same runner: a known one under any of their names, or a new name twice.
            runner = Runner.objects.named(name).values_list("pk", flat=True).first()
            who = ("runner", runner) if runner is not None else ("name", stored_key(name))
            if who in first_with:
                form.add_error("runner_name", wording.duplicate(first_with[who]))
            else:
                first_with[who] = name


@admin.register(Attendance)
class AttendanceAdmin(ClubModelAdmin):
    form = AttendanceForm
    list_display = ["name_as_typed", "runner_link", "run_date", "registered_at"]
    ordering = ["-registered_at", "-pk"]
    list_filter = [RunFilter, RunnerFilter, "run__date", "run__is_active"]
    list_select_related = ["run", "runner"]
    search_fields = ["runner_name"]
    search_help_text = _("A runner's name (any spelling they used, any case) or member number.")
    fields = ["run", "runner_name", "registered_at"]
    raw_id_fields = ["run"]
    actions = ["export_csv", "erase_runners"]
    change_form_template = "attendance/admin/checkin_change_form.html"
    change_list_template = "attendance/admin/attendance_change_list.html"
    erase_at_most = 20

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("history/", wrap(views.history), name="attendance_history"),
            path("term/<int:term_id>/", wrap(views.term_report), name="attendance_term_report"),
            path(
                "term/<int:term_id>/report.csv",
                wrap(views.term_report_csv),
                name="attendance_term_report_csv",
            ),
            path(
                "paper-list/<int:run_id>/",
                wrap(admin_views.paper_list),
                name="attendance_paper_list",
            ),
            *super().get_urls(),
        ]

    def get_list_display(self, request: HttpRequest) -> _ListDisplayT[Attendance]:
        shown = list(super().get_list_display(request))
        return [*shown, "member_number"] if members.enabled() else shown

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Attendance], search_term: str
    ) -> tuple[QuerySet[Attendance], bool]:
        return search_runners(queryset, search_term, "runner__"), False

    def save_model(
        self, request: HttpRequest, obj: Attendance, form: forms.ModelForm, change: bool
    ) -> None:
        save_checkin(obj, form.changed_data)

    def delete_model(self, request: HttpRequest, obj: Attendance) -> None:
        delete_checkins(Attendance.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Attendance]) -> None:
        delete_checkins(queryset)

    @admin.display(description=_("run"), ordering="run__date")
    def run_date(self, attendance: Attendance) -> str:
        return date_format(attendance.run.date)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A name given back to an anonymised check-in would undo the retention period.
        if obj is not None and obj.runner.anonymised:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("runner name"), ordering="runner_name")
    def name_as_typed(self, attendance: Attendance) -> str:
        return attendance.runner_name or ANONYMISED

    @admin.display(description=_("runner"), ordering="runner__name")
    def runner_link(self, attendance: Attendance) -> str:
        if attendance.runner.anonymised:
            return ANONYMISED
        url = reverse("admin:attendance_runner_change", args=[attendance.runner_id])
        return format_html('<a href="{}">{}</a>', url, attendance.runner.name)

    @admin.display(description=_("member number"), ordering="runner__member_number")
    def member_number(self, attendance: Attendance) -> str:
        return attendance.runner.member_number or ""

    @admin.action(description=_("Export the selected check-ins as CSV"), permissions=["view"])
    def export_csv(
        self, request: HttpRequest, queryset: QuerySet[Attendance]
    ) -> StreamingHttpResponse:
        return export.csv_response(request, queryset, "selected")

    @admin.action(
        description=_("Erase the selected runners: every check-in of theirs, on every run"),
        permissions=["delete"],
    )
    def erase_runners(
        self, request: HttpRequest, queryset: QuerySet[Attendance]
    ) -> HttpResponse | None:
        runner_ids = set(queryset.values_list("runner_id", flat=True))
        return erase_selected(self, request, runner_ids, "attendance_attendance_changelist")


def erase_selected(
    model_admin: admin.ModelAdmin, request: HttpRequest, runner_ids: set[int], back: str
) -> HttpResponse | None:
    """The erase action of the check-in and runner lists: confirm, erase, log without names."""
    most = AttendanceAdmin.erase_at_most
    if len(runner_ids) > most:
        model_admin.message_user(
            request,
            wording.too_many_to_erase(most, len(runner_ids)),
            messages.ERROR,
        )
        return None
    if request.POST.get("confirm") != "yes":
        runners = (
            Runner.objects.filter(pk__in=runner_ids)
            .annotate(checkins=Count("attendances"))
            .order_by("name")
        )
        context = {
            **model_admin.admin_site.each_context(request),
            "title": wording.ERASE_RUNNERS,
            "opts": model_admin.model._meta,
            "runners": runners,
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": request.POST.get("action"),
            "back": reverse(f"admin:{back}"),
        }
        return TemplateResponse(request, "attendance/admin/erase_confirm.html", context)
    assert request.user.is_authenticated  # admin_view lets only logged-in staff in
    for runner_id in sorted(runner_ids):
        log_erasure(request.user, erase_runners([runner_id]))
    model_admin.message_user(
        request,
        wording.erased(len(runner_ids)),
        messages.SUCCESS,
    )
    return None


class NameInline(admin.TabularInline):
    model = RunnerName
    fields = ["spelling", "split"]
    readonly_fields = ["spelling", "split"]
    extra = 0
    can_delete = False
    verbose_name = _("way of writing the name")
    verbose_name_plural = _("ways of writing the name (as the duplicate rule compares them)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("as typed"))
    def spelling(self, runner_name: RunnerName) -> str:
        return runner_name.spelling()

    @admin.display(description="")
    def split(self, runner_name: RunnerName) -> str:
        if runner_name.runner.names.count() < 2:
            return ""
        url = reverse("admin:attendance_runner_split", args=[runner_name.pk])
        return format_html('<a href="{}">{}</a>', url, wording.UNDO_A_MERGE)


class CheckinInline(admin.TabularInline):
    model = Attendance
    # A tuple: one value for both, which django-stubs types differently (a list fits one).
    fields = ("run", "runner_name", "registered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-run__date"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _day(day: dt.date | None) -> str:
    """A runner's first or last run in the runner list ("02 Dec 2026"), in the club's language."""
    return dateformat.format(day, "d M Y") if day else ""


@admin.register(Runner)
class RunnerAdmin(ClubModelAdmin):
    """Runners are made by check-ins; organisers rename, number, merge and erase them.

    Permissions follow the check-ins': whoever may change check-ins may change runners.
    """

    form = RunnerForm
    list_display = ["name", "spellings", "checkins", "first_run", "last_run"]
    search_help_text = _("A runner's name (any spelling they used, any case) or member number.")
    search_fields = ["name"]
    fields = ["name", "member_number"]
    inlines = [NameInline, CheckinInline]
    actions = ["merge", "erase"]
    change_list_template = "attendance/admin/runner_change_list.html"
    change_form_template = "attendance/admin/runner_change_form.html"

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("variants/", wrap(admin_views.variants), name="attendance_runner_variants"),
            path("split/<int:name_id>/", wrap(admin_views.split), name="attendance_runner_split"),
            *(
                path(
                    f"<int:runner_id>/records.{kind}",
                    wrap(admin_views.runner_records),
                    {"kind": kind},
                    name=f"attendance_runner_records_{kind}",
                )
                for kind in ("csv", "json")
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Runner]:
        # The default manager is RunnerManager, whose querysets are RunnerQuerySets. The
        # nameless remainders of anonymised check-ins are nobody to rename, merge or look up.
        runners = cast(RunnerQuerySet, super().get_queryset(request))
        return runners.filter(anonymised=False).with_counts()

    def get_list_display(self, request: HttpRequest) -> _ListDisplayT[Runner]:
        shown = list(super().get_list_display(request))
        return [*shown[:1], "member_number", *shown[1:]] if members.enabled() else shown

    def get_fields(self, request: HttpRequest, obj: Any = None) -> _FieldGroups:
        return (
            ["name", "member_number"]
            if members.enabled() or (obj and obj.member_number)
            else ["name"]
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Runner], search_term: str
    ) -> tuple[QuerySet[Runner], bool]:
        return search_runners(queryset, search_term), False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("attendance.view_attendance") or self.has_change_permission(
            request
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("attendance.change_attendance")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a runner is erasing them: the "Erase" action, which logs no name.
        return False

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("attendance.delete_attendance")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runners come from check-ins

    def save_model(self, request: HttpRequest, obj: Runner, form: Any, change: bool) -> None:
        save_runner(obj)

    @admin.display(description=_("ways written"), ordering="spelling_count")
    def spellings(self, runner: Runner) -> int:
        return runner.spelling_count  # type: ignore[attr-defined]

    @admin.display(description=_("check-ins"), ordering="checkin_count")
    def checkins(self, runner: Runner) -> str:
        url = reverse("admin:attendance_attendance_changelist") + f"?runner={runner.pk}"
        return format_html('<a href="{}">{}</a>', url, runner.checkin_count)  # type: ignore[attr-defined]

    @admin.display(description=_("first run"), ordering="first")
    def first_run(self, runner: Runner) -> str:
        return _day(runner.first)  # type: ignore[attr-defined]

    @admin.display(description=_("last run"), ordering="last")
    def last_run(self, runner: Runner) -> str:
        return _day(runner.last)  # type: ignore[attr-defined]

    @admin.action(description=_("Merge the selected runners into one"), permissions=["change"])
    def merge(self, request: HttpRequest, queryset: QuerySet[Runner]) -> HttpResponse | None:
        runners = list(
            queryset.annotate(checkin_total=Count("attendances")).order_by("-checkin_total", "pk")
        )
        if len(runners) < 2:
            self.message_user(request, wording.SELECT_TWO_TO_MERGE, messages.WARNING)
            return None
        keep_id = request.POST.get("keep", "")
        keep = next((r for r in runners if str(r.pk) == keep_id), None)
        if request.POST.get("confirm") != "yes" or keep is None:
            context = {
                **self.admin_site.each_context(request),
                "title": wording.MERGE_RUNNERS,
                "opts": self.model._meta,
                "runners": runners,
                "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
            }
            return TemplateResponse(request, "attendance/admin/merge_confirm.html", context)
        assert request.user.is_authenticated  # admin_view lets only logged-in staff in
        try:
            merged = merge_runners(keep, runners, request.user)
        except CannotMerge as refused:
            self.message_user(
                request, wording.cannot_merge(refused.refusal, *refused.names), messages.ERROR
            )
            return None
        said = wording.merged(merged.names, merged.moved, merged.doubled)
        self.message_user(request, wording.about_runner(keep.name, said), messages.SUCCESS)
        return redirect("admin:attendance_runner_change", keep.pk)

    @admin.action(
        description=_("Erase the selected runners and all their check-ins"), permissions=["erase"]
    )
    def erase(self, request: HttpRequest, queryset: QuerySet[Runner]) -> HttpResponse | None:
        ids = set(queryset.values_list("pk", flat=True))
        return erase_selected(self, request, ids, "attendance_runner_changelist")


class AttendanceInline(admin.TabularInline):
    model = Attendance
    form = AttendanceForm
    formset = CheckinFormSet
    fields = ["runner_name", "registered_at"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attendance]:
        # Each row's change link names its run: one query, not one per check-in. Anonymised
        # check-ins have no name to edit (the run's page counts them apart).
        return super().get_queryset(request).select_related("run").filter(runner__anonymised=False)


class RunWithCheckinsAdmin(RunAdmin):
    """The calendar's run admin, with each run's check-ins, their refusals and the paper
    list: they are this app's to show. The one admin of runs (``runclub/admin.py``
    registers it, where both apps are known)."""

    inlines = [AttendanceInline]
    actions = ["export_csv"]
    change_form_template = "attendance/admin/run_change_form.html"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, object] | None = None,
    ) -> HttpResponse:
        run = self.get_object(request, object_id)
        extra = (
            {
                "refused_checkins": wording.refused_checkins(run, failures.tallies(run)),
                "anonymised_checkins": run.attendances.filter(runner__anonymised=True).count(),
            }
            if run is not None
            else {}
        )
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def delete_model(self, request: HttpRequest, obj: Run) -> None:
        delete_runs(Run.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Run]) -> None:
        delete_runs(queryset)

    @admin.action(
        description=_("Export the check-ins of the selected runs as CSV"), permissions=["view"]
    )
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Run]) -> StreamingHttpResponse:
        return export.csv_response(
            request, Attendance.objects.filter(run__in=queryset.values("pk")), "selected-runs"
        )


@admin.register(Member)
class MemberAdmin(ClubModelAdmin):
    """The club's member list: imported from the students' union's CSV, not typed in."""

    list_display = ["number", "name", "listed_at"]
    search_fields = ["number", "name"]
    readonly_fields = ["listed_at"]
    change_list_template = "attendance/admin/member_change_list.html"

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(admin_views.import_member_list), name="attendance_member_import"),
            *super().get_urls(),
        ]
