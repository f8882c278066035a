from __future__ import annotations

import datetime as dt
import enum
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone


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


class RunQuerySet(models.QuerySet["Run"]):
    def today(self) -> RunQuerySet:
        return self.filter(date=club_today())

    def active(self) -> RunQuerySet:
        return self.filter(is_active=True)

    def with_counts(self) -> RunQuerySet:
        return self.annotate(checkin_count=Count("attendances"))


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

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Run on {self.date:%a %d %b %Y}"

    @classmethod
    def open_day(cls, date: dt.date) -> tuple[Run, bool]:
        """Make ``date`` a run day, re-opening it if it was cancelled."""
        run, created = cls.objects.get_or_create(date=date)
        if not run.is_active:
            run.is_active = True
            run.save(update_fields=["is_active"])
        return run, created

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
