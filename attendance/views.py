from __future__ import annotations

import datetime as dt
import functools
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import charts, export, failures, live, members, report, season, wording
from attendance.codes import TooManyWrongCodes, WrongCode, run_for_code
from attendance.cookies import (
    forget_phone,
    remember_name,
    remember_number,
    remember_runner,
    remembered_checkin,
    remembered_name,
    remembered_number,
    remembered_runner,
)
from attendance.forms import CheckInForm, ExportForm, HistoryForm
from attendance.history import history as attendance_history
from attendance.models import Attendance
from attendance.names import MAX_LENGTH, MESSAGES
from attendance.services import (
    AlreadyCheckedIn,
    CheckIn,
    CheckinClosed,
    check_in,
    runs_with_club,
    taken_by_number,
)
from calendar_app import feed as run_feed
from calendar_app import shortcodes
from calendar_app import wording as calendar_wording
from calendar_app.models import CheckinState, Run, Term, club_today
from calendar_app.shortcodes import spaced
from runclub.accounts.roles import can_see_names, names_required
from runclub.lib import backup
from runclub.lib.http import HtmxHttpRequest
from runclub.lib.ratelimits import (
    CHECKIN_PER_BROWSER,
    WRONG_CODE_LIMIT,
    Exceeded,
    window_seconds,
)

TEMPLATE = "attendance/checkin.html"
CODE_TEMPLATE = "attendance/enter_code.html"


def render_card(
    request: HtmxHttpRequest, run: Run, context: dict[str, object], status: int = 200
) -> HttpResponse:
    """``run``'s page, or only its check-in card when the page's script (or htmx) asks."""
    template = f"{TEMPLATE}#card" if request.htmx else TEMPLATE
    context = {
        **context,
        "run": run,
        "day": wording.run_day(run.date, run.starts_at),
        "rules": checkin_rules(),
        "privacy_line": privacy_line(),
    }
    return render(request, template, context, status=status)


def answer_links(own: bool) -> str:
    """The answer's way to the runner's season and to the club's calendar, as HTML: made once
    per process. ``own``: the phone's runner checked in (not someone else on their phone)."""
    return _answer_links(own)


@functools.cache
def _answer_links(own: bool) -> str:
    me = reverse("me")
    # To the season page's calendar card rather than the feed itself: it offers the feed the
    # way each phone takes it (a webcal:// link does nothing on Android).
    calendar = format_html(
        '<p class="calendar-line"><a href="{}#calendar">{}</a></p>',
        me,
        calendar_wording.ADD_TO_CALENDAR,
    )
    if not own:
        return calendar
    season = format_html(
        '<a class="button button-primary" href="{}">{}</a>', me, wording.YOUR_SEASON
    )
    return calendar + season


def privacy_line() -> str:
    """The privacy notice under the check-in button, as HTML: made once per wording."""
    return _privacy_line(wording.privacy_notice())


@functools.cache
def _privacy_line(notice: str) -> str:
    return format_html(
        '<p class="privacy-note">{} <a href="{}">{}</a></p>',
        notice,
        reverse("privacy"),
        wording.PRIVACY_LINK,
    )


# How many coming runs /me/ lists.
NEXT_RUNS = 3


@require_GET
@cache_control(private=True, no_cache=True)  # one phone's own page: never a shared cache's
def my_season(request: HttpRequest) -> HttpResponse:
    """``/me/``: the season of the runner whose phone this is; a friendly empty page for a
    phone that never checked in (or forgot). Nothing of anyone else, no id in the address."""
    runner = remembered_runner(request)
    today = club_today()
    context = {
        "season": season.season(runner, today) if runner is not None else None,
        "today": today,
        "next_runs": Run.coming(NEXT_RUNS),
        "feed": run_feed.links(),
        "streak_rule": wording.STREAK_RULE,
    }
    return render(request, "attendance/season.html", context)


