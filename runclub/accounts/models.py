from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class KnownBrowser(models.Model):
    """A browser a staff account has logged in from: a log-in from any other is logged.

    The browser keeps a random token in a cookie; only its digest is stored here.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_browsers"
    )
    key = models.CharField(max_length=64)  # sha256 of the browser's token, in hex
    description = models.CharField(max_length=200, blank=True)  # its User-Agent, shortened
    first_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_record_per_user_browser")
        ]

    def __str__(self) -> str:
        return f"{self.description or 'a browser'} (since {self.first_seen:%Y-%m-%d})"
