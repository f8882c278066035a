"""Organisers' pages inside the admin: paper lists, likely duplicates, undoing a merge, a
runner's records."""

from __future__ import annotations

import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from attendance import members, records, wording
from attendance.adminlog import log_records_download
from attendance.models import Attendance, Member, Runner, RunnerName
from attendance.services import (
    CannotMerge,
    PaperListClosed,
    PaperListResult,
    add_paper_list,
    merge_runners,
    split_name,
)
from attendance.variants import likely_variants
from calendar_app.models import Run, club_today
from runclub.lib.http import row_id

# A sign-in sheet, pasted: a club's biggest run fits many times over.
PAPER_LIST_MAX_LINES = 2000


class PaperListForm(forms.Form):
    names = forms.CharField(
        label=_("Names, one a line"),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 50, "spellcheck": "false"}),
        max_length=PAPER_LIST_MAX_LINES * 300,
        help_text=_("Paste a column from a spreadsheet or type them in. Blank lines are skipped."),
    )

    def clean_names(self) -> str:
        text: str = self.cleaned_data["names"]
        if len(text.splitlines()) > PAPER_LIST_MAX_LINES:
            raise forms.ValidationError(
                wording.too_many_lines(PAPER_LIST_MAX_LINES), code="too_long"
            )
        return text


def paper_list(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run's "Add check-ins from a list": for the day the signal died and paper came out."""
    if not request.user.has_perm("attendance.add_attendance"):
        raise PermissionDenied
    run = get_object_or_404(Run, pk=run_id)
    form = PaperListForm(request.POST or None)
    result = refused = None
    if request.method == "POST" and form.is_valid():
        try:
            result = add_paper_list(run, form.cleaned_data["names"])
        except PaperListClosed as closed:
            refused = wording.paper_list_closed(closed.run, closed.state)
        else:
            form = PaperListForm()
    context = {
        **admin.site.each_context(request),
        "title": wording.paper_list_title(run),
        "opts": Attendance._meta,
        "run": run,
        "form": form,
        "result": result,
        "said": _paper_list_said(result) if result else None,
        "refused": refused,
        "today": club_today(),
        "member_numbers": members.enabled(),
        "numbers_only": members.mode() == members.ONLY,
    }
    return render(
        request, "attendance/admin/paper_list.html", context, status=400 if refused else 200
    )


def _paper_list_said(result: PaperListResult) -> dict[str, object]:
    return {
        "summary": wording.paper_list_summary(
            len(result.added), len(result.already_in), len(result.refused)
        ),
        "already_in": [wording.typed_as(name, typed) for name, typed in result.already_in],
    }


def variants(request: HttpRequest) -> HttpResponse:
    """Runners who are probably one person, side by side; merge the ones that are, in bulk."""
    if not request.user.has_perm("attendance.view_attendance"):
        raise PermissionDenied
    can_merge = request.user.has_perm("attendance.change_attendance")
    if request.method == "POST":
        if not can_merge:
            raise PermissionDenied
        return merge_groups(request)
    groups, total = likely_variants()
    context = {
        **admin.site.each_context(request),
        "title": wording.LIKELY_THE_SAME_RUNNER,
        "opts": Runner._meta,
        "groups": groups,
        "total": total,
        "can_merge": can_merge,
    }
    return render(request, "attendance/admin/variants.html", context)


def merge_groups(request: HttpRequest) -> HttpResponse:
    """Each group posted: the runners ticked go into the one chosen to keep."""
    merged = 0
    # admin_view lets only logged-in staff in.
    assert request.user.is_authenticated
    for field, value in request.POST.items():
        # A parsed form's values are strings (an empty list only in a hand-built QueryDict).
        if not field.startswith("keep-") or not isinstance(value, str):
            continue
        group = field.removeprefix("keep-")
        ticked = {pk for pk in request.POST.getlist(f"merge-{group}") if row_id(pk) is not None}
        if row_id(value) is None or not ticked - {value}:
            continue
        runners = {str(r.pk): r for r in Runner.objects.filter(pk__in=[*ticked, value])}
        keep = runners.get(value)
        if keep is None:
            continue
        others = [runners[pk] for pk in ticked if pk in runners and pk != value]
        try:
            result = merge_runners(keep, others, request.user)
        except CannotMerge as refused:
            said = wording.cannot_merge(refused.refusal, *refused.names)
            messages.error(request, wording.about_runner(keep.name, said))
            continue
        merged += len(result.names)
        said = wording.merged(result.names, result.moved, result.doubled)
        messages.success(request, wording.about_runner(keep.name, said))
    if not merged:
        messages.warning(request, wording.NOTHING_TICKED)
    return redirect(reverse("admin:attendance_runner_variants"))


def split(request: HttpRequest, name_id: int) -> HttpResponse:
    """Undo a merge for one way of writing a name (asks first)."""
    if not request.user.has_perm("attendance.change_attendance"):
        raise PermissionDenied
    runner_name = get_object_or_404(RunnerName.objects.select_related("runner"), pk=name_id)
    runner = runner_name.runner
    if request.method == "POST":
        if runner.names.count() < 2:
            messages.error(request, wording.ONLY_NAME)
            return redirect("admin:attendance_runner_change", runner.pk)
        spelling = runner_name.spelling()
        new = split_name(runner_name)
        messages.success(request, wording.unmerged(spelling, new.attendances.count()))
        return redirect("admin:attendance_runner_change", new.pk)
    context = {
        **admin.site.each_context(request),
        "title": wording.MAKE_A_RUNNER_OF_ITS_OWN,
        "opts": Runner._meta,
        "runner": runner,
        "runner_name": runner_name,
    }
    return render(request, "attendance/admin/split_confirm.html", context)


def runner_records(request: HttpRequest, runner_id: int, kind: str) -> HttpResponse:
    """``.../runner/<id>/records.csv`` or ``.json``: everything held about one runner, for
    their request; logged without their name."""
    if not request.user.has_perm("attendance.view_attendance"):
        raise PermissionDenied
    runner = get_object_or_404(Runner, pk=runner_id, anonymised=False)
    data = records.records(runner)
    assert request.user.is_authenticated  # admin_view lets only logged-in staff in
    log_records_download(request.user, kind.upper(), len(data["checkins"]))
    name = f"runner-{runner.pk}-records-{club_today():%Y-%m-%d}.{kind}"
    if kind == "json":
        response: HttpResponse = JsonResponse(
            data, json_dumps_params={"indent": 2, "ensure_ascii": False}
        )
    else:
        response = HttpResponse(records.as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class MemberListForm(forms.Form):
    file = forms.FileField(
        label=_("The member list (CSV)"),
        help_text=_(
            "A header line, with columns called number and name (any order; other columns "
            "are ignored). Saved from a spreadsheet as CSV UTF-8."
        ),
    )


def import_member_list(request: HttpRequest) -> HttpResponse:
    """Members > Import the member list: the students' union's CSV, added and updated."""
    if not request.user.has_perm("attendance.add_member"):
        raise PermissionDenied
    form = MemberListForm(request.POST or None, request.FILES or None)
    result = problem = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            result = members.import_members(io.StringIO(text, newline=""))
        except UnicodeDecodeError:
            problem = str(wording.NOT_UTF8)
        except members.MemberListError as error:
            problem = str(error)
        else:
            form = MemberListForm()
    context = {
        **admin.site.each_context(request),
        "title": wording.IMPORT_THE_MEMBER_LIST,
        "opts": Member._meta,
        "form": form,
        "result": result,
        "problem": problem,
    }
    status = 400 if problem or form.errors else 200
    return render(request, "attendance/admin/member_import.html", context, status=status)
