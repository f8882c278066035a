"""The Today screen: the admin's first page, where an organiser's run day starts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse

from attendance import failures, live, wording
from calendar_app import wording as calendar_wording
from calendar_app.forms import DayForm
from calendar_app.models import Run, Term, club_today
from calendar_app.services import calendar_day
from runclub.accounts import twofactor
from runclub.accounts.roles import can_edit_calendar

# How many runs each of the "coming up" and "last runs" lists shows.
SHOWN = 5


@dataclass
class TodayScreen:
    date: dt.date
    run: Run | None  # today's, with_counts()
    upcoming: list[Run]
    recent: list[Run]
    # One line each under today's count (for instance failed check-in attempts), in order.
    summary: list[str] = field(default_factory=list)
    term: TermSoFar | None = None

    @property
    def next_run(self) -> Run | None:
        return next((run for run in self.upcoming if run.is_active), None)


@dataclass(frozen=True)
class TermSoFar:
    """This term (the one today falls in, or the last one) as Today sums it up."""

    term: Term
    progress: str  # "week 7 of 11", "ended Friday 11 December"
    figures: str  # "13 runs, 412 check-ins": runs held so far and their check-ins


def term_so_far(today: dt.date) -> TermSoFar | None:
    term = Term.current(today)
    if term is None:
        return None
    held = term.runs().active().filter(date__lte=today)
    counts = held.aggregate(runs=Count("pk", distinct=True), checkins=Count("attendances"))
    figures = calendar_wording.term_runs(counts["runs"], counts["checkins"])
    return TermSoFar(term, term.progress(today), figures)


def today_screen(today: dt.date) -> TodayScreen:
    runs = Run.objects.with_counts()
    run = runs.filter(date=today).first()
    return TodayScreen(
        date=today,
        run=run,
        upcoming=list(runs.filter(date__gt=today).order_by("date")[:SHOWN]),
        recent=list(runs.filter(date__lt=today).order_by("-date")[:SHOWN]),
        summary=wording.refused_checkins(run, failures.tallies(run)) if run is not None else [],
        term=term_so_far(today),
    )


def today_context(request: HttpRequest) -> dict[str, Any]:
    today = club_today()
    screen = today_screen(today)
    context: dict[str, Any] = {
        "today": screen,
        "can_edit": can_edit_calendar(request.user),
        # Where the club leaves the second step to each organiser, Today asks those without it.
        "suggest_two_factor": request.user.is_authenticated
        and twofactor.mode() == twofactor.OPTIONAL
        and not twofactor.second_factors(request.user),
        **live.follow_day(),
    }
    if screen.run is not None and screen.run.is_active:
        context.update(live=live.snapshot(), show_names=False, ws_path=live.WS_PATH)
    elif context["can_edit"]:
        starts_at, place = calendar_day(today, today).suggested()
        initial = {"starts_at": starts_at, "place": place, "next": reverse("admin:index")}
        context["open_form"] = DayForm(initial=initial)
    return context
