"""The club's admin: its name on every page, the Today screen as the first page, and
django-two-factor-auth's admin-site protection under the club's rule (``ADMIN_2FA``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from two_factor.admin import AdminSiteOTPRequiredMixin

from runclub import wording as runclub_wording
from runclub.accounts import twofactor
from runclub.today import today_context


class ClubAdminSite(AdminSiteOTPRequiredMixin, admin.AdminSite):
    """Its log-in is the library's (``runclub.accounts.views.LoginView`` at ``/admin/login/``)."""

    index_title = runclub_wording.TODAY
    index_template = "runclub/today.html"

    @property
    def site_header(self) -> str:  # type: ignore[override]
        return settings.CLUB_NAME

    @property
    def site_title(self) -> str:  # type: ignore[override]
        return settings.CLUB_NAME

    def has_permission(self, request: HttpRequest) -> bool:
        """Active staff whose session has given what the club asks: verified by a device
        under ``required`` (the library's own rule), or its password where the club allows."""
        user = request.user
        return user.is_active and user.is_staff and twofactor.passes(user)

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        return super().index(request, {**today_context(request), **(extra_context or {})})
