from __future__ import annotations

import enum
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.names import MAX_LENGTH, clean_runner_name, name_key
from calendar_app.models import Run
from runclub.lib import rows

# Longest member number kept, whatever the club's pattern allows.
MEMBER_NUMBER_MAX_LENGTH = 32
# A name's key can be several times longer than the name (NFKC expands some characters
# eighteen-fold), and PostgreSQL cannot index a value of more than about 2,700 bytes.
KEY_MAX_LENGTH = 400
# What the admin, the CSV and the API show for a check-in older than RETENTION_YEARS. Not
# translated: a marker in the CSV export's cells (an interface) as much as a word.
ANONYMISED = "(anonymised)"


def stored_key(name: str) -> str:
    """The duplicate rule's key of ``name`` as stored: a digest when it is too long to index."""
    key = name_key(name)
    if len(key) <= KEY_MAX_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class RunnerQuerySet(models.QuerySet["Runner"]):
    def named(self, runner_name: str) -> RunnerQuerySet:
        """The runner this name means under the duplicate rule (and merges), if any."""
        return self.filter(names__name_key=stored_key(runner_name))

    def with_counts(self) -> RunnerQuerySet:
        """Each runner's check-ins, first and last run, as subqueries per runner shown.

        Each reads the (runner, run) index; a join grouped over every check-in would make
        the admin's paging and counting as slow as the whole table.
        """
        checkins = Attendance.objects.filter(runner=models.OuterRef("pk")).order_by()
        names = RunnerName.objects.filter(runner=models.OuterRef("pk")).order_by()

        def one(queryset: models.QuerySet, aggregate: models.Aggregate) -> models.Subquery:
            return models.Subquery(
                queryset.values("runner").annotate(value=aggregate).values("value")
            )

        return self.annotate(
            checkin_count=Coalesce(one(checkins, models.Count("pk")), 0),
            spelling_count=Coalesce(one(names, models.Count("pk")), 0),
            first=one(checkins, models.Min("run__date")),
            last=one(checkins, models.Max("run__date")),
        )


# A module-level name, not an inline base: django-stubs types the queryset's methods
# (named, with_counts) on the manager only from this form.
_RunnerManagerBase = models.Manager.from_queryset(RunnerQuerySet)


class RunnerManager(_RunnerManagerBase["Runner"]):
    def id_for(self, runner_name: str, member_number: str | None = None) -> int:
        """The id of the runner checking in as ``runner_name`` (and ``member_number``).

        Creates the runner the first time. Call it in the transaction that records the
        check-in. Without a member number the name decides, through its key; with one,
        the number does: a runner known by name and no number yet takes it, and the same
        name with another number is someone else.

        Plain SQL on the check-in's hot path: one indexed lookup for a returning runner,
        two small inserts for a new one (``runclub.lib.rows``).
        """
        key = stored_key(runner_name)
        names_table = RunnerName._meta.db_table
        runners_table = self.model._meta.db_table
        with connection.cursor() as cursor:
            if member_number is None:
                cursor.execute(f"SELECT runner_id FROM {names_table} WHERE name_key = %s", [key])
                row = cursor.fetchone()
                return row[0] if row else self._create(runner_name, key, None)
            cursor.execute(
                f"SELECT r.id, r.member_number, 1 FROM {runners_table} r "
                f"WHERE r.member_number = %s "
                f"UNION ALL SELECT r.id, r.member_number, 2 FROM {names_table} n "
                f"JOIN {runners_table} r ON r.id = n.runner_id WHERE n.name_key = %s",
                [member_number, key],
            )
            found = cursor.fetchall()
        by_number = [runner for runner, _, where in found if where == 1]
        by_name = [(runner, number) for runner, number, where in found if where == 2]
        if by_number:
            return by_number[0]
        if by_name and by_name[0][1] is None:
            runner_id: int = by_name[0][0]
            self.filter(pk=runner_id).update(member_number=member_number)
            return runner_id
        # Someone else has this name (with another number): the number makes a new runner,
        # reached by the number alone.
        return self._create(runner_name, None if by_name else key, member_number)

    def _create(self, name: str, key: str | None, member_number: str | None) -> int:
        runner = Runner(name=name, member_number=member_number)
        rows.insert(runner)
        if key is not None:
            rows.insert(RunnerName(runner_id=runner.pk, name_key=key))
        return runner.pk


