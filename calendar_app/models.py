from __future__ import annotations

import datetime as dt
import enum
import logging
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import RedisError

from calendar_app.shortcodes import new_short_code, spaced

logger = logging.getLogger(__name__)

# ~100 runners open the same check-in link within minutes: each page and post
# would otherwise open a database connection just to read one unchanging row.
# Saving or deleting a run forgets it (calendar_app.signals).
RUN_CACHE_SECONDS = 300
# The next run days, for "next run: Thursday..." on every check-in answer.
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
        return self.annotate(checkin_count=Coalesce(Subquery(checkins), 0))


class Run(models.Model):
    """One run day. An inactive run is a cancelled day (the seed's calendar_config)."""

    date = models.DateField(unique=True)
    starts_at = models.TimeField("start time", default=dt.time(18, 0))
    place = models.CharField(max_length=200, blank=True, help_text="Where runners meet.")
    session_id = models.CharField(
        max_length=64, unique=True, default=new_session_id, editable=False
    )
    # The short link's code (calendar_app.shortcodes): what QR codes carry and runners type.
    short_code = models.CharField(max_length=8, unique=True, default=new_short_code, editable=False)
    is_active = models.BooleanField(
        "active", default=True, help_text="Untick to cancel this run; check-in then closes."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Run on {self.date:%a %d %b %Y}"

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
            logger.warning("cache unavailable; reading run from the database", exc_info=True)
            return cls.objects.filter(**lookup).first()
        if run is None:
            run = cls.objects.filter(**lookup).first()
            if run is not None:
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
        try:
            cache.delete(UPCOMING_CACHE_KEY)
        except RedisError:
            logger.error("could not forget the cached upcoming runs", exc_info=True)

    @classmethod
    def next_after(cls, date: dt.date) -> Run | None:
        """The first run on the calendar after ``date`` (cancelled ones skipped), cached."""
        try:
            upcoming = cache.get(UPCOMING_CACHE_KEY)
        except RedisError:
            logger.warning("cache unavailable; reading runs from the database", exc_info=True)
            upcoming = None
        if upcoming is None:
            soon = cls.objects.active().filter(date__gte=club_today()).order_by("date")
            upcoming = list(soon[:UPCOMING_CACHED])
            try:
                cache.set(UPCOMING_CACHE_KEY, upcoming, RUN_CACHE_SECONDS)
            except RedisError:
                logger.warning("cache unavailable; upcoming runs not cached", exc_info=True)
        later = [run for run in upcoming if run.date > date]
        if later or len(upcoming) < UPCOMING_CACHED:
            return later[0] if later else None
        return cls.objects.active().filter(date__gt=date).order_by("date").first()

    @classmethod
    def open_day(cls, date: dt.date) -> tuple[Run, bool]:
        """Make ``date`` a run day, re-opening it if it was cancelled."""
        run, created = cls.objects.get_or_create(date=date)
        if not run.is_active:
            run.is_active = True
            run.save(update_fields=["is_active"])
        return run, created

    @classmethod
    def cancel_day(cls, date: dt.date) -> Run | None:
        """Cancel the run on ``date``, if there is one; its check-ins stay."""
        run = cls.objects.filter(date=date).first()
        if run is not None and run.is_active:
            run.is_active = False
            run.save(update_fields=["is_active"])
        return run

    @classmethod
    def toggle_day(cls, date: dt.date) -> Run | None:
        """One click on the organisers' calendar: no run -> run -> cancelled -> no run.

        A day that has check-ins is never removed (that would delete them): clicking
        its cancelled run re-opens it instead. Returns the day's run, or None.
        """
        with transaction.atomic():
            run = cls.objects.filter(date=date).first()
            if run is None:
                return cls.open_day(date)[0]
            if run.is_active:
                return cls.cancel_day(date)
            if run.attendances.exists():
                return cls.open_day(date)[0]
            run.delete()
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
