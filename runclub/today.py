"""The Today screen: the admin's first page, where an organiser's run day starts."""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from attendance import failures, live, wording
from calendar_app import wording as calendar_wording
from calendar_app.forms import DayForm
from calendar_app.models import Run, Term, club_today
from calendar_app.services import calendar_day
from runclub import wording as runclub_wording
from runclub.accounts import twofactor
from runclub.accounts.roles import can_edit_calendar
from runclub.lib import backup, errorcount, storage

# Less free disk than this in DATA_DIR is worth an organiser's attention before a run.
LOW_DISK_BYTES = 200 * 1024 * 1024
# A nightly backup older than this missed a night.
BACKUP_LATE = dt.timedelta(hours=36)
# The platforms' names for the commit they deployed.
COMMIT_VARIABLES = ("RENDER_GIT_COMMIT", "RAILWAY_GIT_COMMIT_SHA", "SOURCE_VERSION")

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


@dataclass(frozen=True)
class Check:
    """One line of "Ready for tonight": what it is, what it says, and whether it needs doing."""

    name: str
    says: str
    trouble: bool = False


def ready_for_tonight() -> list[Check]:
    """Backups, disk, Redis, recent errors and the version, each in a line; red only when an
    organiser (or whoever runs the server) should act before the run."""
    return [
        _backups(),
        _disk(),
        _redis(),
        _errors(),
        Check(str(runclub_wording.VERSION), app_version()),
    ]


def _backups() -> Check:
    name = str(runclub_wording.BACKUPS)
    if connection.vendor != "sqlite":
        return Check(name, str(runclub_wording.BACKUPS_ON_POSTGRESQL))
    taken = backup.newest(backup.default_directory())
    if taken is None:
        if settings.BACKUP_DAILY:
            return Check(name, str(runclub_wording.NO_BACKUP_YET))
        return Check(name, str(runclub_wording.BACKUPS_OFF))
    age = timezone.now() - taken
    says = runclub_wording.last_backup(age, nightly=settings.BACKUP_DAILY)
    return Check(name, says, trouble=settings.BACKUP_DAILY and age > BACKUP_LATE)


def _disk() -> Check:
    free = shutil.disk_usage(settings.DATA_DIR).free
    trouble = storage.on_disk()
    says = runclub_wording.free_disk(free)
    if trouble is not None:
        says = runclub_wording.disk_trouble(says, trouble)
    return Check(
        str(runclub_wording.DISK), says, trouble=trouble is not None or free < LOW_DISK_BYTES
    )


def _redis() -> Check:
    if not settings.REDIS_URL:
        return Check("Redis", str(runclub_wording.REDIS_NOT_USED))
    try:
        cache.get("ready-for-tonight")  # bounded by REDIS_TIMEOUT; skipped while it is down
    except Exception:  # any failure to answer is the answer
        return Check("Redis", str(runclub_wording.REDIS_NOT_ANSWERING), trouble=True)
    return Check("Redis", str(runclub_wording.REDIS_ANSWERING))


def _errors() -> Check:
    count = errorcount.errors_since(3600)
    if count == 0:
        return Check(str(runclub_wording.ERRORS), str(runclub_wording.NO_ERRORS))
    return Check(str(runclub_wording.ERRORS), runclub_wording.errors(count), trouble=True)


@functools.cache
def app_version() -> str:
    """The version and, where the platform or git says, the commit it was built from."""
    commit = next((os.environ[name] for name in COMMIT_VARIABLES if os.environ.get(name)), "")
    if not commit:
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True,
                text=True, timeout=2, check=True,
            ).stdout.strip()  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            commit = ""
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as project:
        version = str(tomllib.load(project)["project"]["version"])
    return f"{version} ({commit[:7]})" if commit else version


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
        "ready": ready_for_tonight(),
    }
    if screen.run is not None and screen.run.is_active:
        context.update(live=live.snapshot(), show_names=False, ws_path=live.WS_PATH)
    elif context["can_edit"]:
        starts_at, place = calendar_day(today, today).suggested()
        initial = {"starts_at": starts_at, "place": place, "next": reverse("admin:index")}
        context["open_form"] = DayForm(initial=initial)
    return context
