from __future__ import annotations

import contextlib
import datetime as dt
import enum
import secrets
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Count, F, OuterRef, Subquery, Value, When
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

from calendar_app import wording
from calendar_app.days import Caution, DayChange
from calendar_app.shortcodes import new_short_code, spaced

# ~100 runners open the same check-in link within minutes: each page and post
# would otherwise open a database connection just to read one unchanging row.
# Saving or deleting a run forgets it at once (calendar_app.signals), but only in
# the cache this process shares: a change made by another process (a command, a
# second server) with the local-memory cache, or while Redis was down, shows after
# at most this long. Still one database read in a hundred at peak.
RUN_CACHE_SECONDS = 4
# The next run days, for "next run: Thursday..." on every check-in answer (forgotten likewise).
UPCOMING_CACHE_KEY = "runs:upcoming"
UPCOMING_CACHED = 8


def new_session_id() -> str:
    return secrets.token_urlsafe(16)


def club_today() -> dt.date:
    """Today's date in the club's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()


class CheckinState(enum.Enum):
    OPEN = "open"
    CANCELLED = "cancelled"
    NOT_YET = "not yet open"
    OVER = "over"

    @property
    def status_code(self) -> int:
        """The HTTP answer to a check-in in this state, for the form and the API alike."""
        return {CheckinState.OVER: 410, CheckinState.OPEN: 200}.get(self, 403)


class RunHasCheckins(Exception):
    def __init__(self, run: Run) -> None:
        super().__init__(f"{run} has check-ins")
        self.run = run


class RunQuerySet(models.QuerySet["Run"]):
    def today(self) -> RunQuerySet:
        return self.filter(date=club_today())

    def active(self) -> RunQuerySet:
        return self.filter(is_active=True)

    def between(self, first: dt.date, last: dt.date) -> RunQuerySet:
        return self.filter(date__range=(first, last))

    def with_counts(self) -> RunQuerySet:
        # A subquery per run shown rather than a join with GROUP BY over every
        # check-in: the admin's paging, counting and date drill-down stay cheap.
        checkins = (
            apps.get_model("attendance", "Attendance")
            .objects.filter(run=OuterRef("pk"))
            .order_by()
            .values("run")
            .annotate(count=Count("pk"))
            .values("count")
        )
        # django-stubs 5.2 takes the name for a redefinition of Run.checkin_count (declared
        # below for the runs this returns): typeddjango/django-stubs#2818.
        return self.annotate(checkin_count=Coalesce(Subquery(checkins), 0))  # type: ignore[no-redef]

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete these runs, remembering each one's check-in code (see ``RemovedDay``)."""
        with transaction.atomic():
            RemovedDay.remember(self)
            return super().delete()


def upcoming_first(today: dt.date) -> list[OrderBy]:
    """Today's run, then the coming ones soonest first, then past ones latest first.

    Where organisers look: after a term's schedule, today is the first row, not the 24th.
    """
    return [
        Case(
            When(date=today, then=Value(0)), When(date__gt=today, then=Value(1)), default=Value(2)
        ).asc(),
        Case(When(date__gt=today, then=F("date"))).asc(),
        F("date").desc(),
    ]