class Runner(models.Model):
    """One person across the season, however they typed their name each time.

    Every way of writing the name that belongs to them is a ``RunnerName`` (its key under
    the duplicate rule); merging two runners moves the other's names and check-ins here.
    """

    name = models.CharField(
        _("name"),
        max_length=MAX_LENGTH,
        help_text=_("How the club knows them: history and the CSV use it."),
    )
    member_number = models.CharField(
        _("member number"),
        max_length=MEMBER_NUMBER_MAX_LENGTH,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Only when the club asks for member numbers at check-in."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The nameless remainder of someone's check-ins older than RETENTION_YEARS (retention.py):
    # no name, no number, no ways of writing a name, so nothing matches or merges with it.
    anonymised = models.BooleanField(default=False, db_default=False, editable=False)
    # Check-ins of this runner's that have been anonymised (moved to a nameless runner):
    # still their runs with the club, and the reason they are no newcomer at their first
    # run with a name.
    anonymised_checkins = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = RunnerManager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("runner")
        verbose_name_plural = _("runners")

    def __str__(self) -> str:
        return ANONYMISED if self.anonymised else self.name

    def runs_with_club(self) -> int:
        """How many runs this runner has checked in to, today's included: "your Nth run"."""
        return self.attendances.count() + self.anonymised_checkins


class RunnerName(models.Model):
    """One way of writing a runner's name, as the duplicate rule compares it."""

    runner = models.ForeignKey(Runner, on_delete=models.CASCADE, related_name="names")
    # A digest ("sha256:" and 64 hex digits) for the rare key too long to store.
    name_key = models.CharField(max_length=KEY_MAX_LENGTH, unique=True)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")

    def __str__(self) -> str:
        return self.spelling()

    def spelling(self) -> str:
        """A way this runner typed the name that has this key, for organisers to read (the
        key itself is not for reading: "Sam O'Neill" is "samoneill"); the key when none of
        their check-ins was typed so (a name taught by ``merge_runners``)."""
        typed = self.runner.attendances.values_list("runner_name", flat=True).distinct()
        for name in [*typed, self.runner.name]:
            if name and stored_key(name) == self.name_key:
                return name
        return self.name_key


class MergeRefusal(enum.Enum):
    """Why runners cannot be merged into one (``attendance.wording.cannot_merge`` says it)."""

    ANONYMISED = "anonymised check-ins belong to nobody"
    TWO_NUMBERS = "two member numbers: two people"
    NO_SUCH_RUNNER = "no runner has that name"
    SAME_RUNNER = "already the same runner"


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def for_name(self, runner_name: str) -> AttendanceQuerySet:
        """Check-ins of the runner this name means (every spelling they used)."""
        return self.filter(runner__names__name_key=stored_key(runner_name))


class Attendance(models.Model):
    """One runner checked in to one run."""

    run = models.ForeignKey(
        Run, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("run")
    )
    # The unique constraint below is what refuses a duplicate, even when two phones send
    # it at the same instant. Indexed with the run by the index below.
    runner = models.ForeignKey(
        Runner,
        on_delete=models.CASCADE,
        related_name="attendances",
        db_index=False,
        verbose_name=_("runner"),
    )
    runner_name = models.CharField(_("runner name"), max_length=MAX_LENGTH)
    # The form's one-time id: a resent form (double tap, network retry) is
    # recognised as the check-in it already made, not reported as a duplicate.
    submission_id = models.UUIDField(null=True, blank=True, editable=False)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "runner"], name="one_checkin_per_runner_per_run"
            ),
        ]
        # One runner across all runs: history, erasure, first-timers.
        indexes = [models.Index(fields=["runner", "run"], name="attendance_by_runner")]

    def __str__(self) -> str:
        # The name first: erasure finds it in the admin's history this way (services), so
        # " at " is not translated: the log keeps what was written, in whatever language.
        return f"{self.runner_name or ANONYMISED} at {self.run}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves a correction to a check-in that exists. A new check-in is written by
        ``attendance.services.record_checkin``, which chooses its runner, and no other way."""
        if self._state.adding:
            raise TypeError(
                "A new check-in is written by attendance.services.record_checkin, not save()."
            )
        super().save(*args, **kwargs)

    def record(self) -> None:
        """Insert this new check-in, its runner chosen (the check-in POST's plain statement).

        The one method that adds check-ins, called by ``services.record_checkin`` alone.
        IntegrityError if the runner is in the run already.
        """
        rows.insert(self)

    def clean(self) -> None:
        """The name rule as a form error (the admin's forms): a name a runner could type."""
        try:
            self.runner_name = clean_runner_name(self.runner_name)
        except ValidationError as error:
            raise ValidationError({"runner_name": error}) from None

    def already_in(self) -> Attendance | None:
        """Another check-in to this run by the runner this name means, if there is one (the
        admin's forms refuse it; the database constraint alone would be a 500)."""
        if self.run_id is None:
            return None
        return (
            Attendance.objects.filter(run_id=self.run_id)
            .for_name(self.runner_name)
            .exclude(pk=self.pk)
            .first()
        )

    def number_and_count(self) -> tuple[int, int]:
        """This runner's number in their run, and how many have checked in to it so far.

        Plain SQL in one statement: on the check-in POST, compiling the same
        aggregate through the ORM cost ten times what the query itself did.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(CASE WHEN id <= %s THEN 1 END), COUNT(*) "
                f"FROM {self._meta.db_table} WHERE run_id = %s",
                [self.pk, self.run_id],
            )
            number, count = cursor.fetchone()
        return number, count


class FailedAttempt(models.Model):
    """Refused check-ins, counted per day, run and reason; never who tried.

    Counted in the cache and written here at most once per day, run and reason every few
    seconds (``attendance.failures``), so a flood of refusals is not a flood of writes.
    """

    class Reason(models.TextChoices):
        OVER = "over", _("check-in was over")
        CANCELLED = "cancelled", _("the run was cancelled")
        NOT_YET = "not_yet", _("check-in was not open yet")
        WRONG_CODE = "wrong_code", _("a wrong code typed at /c/")
        RATE_LIMITED = "rate_limited", _("too many tries from one phone or address")
        FORGED = "forged", _("a link that is no run's")

    day = models.DateField(help_text=_("The club's date when they tried."))
    run = models.ForeignKey(
        Run, on_delete=models.CASCADE, null=True, blank=True, related_name="failed_attempts"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "reason"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "run", "reason"],
                condition=models.Q(run__isnull=False),
                name="one_tally_per_day_run_reason",
            ),
            models.UniqueConstraint(
                fields=["day", "reason"],
                condition=models.Q(run__isnull=True),
                name="one_tally_per_day_reason_without_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} refused on {self.day}: {self.get_reason_display()}"


class Member(models.Model):
    """One name on the club's member list (from the students' union), by member number.

    Imported from a CSV (``members.import_members``: the admin's upload and
    ``manage.py import_members``). With ``CHECKIN_MEMBER_NUMBER=only`` a listed number checks
    its member in by this name. A member left off every list for ``RETENTION_YEARS`` goes
    (``retention``), and erasing a runner erases their entry.
    """

    number = models.CharField(_("number"), max_length=MEMBER_NUMBER_MAX_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=MAX_LENGTH)
    listed_at = models.DateTimeField(
        _("listed at"), default=timezone.now, help_text=_("The last import that listed them.")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("club member")
        verbose_name_plural = _("club members")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"
