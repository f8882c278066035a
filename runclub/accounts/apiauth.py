"""Who may call the staff-only API endpoints: the admin's own session, with CSRF."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import SessionAuth

from runclub.accounts import wording

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


class StaffSession(SessionAuth):
    """A logged-in staff member (checked against CSRF for unsafe methods).

    ``allowed`` narrows it further; a staff member it refuses gets 403, not 401,
    because logging in again would not help.
    """

    def __init__(
        self,
        allowed: Callable[[AbstractUser], bool] | None = None,
        refusal: _StrOrPromise = wording.API_NOT_ALLOWED,
    ) -> None:
        super().__init__()
        self.allowed = allowed
        self.refusal = refusal

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractUser | None:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return None
        if self.allowed is not None and not self.allowed(user):
            raise HttpError(403, str(self.refusal))
        return user


staff = StaffSession()
