from __future__ import annotations

import contextlib
import datetime as dt
import enum
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

# ~100 runners open the same check-in link within minutes: each page and post
# would otherwise open a database connection just to read one unchanging row.
# Saving or deleting a run forgets it at once (calendar_app.signals), but only in
# the cache this process shares: a change made by another process (a command, a
# second server) with the local-memory cache, or while Redis was down, shows after
# at most this long. Still one database read in a hundred at peak.
RUN_CACHE_SECONDS = 4


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
    is_active = models.BooleanField(
        "active", default=True, help_text="Untick to cancel this run; check-in then closes."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RunQuerySet.as_manager()
    # Only on runs from RunQuerySet.with_counts().
    checkin_count: int

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Run on {self.date:%a %d %b %Y}"

    @classmethod
    def for_checkin(cls, session_id: str) -> Run | None:
        """The run a check-in link names, from the cache when it can be."""
        key = cls.cache_key(session_id)
        try:
            run = cache.get(key)
        except RedisError:
            # Redis is down: runclub.breaker has said so once for the whole outage.
            return cls.objects.filter(session_id=session_id).first()
        if run is None:
            run = cls.objects.filter(session_id=session_id).first()
            if run is not None:
                with contextlib.suppress(RedisError):
                    cache.set(key, run, RUN_CACHE_SECONDS)
        return run

    @staticmethod
    def cache_key(session_id: str) -> str:
        return f"run:{session_id}"

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
        return reverse("attendance:checkin", kwargs={"session_id": self.session_id})

    def checkin_url(self) -> str:
        return settings.SITE_URL + self.checkin_path()

    def qr_path(self) -> str:
        return reverse("qrcodes:page", kwargs={"session_id": self.session_id})