class Run(models.Model):
    """One run day. An inactive run is a cancelled day (the seed's calendar_config)."""

    date = models.DateField(_("date"), unique=True)
    starts_at = models.TimeField(_("start time"), default=dt.time(18, 0))
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Where runners meet.")
    )
    session_id = models.CharField(
        max_length=64, unique=True, default=new_session_id, editable=False
    )
    # The short link's code (calendar_app.shortcodes): what QR codes carry and runners type.
    short_code = models.CharField(max_length=8, unique=True, default=new_short_code, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to cancel this run; check-in then closes.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the run last changed and how many times it has, for the public calendar feed
    # (calendar_app.feed): a subscriber's calendar takes a new time or place by these.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = RunQuerySet.as_manager()
    # Only on runs from RunQuerySet.with_counts().
    checkin_count: int

    class Meta:
        ordering = ["-date"]
        verbose_name = _("run")
        verbose_name_plural = _("runs")

    def __str__(self) -> str:
        return wording.run_on(self.date)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            RemovedDay.give_back_code([self])
            super().save(*args, **kwargs)
            return
        # Every save is a revision: counted in the database, so two saves at once are two.
        self.updated_at = timezone.now()
        self.revision = F("revision") + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at", "revision"}
        super().save(*args, **kwargs)
        self.refresh_from_db(fields=["revision"])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            RemovedDay.remember([self])
            return super().delete(*args, **kwargs)

    @classmethod
    def code_fields(cls) -> list[models.Field[Any, Any]]:
        """What a printed check-in code points at: the run's unique ids other than its date."""
        return [
            field
            for field in cls._meta.concrete_fields
            if field.unique and not field.primary_key and field.name != "date"
        ]

    @classmethod
    def for_checkin(cls, session_id: str) -> Run | None:
        """The run a check-in link names, from the cache when it can be."""
        return cls._cached(cls.cache_key(session_id), session_id=session_id)

    @classmethod
    def for_short_code(cls, code: str) -> Run | None:
        """The run a short code (as ``shortcodes.normalise`` gives it) names, cached likewise."""
        return cls._cached(cls.short_code_cache_key(code), short_code=code)

    @classmethod
    def _cached(cls, key: str, **lookup: str) -> Run | None:
        try:
            run = cache.get(key)
        except RedisError:
            # Redis is down: runclub.lib.breaker has said so once for the whole outage.
            return cls.objects.filter(**lookup).first()
        if run is None:
            run = cls.objects.filter(**lookup).first()
            if run is not None:
                with contextlib.suppress(RedisError):
                    cache.set(key, run, RUN_CACHE_SECONDS)
        return run

    @staticmethod
    def cache_key(session_id: str) -> str:
        return f"run:{session_id}"

    @staticmethod
    def short_code_cache_key(code: str) -> str:
        return f"run:code:{code}"

    def cache_keys(self) -> list[str]:
        """Every cache entry this run may be in: forgotten when it is saved or deleted."""
        return [
            self.cache_key(self.session_id),
            self.short_code_cache_key(self.short_code),
            UPCOMING_CACHE_KEY,
        ]

    @staticmethod
    def forget_upcoming() -> None:
        # Redis down: the entry expires by itself within RUN_CACHE_SECONDS.
        with contextlib.suppress(RedisError):
            cache.delete(UPCOMING_CACHE_KEY)

    @classmethod
    def _upcoming(cls) -> list[Run]:
        """The first UPCOMING_CACHED runs from today on (cancelled ones skipped), cached."""
        upcoming = None
        # Redis down (runclub.lib.breaker says so): read the runs from the database.
        with contextlib.suppress(RedisError):
            upcoming = cache.get(UPCOMING_CACHE_KEY)
        if upcoming is None:
            soon = cls.objects.active().filter(date__gte=club_today()).order_by("date")
            upcoming = list(soon[:UPCOMING_CACHED])
            with contextlib.suppress(RedisError):
                cache.set(UPCOMING_CACHE_KEY, upcoming, RUN_CACHE_SECONDS)
        return upcoming

    @classmethod
    def next_after(cls, date: dt.date) -> Run | None:
        """The first run on the calendar after ``date`` (cancelled ones skipped), cached."""
        upcoming = cls._upcoming()
        later = [run for run in upcoming if run.date > date]
        if later or len(upcoming) < UPCOMING_CACHED:
            return later[0] if later else None
        return cls.objects.active().filter(date__gt=date).order_by("date").first()

    @classmethod
    def coming(cls, count: int) -> list[Run]:
        """Today's run and the next ones (cancelled ones skipped), soonest first, cached."""
        assert count <= UPCOMING_CACHED, "only so many are cached"
        today = club_today()
        return [run for run in cls._upcoming() if run.date >= today][:count]

    @classmethod
    def open_day(
        cls, date: dt.date, *, starts_at: dt.time | None = None, place: str | None = None
    ) -> tuple[Run, bool]:
        """Make ``date`` a run day, re-opening it if it was cancelled.

        A day taken off the calendar and put back gets its old check-in code, and its
        time and place unless new ones are given.
        """
        given = {"starts_at": starts_at, "place": place}
        given = {name: value for name, value in given.items() if value is not None}
        with transaction.atomic():
            run, created = cls.objects.get_or_create(
                date=date, defaults={**RemovedDay.details(date), **given}
            )
            changed = {name for name, value in given.items() if getattr(run, name) != value}
            for name in changed:
                setattr(run, name, given[name])
            if not run.is_active:
                run.is_active = True
                changed.add("is_active")
            if changed:
                run.save(update_fields=changed)
        return run, created

    @classmethod
    def cancel_day(cls, date: dt.date) -> Run | None:
        """Cancel the run on ``date``, if there is one; its check-ins and its code stay."""
        run = cls.objects.filter(date=date).first()
        if run is not None and run.is_active:
            run.is_active = False
            run.save(update_fields=["is_active"])
        return run

    @classmethod
    def remove_day(cls, date: dt.date) -> None:
        """Take ``date`` off the calendar. Its code is remembered for if the day comes back.

        Raises ``RunHasCheckins`` rather than delete anyone's check-in.
        """
        with transaction.atomic():
            run = cls.objects.filter(date=date).with_counts().first()
            if run is None:
                return
            if run.checkin_count:
                raise RunHasCheckins(run)
            run.delete()

    def caution_before(self, change: DayChange, today: dt.date | None = None) -> Caution | None:
        """Why to ask an organiser before ``change`` (cancel or remove), or None to go ahead
        (``calendar_app.wording.caution`` asks). ``self`` needs ``with_counts()``."""
        if change not in (DayChange.CANCEL, DayChange.REMOVE) or not self.is_active:
            return None
        if self.checkin_count:
            return Caution.HAS_CHECKINS
        if self.date == (today or club_today()):
            return Caution.TODAY
        return None

    def checkin_state(self, today: dt.date | None = None) -> CheckinState:
        today = today or club_today()
        if self.date < today:
            return CheckinState.OVER
        if not self.is_active:
            return CheckinState.CANCELLED
        if self.date > today:
            return CheckinState.NOT_YET
        return CheckinState.OPEN

    @property
    def starts(self) -> dt.datetime:
        return dt.datetime.combine(
            self.date, self.starts_at, tzinfo=timezone.get_current_timezone()
        )

    def checkin_path(self) -> str:
        """The short link's path, ``/c/<code>``: what QR codes carry and runners type."""
        return reverse("checkin-code", kwargs={"code": self.short_code})

    def checkin_url(self) -> str:
        return settings.SITE_URL + self.checkin_path()

    @property
    def spaced_short_code(self) -> str:
        """The code as shown beside the QR code, for reading aloud and typing: "7K3M 9QXD"."""
        return spaced(self.short_code)

    @staticmethod
    def enter_code_url() -> str:
        """Where a runner whose camera fails types the code."""
        return settings.SITE_URL + reverse("enter-code")

    def token_path(self) -> str:
        """The long ``/checkin/<signed token>/`` link that QR codes carried at first."""
        return reverse("attendance:checkin", kwargs={"session_id": self.session_id})

    def qr_path(self) -> str:
        return reverse("qrcodes:page", kwargs={"session_id": self.session_id})


class RemovedDay(models.Model):
    """A run day taken off the calendar, remembered so that its printed code works again.

    The run's row goes (a day without a run has no row, so every list stays right), but
    its check-in code, time and place are kept here; a run made for the same date later,
    by any route (calendar, schedule, ``add_run_day``, the API, the admin), takes them back.
    """

    date = models.DateField(unique=True)
    # The removed run's field values as text: its code fields and its time and place.
    kept = models.JSONField()
    removed_at = models.DateTimeField(default=timezone.now)

    KEPT_DETAILS = ("starts_at", "place")

    def __str__(self) -> str:
        return f"Removed run day {self.date:%a %d %b %Y}"

    @classmethod
    def remember(cls, runs: Iterable[Run]) -> None:
        names = [field.name for field in Run.code_fields()] + list(cls.KEPT_DETAILS)
        RemovedDay.objects.bulk_create(
            [
                RemovedDay(
                    date=run.date,
                    kept={name: _run_field(name).value_to_string(run) for name in names},
                )
                for run in runs
            ],
            update_conflicts=True,
            unique_fields=["date"],
            update_fields=["kept", "removed_at"],
        )

    @classmethod
    def details(cls, date: dt.date) -> dict[str, Any]:
        """The time and place the day had before it was removed (nothing if it never was)."""
        memory = cls.objects.filter(date=date).first()
        if memory is None:
            return {}
        return memory.values(cls.KEPT_DETAILS)

    @classmethod
    def give_back_code(cls, runs: Iterable[Run]) -> None:
        """New ``runs`` on remembered days take back their old code; the memory is used up."""
        by_date = {run.date: run for run in runs}
        memories = list(cls.objects.filter(date__in=by_date))
        names = [field.name for field in Run.code_fields()]
        for memory in memories:
            for name, value in memory.values(names).items():
                setattr(by_date[memory.date], name, value)
        if memories:
            cls.objects.filter(pk__in=[memory.pk for memory in memories]).delete()

    def values(self, names: Iterable[str]) -> dict[str, Any]:
        return {
            name: _run_field(name).to_python(self.kept[name]) for name in names if name in self.kept
        }


def _run_field(name: str) -> models.Field[Any, Any]:
    field = Run._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is a relation, not a column of Run"
    return field


class TermQuerySet(models.QuerySet["Term"]):
    def overlapping(self, first: dt.date, last: dt.date) -> TermQuerySet:
        """Terms with at least one day from ``first`` to ``last``."""
        return self.filter(first__lte=last, last__gte=first)

    def with_run_counts(self) -> TermQuerySet:
        """Each term's run days (cancelled ones included), as a subquery per term shown."""
        runs = (
            Run.objects.filter(date__gte=OuterRef("first"), date__lte=OuterRef("last"))
            .order_by()
            .values(term=Value(1))
            .annotate(count=Count("pk"))
            .values("count")
        )
        # As with_counts() above (typeddjango/django-stubs#2818).
        return self.annotate(run_count=Coalesce(Subquery(runs), 0))  # type: ignore[no-redef]


class Term(models.Model):
    """A named stretch of the club's year ("Michaelmas 2026"), set by organisers.

    What "this term" means on a runner's season page and the Today screen, what history
    can be narrowed to, and what a term report covers. Terms do not overlap, so a day is
    in one term at most.
    """

    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("Michaelmas 2026, Spring 2027…")
    )
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))

    objects = TermQuerySet.as_manager()
    # Only on terms from TermQuerySet.with_run_counts().
    run_count: int

    class Meta:
        ordering = ["-first"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last__gte=F("first")),
                name="term_last_day_not_before_first",
                violation_error_message=wording.TERM_LAST_BEFORE_FIRST,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # No overlap: a rule across rows, which neither SQLite nor PostgreSQL (without the
        # btree_gist extension) can hold as a constraint; every form checks it here.
        if self.first is None or self.last is None or self.last < self.first:
            return
        other = Term.objects.overlapping(self.first, self.last).exclude(pk=self.pk).first()
        if other is not None:
            raise ValidationError(
                {"first": wording.term_overlaps(other.name, other.first, other.last)}
            )

    @classmethod
    def current(cls, today: dt.date | None = None) -> Term | None:
        """The term ``today`` falls in, else the last one before it (None before any term)."""
        today = today or club_today()
        # Terms do not overlap: the latest to start by today is the one today is in, if any.
        return cls.objects.filter(first__lte=today).order_by("-first").first()

    def runs(self) -> RunQuerySet:
        return Run.objects.between(self.first, self.last)

    def week(self, day: dt.date) -> int:
        """The term's week ``day`` is in, counting from 1 at its first day's week (Monday on)."""
        monday = self.first - dt.timedelta(days=self.first.weekday())
        return (day - monday).days // 7 + 1

    def is_over(self, today: dt.date | None = None) -> bool:
        return self.last < (today or club_today())

    @property
    def days(self) -> str:
        """ "Mon 28 Sep to Fri 11 Dec 2026"."""
        return wording.term_days(self.first, self.last)

    def progress(self, today: dt.date | None = None) -> str:
        """ "week 7 of 11", or "ended Friday 11 December" for a term that is over."""
        today = today or club_today()
        if self.is_over(today):
            return wording.term_ended(self.last)
        return wording.term_week(self.week(today), self.week(self.last))
