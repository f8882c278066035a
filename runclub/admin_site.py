"""The club's admin: its name on every page, and the Today screen as the first page."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse


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

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Django's admin log-in (its page and context), with the code step after the
        password (runclub.logins)."""
        from django.contrib.admin.forms import AdminAuthenticationForm

        from runclub.login_views import TwoStepLoginView

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
        from runclub import login_views
        from runclub.ratelimits import LOGIN_LIMITS, limited

        checked = limited(*LOGIN_LIMITS)
        return [
            path("login/code/", checked(login_views.login_code), name="login_code"),
            path("login/enrol/", checked(login_views.login_enrol), name="login_enrol"),
            path("two-factor/", self.admin_view(login_views.two_factor), name="two_factor"),
            *super().get_urls(),
        ]


# Said when a save collides with a change its form could not have seen.
SAVED_ELSEWHERE = (
    "Someone changed this at the same moment, so nothing was saved. "
    "Check the page as it is now and save again."
)


class ClubModelAdmin(admin.ModelAdmin):
    """A model's admin whose saves answer a race with the form, not a server error.

    A form validates before it saves, so two saves at once (an organiser typing a
    runner's name while the runner's phone checks them in, two organisers adding the
    same day) can both pass and the second then breaks a unique constraint. Its
    transaction has rolled back, so the view runs once more: the form now sees the other
    row and says so at the field, with the organiser's input still in it.
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            pass  # rolled back; the second try's form sees the other row
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # The form's rules do not cover what the database refused: say so plainly.
            self.message_user(request, SAVED_ELSEWHERE, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ClubAdminConfig(AdminConfig):
    default_site = "runclub.admin_site.ClubAdminSite"
