"""The club's admin: its name on every page, and the Today screen as the first page."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse

from runclub.accounts import views as login_views
from runclub.accounts.views import TwoStepLoginView
from runclub.lib.ratelimits import LOGIN_LIMITS, limited
from runclub.today import today_context


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
        return super().index(request, {**today_context(request), **(extra_context or {})})

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Django's admin log-in (its page and context), with the code step after the
        password (runclub.accounts.logins)."""
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        view = TwoStepLoginView.as_view(
            extra_context=context,
            authentication_form=AdminAuthenticationForm,
            template_name="admin/login.html",
        )
        return cast(HttpResponse, view(request))

    def get_urls(self) -> list[URLResolver | URLPattern]:
        checked = limited(*LOGIN_LIMITS)
        return [
            path("login/code/", checked(login_views.login_code), name="login_code"),
            path("login/enrol/", checked(login_views.login_enrol), name="login_enrol"),
            path("two-factor/", self.admin_view(login_views.two_factor), name="two_factor"),
            *super().get_urls(),
        ]
