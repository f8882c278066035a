"""Who may see what. Roles are Django permissions, granted through groups.

- Organisers: staff who edit the calendar and check-ins (add/change/delete).
- Committee: staff who may look (view permissions): runners' names on the live
  page, history and CSV export; no editing.
Anonymous visitors see counts only, never names.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

ORGANISERS = "Organisers"
COMMITTEE = "Committee"


def can_see_names(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_active and user.has_perm("attendance.view_attendance")
