"""What the QR codes say themselves, marked for translation (the pages' words are in their
templates)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from calendar_app.models import Run


def code_title(run: Run) -> str:
    """The SVG's own title: its name for screen readers, and on a downloaded file."""
    return _("Check-in code for %(run)s") % {"run": run}