@require_POST
def forget_this_phone(request: HttpRequest) -> HttpResponse:
    """ "Forget this phone": the runner cookie, the name and the number go; records stay."""
    messages.info(request, wording.FORGOTTEN)
    response = redirect("me")
    forget_phone(response)
    return response


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """``/privacy/``: what the club keeps about runners, for how long, and how to ask for it."""
    contact = settings.PRIVACY_CONTACT
    context = {
        "retention_period": wording.retention_period(),
        "retention_years": settings.RETENTION_YEARS,
        "contact": contact,
        "contact_href": _contact_href(contact),
        "member_number": members.label() if members.enabled() else None,
        # Copies hold names too: a name leaves the last of them this many days after it goes.
        "backup_days": backup.KEEP if settings.BACKUP_DAILY else None,
    }
    return render(request, "attendance/privacy.html", context)


def _contact_href(contact: str) -> str | None:
    if contact.startswith(("http://", "https://")):
        return contact
    if "@" in contact and " " not in contact:
        return f"mailto:{contact}"
    return None


# What the page's script judges of a name as it is typed; the rest is the server's to say.
PAGE_JUDGES = ("required", "max_length", "control_characters", "bidi_controls", "no_letters")


@functools.cache
def checkin_rules() -> str:
    """The form's data attributes that tell the page's script the name rules and what to say
    while it retries: the same words as the server's, from the one place they live."""
    rules = {
        "max-length": str(MAX_LENGTH),
        **{
            f"msg-{code.replace('_', '-')}": text
            for code, text in MESSAGES.items()
            if code in PAGE_JUDGES
        },
        **{f"say-{state}": text for state, text in wording.RETRYING.items()},
    }
    return format_html_join("", ' data-{}="{}"', rules.items())


@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request: HtmxHttpRequest, session_id: str) -> HttpResponse:
    """``/checkin/<token>/``: the long links on QR codes printed before short links."""
    try:
        failures.enforce_checkin_limits(request, session_id)
    except Exceeded as exceeded:
        return phone_limit_card(request, Run.for_checkin(session_id), exceeded)
    run = Run.for_checkin(session_id)
    if run is None:
        if request.method != "HEAD":
            failures.record(failures.Reason.FORGED)
        raise Http404("No run has that check-in link.")
    return checkin_page(request, run)


