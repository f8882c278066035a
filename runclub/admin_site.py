"""The club's admin: its name on every page, and the Today screen as the first page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.template.response import TemplateResponse


class ClubAdminSite(admin.AdminSite):
    index_title = "Today"
    index_template = "runclub/today.html"

    @property
    def site_header(self) -> str:  # type: ignore[override]
        return settings.CLUB_NAME

    @property
    def site_title(self) -> str:  # type: ignore[override]
        return settings.CLUB_NAME

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        from runclub.today import today_context  # the apps' models are loaded by now

        return super().index(request, {**today_context(request), **(extra_context or {})})


class ClubAdminConfig(AdminConfig):
    default_site = "runclub.admin_site.ClubAdminSite"
