from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, models, transaction
from django.utils import timezone

# Claims older than this are of no more use to anyone: they go as new ones are made.
KEEP_CLAIMS = dt.timedelta(days=60)


class NightlyRun(models.Model):
    """One night's run of one nightly job (``runclub.nightly``), claimed by the server process
    that runs it: the row is the lock, so with several processes the job runs once a night."""

    job = models.CharField(max_length=64)
    # The club's date of the time the job was due.
    night = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "night"], name="one_run_per_job_per_night")
        ]

    def __str__(self) -> str:
        return f"{self.job} for {self.night}"

    @classmethod
    def claim(cls, job: str, night: dt.date) -> bool:
        """Whether this process is the first to claim ``job`` for ``night`` (and so runs it)."""
        try:
            with transaction.atomic():
                cls.objects.create(job=job, night=night)
        except IntegrityError:
            return False
        cls.objects.filter(claimed_at__lt=timezone.now() - KEEP_CLAIMS).delete()
        return True