@require_http_methods(["GET", "HEAD", "POST"])
def checkin_by_code(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """``/c/<code>``: the check-in form itself, no redirect (one round trip less in a field)."""
    try:
        run = run_for_code(request, code)
    except (WrongCode, TooManyWrongCodes) as refused:
        return code_refused(request, spaced(code), refused)
    try:
        failures.enforce_checkin_limits(request, run.session_id)
    except Exceeded as exceeded:
        return phone_limit_card(request, run, exceeded)
    return checkin_page(request, run)


def phone_limit_card(request: HtmxHttpRequest, run: Run | None, exceeded: Exceeded) -> HttpResponse:
    """A phone past its own limit (a volunteer checking in friends): the form again with the
    name kept, saying how many it has checked in and how long to wait. Past the address's
    limit (a flood), the plain 429 page."""
    if exceeded.limit is not CHECKIN_PER_BROWSER or run is None:
        raise exceeded
    form = CheckInForm(request.POST)
    context = {
        "form": form,
        "for_other": request.POST.get("for_other") == "1",
        "member_number": _member_number_field(),
        "wait": wording.phone_limit(exceeded.allowed, exceeded.seconds_left),
        "wait_seconds": exceeded.seconds_left,
    }
    response = render_card(request, run, context, 429)
    response["Retry-After"] = str(exceeded.seconds_left)
    return response


def checkin_page(request: HtmxHttpRequest, run: Run) -> HttpResponse:
    """The check-in form (GET) and its answer (POST), whichever link led here."""
    context: dict[str, object] = {"member_number": _member_number_field()}
    if request.method != "POST":
        state = run.checkin_state()
        if state is not CheckinState.OPEN:
            if request.method == "GET":
                failures.record_closed(run, state)
            return closed_card(request, run, state)
        # "Check in someone else": an empty form, and the phone goes on remembering its owner.
        for_other = request.GET.get("other") == "1"
        mine = None if for_other else own_checkin(request, run)
        if mine is not None:
            return render_card(request, run, answer_context(mine, again=True))
        initial = {
            "runner_name": "" if for_other else remembered_name(request),
            "member_number": "" if for_other else remembered_number(request),
            "name_for": "" if for_other else remembered_number(request),
            "submission_id": uuid.uuid4(),
        }
        form = CheckInForm(initial=initial)
        return render_card(request, run, {**context, "form": form, "for_other": for_other})

    form = CheckInForm(request.POST)
    if not form.is_valid():
        for_other = form.cleaned_data.get("for_other", False)
        return render_card(request, run, {**context, "form": form, "for_other": for_other}, 400)
    name, number = form.cleaned_data["runner_name"], form.cleaned_data["member_number"]
    if members.mode() == members.ONLY:
        name = members.member_name(number) or (
            name if form.cleaned_data["name_for"] == number else ""
        )
        if not name:  # a number the list does not have: asked once, then remembered
            form = CheckInForm(initial={**form.cleaned_data, "runner_name": ""})
            context = {
                **context,
                "form": form,
                "for_other": form.initial["for_other"],
                "ask_name": wording.unlisted_number(number),
            }
            return render_card(request, run, context)
    try:
        result = check_in(run, name, form.cleaned_data["submission_id"], number)
    except CheckinClosed as closed:
        failures.record_closed(run, closed.state)
        return closed_card(request, run, closed.state)
    except AlreadyCheckedIn as duplicate:
        context = duplicate_context(request, duplicate, number)
        return render_card(
            request, run, {**context, "for_other": form.cleaned_data["for_other"]}, 409
        )
    own = not form.cleaned_data["for_other"]
    response = render_card(request, run, answer_context(result, own=own))
    if own:
        remember_runner(response, result.attendance)
        remember_name(response, name)
        if number is not None:
            remember_number(response, number)
    return response


def duplicate_context(
    request: HttpRequest, duplicate: AlreadyCheckedIn, number: str | None
) -> dict[str, object]:
    """The answer to a second check-in, naming no one unless this phone made the first."""
    taken = duplicate.attendance
    by_number = taken_by_number(taken, number)
    answer = wording.already_in(
        taken, mine=taken.pk == remembered_checkin(request), by_number=by_number
    )
    return {
        "answer": "duplicate",
        "outcome": answer.outcome,
        "advice": answer.advice,
        "by_number": by_number,
    }


def own_checkin(request: HttpRequest, run: Run) -> CheckIn | None:
    """This phone's runner's check-in to ``run``, when the phone remembers a runner who is in."""
    runner = remembered_runner(request)
    attendance = run.attendances.filter(runner=runner).first() if runner else None
    if attendance is None:
        return None
    number, count = attendance.number_and_count()
    return CheckIn(attendance, number, count, replayed=True)


def answer_context(result: CheckIn, again: bool = False, own: bool = True) -> dict[str, object]:
    """The "You're in" card: for the check-in just made, or (``again``) the phone's own
    check-in found when the page is opened again; ``own`` unless it was for someone else."""
    attendance = result.attendance
    outcome = (
        wording.in_already(attendance.runner_name, result.number, attendance.registered_at)
        if again
        else wording.checked_in(attendance.runner_name, result.number)
    )
    return {
        "answer": "ok",
        "outcome": outcome,
        "checkin": result,
        "runs_with_club": wording.runs_with_club(runs_with_club(attendance)),
        "next_run": wording.next_run(Run.next_after(attendance.run.date)),
        "answer_links": answer_links(own),
    }


def closed_card(request: HtmxHttpRequest, run: Run, state: CheckinState) -> HttpResponse:
    """A run that takes no check-ins now, and the next one that will, named on the page."""
    # From today on, whichever run this is: a cancelled run next week must not hide tonight's.
    upcoming = Run.next_after(club_today() - dt.timedelta(days=1))
    context = {
        "answer": "closed",
        "outcome": wording.checkin_state(run, state),
        "waiting": state is CheckinState.NOT_YET,  # a calm clock, not a red cross
        "next_run": None if upcoming == run else wording.next_run(upcoming),
    }
    return render_card(request, run, context, state.status_code)


@require_GET
def enter_code(request: HttpRequest) -> HttpResponse:
    """``/c/``: type the code shown at the run (camera broken, QR too far) to reach the form."""
    typed = request.GET.get("code")
    if typed is None:
        return render(request, CODE_TEMPLATE, {"privacy_line": privacy_line()})
    code = shortcodes.normalise(typed)
    if code is None:
        context = {"typed": typed, "problem": wording.malformed_code()}
        return render(
            request, CODE_TEMPLATE, {**context, "privacy_line": privacy_line()}, status=400
        )
    try:
        run = run_for_code(request, code)
    except (WrongCode, TooManyWrongCodes) as refused:
        return code_refused(request, typed, refused)
    return redirect(run.checkin_path())


def code_refused(request: HttpRequest, typed: str, refused: Exception) -> HttpResponse:
    """The code page again, saying why the code did not lead to a run."""
    if isinstance(refused, TooManyWrongCodes):
        context = {"typed": typed, "problem": wording.too_many_wrong_codes(), "wait": True}
        context["privacy_line"] = privacy_line()
        response = render(request, CODE_TEMPLATE, context, status=429)
        response["Retry-After"] = str(window_seconds(WRONG_CODE_LIMIT))
        return response
    context = {"typed": typed, "problem": wording.unknown_code(), "privacy_line": privacy_line()}
    return render(request, CODE_TEMPLATE, context, status=404)


def _member_number_field() -> dict[str, object] | None:
    """The form's second field, when the club asks for member numbers."""
    if not members.enabled():
        return None
    return {
        "label": members.label(),
        "required": members.mode() in (members.REQUIRED, members.ONLY),
        "only": members.mode() == members.ONLY,
        "numeric": members.numeric(),
        "help": settings.CHECKIN_MEMBER_NUMBER_HELP,
    }


def unknown_link(request: HttpRequest) -> HttpResponse:
    if request.method != "HEAD":
        failures.record(failures.Reason.FORGED)
    raise Http404("No run has that check-in link.")


def live_page(request: HttpRequest) -> HttpResponse:
    """Today's count as it grows; names only for those allowed to see them."""
    context = {
        "live": live.snapshot(),
        "show_names": can_see_names(request.user),
        "ws_path": live.WS_PATH,
    }
    return render(request, "attendance/live.html", context)


@require_GET
@names_required
def export_csv(request: HttpRequest) -> HttpResponseBase:
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            wording.export_refused(form.problems()) + "\n",
            content_type="text/plain; charset=utf-8",
        )
    return export.csv_response(request, form.attendances(), form.label())


