"""Who may see what. Roles are Django permissions, granted through groups.

- Organisers: staff who edit the calendar and check-ins (add/change/delete).
- Committee: staff who may look (view permissions): runners' names on the live
  page, history and CSV export; no editing.
Anonymous visitors see counts only, never names.

Both groups are made by a data migration (runclub/migrations); their members also
need "staff status" to log in to the admin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from runclub.accounts import sessions

ORGANISERS = "Organisers"
COMMITTEE = "Committee"


def can_see_names(user: AbstractUser | AnonymousUser) -> bool:
    return user.is_active and user.has_perm("attendance.view_attendance")


def session_may_see_names(session_key: str | None) -> bool:
    """Whether session ``session_key`` is still logged in as someone who may see names.

    Read afresh from the session store, by the rule every request meets
    (``runclub.accounts.sessions``): false once that user has logged out, the session has
    expired or gone unused for ``ADMIN_SESSION_HOURS``, their password has changed, their
    devices were reset, or their role no longer allows it.
    """
    return can_see_names(sessions.user_of_session(session_key))


def can_edit_calendar(user: AbstractUser | AnonymousUser) -> bool:
    return user.is_active and user.has_perms(
        ["calendar_app.add_run", "calendar_app.change_run", "calendar_app.delete_run"]
    )


def can_see_calendar(user: AbstractUser | AnonymousUser) -> bool:
    return user.is_active and user.has_perm("calendar_app.view_run")


def names_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Only for those who may see names: others log in first, or get a 403."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_see_names(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded
