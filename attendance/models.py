from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone

from attendance.names import MAX_LENGTH, clean_runner_name, name_key
from calendar_app.models import Run


def duplicate_message(name_in: str) -> str:
    """An organiser's form refusing a name the duplicate rule says is already in."""
    return (
        f"{name_in} is already checked in to this run "
        "(names are compared ignoring case, spacing and full-width letters)."
    )


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def for_name(self, runner_name: str) -> AttendanceQuerySet:
        return self.filter(name_key=name_key(runner_name))


class Attendance(models.Model):
    """One runner checked in to one run."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="attendances")
    runner_name = models.CharField(max_length=MAX_LENGTH)
    # Derived from runner_name on every save: the unique constraint below is
    # what refuses a duplicate, even when two phones send it at the same instant.
    name_key = models.CharField(max_length=4 * MAX_LENGTH, editable=False)
    # The form's one-time id: a resent form (double tap, network retry) is
    # recognised as the check-in it already made, not reported as a duplicate.
    submission_id = models.UUIDField(null=True, blank=True, editable=False)
    registered_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = "check-in"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "name_key"], name="one_checkin_per_name_per_run"
            ),
        ]
        # One runner across all runs: history, erasure, search by name.
        indexes = [models.Index(fields=["name_key", "run"], name="attendance_runner")]

    def __str__(self) -> str:
        # The name first: erasure finds it in the admin's history this way (services).
        return f"{self.runner_name} at {self.run}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.runner_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "runner_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """The check-in rules as form errors (the admin's forms): a name a runner could type,
        and no one already in under it. The database constraint alone would be a 500.
        """
        try:
            self.runner_name = clean_runner_name(self.runner_name)
        except ValidationError as error:
            raise ValidationError({"runner_name": error}) from None
        if self.run_id is None:
            return
        same = (
            Attendance.objects.filter(run_id=self.run_id, name_key=name_key(self.runner_name))
            .exclude(pk=self.pk)
            .first()
        )
        if same is not None:
            raise ValidationError(
                {"runner_name": ValidationError(duplicate_message(same.runner_name), "duplicate")}
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