def history(request: HttpRequest) -> HttpResponse:
    """The committee's charts over a date range (served inside the admin)."""
    if not can_see_names(request.user):
        raise PermissionDenied
    asked = HistoryForm(request.GET or None)
    first, last = asked.period()
    term = asked.chosen_term()
    form = asked.as_shown()
    data = attendance_history(first, last)
    new_and_returning, unit = charts.new_and_returning(data)
    context = {
        **admin.site.each_context(request),
        "title": wording.ATTENDANCE_HISTORY,
        "opts": Attendance._meta,
        "form": form,
        "history": data,
        "term": term,
        "charts": {
            "over_time": charts.over_time(data),
            "new_and_returning": new_and_returning,
            "by_weekday": charts.by_weekday(data),
            "regulars": charts.regulars(data),
        },
        "bar_unit": unit,
        "export_query": urlencode({"from": first, "to": last}),
    }
    status = 400 if form.errors else 200
    return render(request, "attendance/admin/history.html", context, status=status)


def term_report(request: HttpRequest, term_id: int) -> HttpResponse:
    """One term on one printable page, for the committee (served inside the admin)."""
    if not can_see_names(request.user):  # committee and organisers
        raise PermissionDenied
    data = report.term_report(get_object_or_404(Term, pk=term_id))
    term = data.term
    context = {
        **admin.site.each_context(request),
        "title": wording.term_report_title(term.name),
        "opts": Attendance._meta,
        "report": data,
        "turnout": charts.turnout(data.held),
        "by_weekday": charts.weekday_averages(data.weekdays),
        "export_query": urlencode({"from": term.first, "to": term.last}),
    }
    return render(request, "attendance/admin/term_report.html", context)


def term_report_csv(request: HttpRequest, term_id: int) -> HttpResponse:
    if not can_see_names(request.user):
        raise PermissionDenied
    data = report.term_report(get_object_or_404(Term, pk=term_id))
    response = HttpResponse(report.as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report.csv_filename(data)}"'
    return response
