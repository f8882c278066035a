"""The admin of a model that two apps show, registered once, here, where both are known.

Each app's admin module registers its own models; a run's page is the calendar's
(``calendar_app.admin.RunAdmin``) with the attendance app's check-ins on it.
"""

from __future__ import annotations

from django.contrib import admin

from attendance.admin import RunWithCheckinsAdmin
from calendar_app.models import Run

admin.site.register(Run, RunWithCheckinsAdmin)
