"""The admin's log-in in two steps, and an organiser's own two-factor page (``logins``)."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from runclub.accounts import logins


class TwoStepLoginView(LoginView):
    """Django's admin log-in, stopping after the password when a code is needed."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        step = logins.second_step(user)
        if step is None:
            return logins.complete(self.request, user, None, self.get_success_url())
        logins.hold(self.request, user, self.get_success_url())
        return redirect(f"admin:login_{step}")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


def _page(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {**admin.site.each_context(request), **context},
        status=status,
    )


def _enrolment(device: TOTPDevice) -> dict[str, object]:
    """What the enrol page shows: the QR an app scans, and the key to type instead."""
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return {
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Second step for an account with an authenticator: the code it shows now."""
    held = logins.pending(request)
    if held is None or logins.device_for(held.user) is None:
        return redirect("admin:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = logins.attempt(held.user, form.cleaned_data["code"])
        if not isinstance(device, str):
            return logins.complete(request, held.user, device, held.next_url)
        form.add_error("code", device)
    status = 400 if form.errors else 200
    context = {"title": "Your code", "form": form, "who": held.user.get_username()}
    return _page(request, "accounts/login_code.html", context, status)


@never_cache
@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponse:
    """Second step for an account that must enrol first (``ADMIN_2FA=required``, no device)."""
    held = logins.pending(request)
    if held is None or logins.second_step(held.user) != "enrol":
        return redirect("admin:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = logins.confirm(held.user, form.cleaned_data["code"])
        if not isinstance(device, str):
            return logins.complete(request, held.user, device, held.next_url)
        form.add_error("code", device)
    context = {
        "title": "Set up two-factor sign-in",
        "form": form,
        "who": held.user.get_username(),
        "required": True,
        **_enrolment(logins.enrolling_device(held.user)),
    }
    return _page(request, "accounts/enrol.html", context, 400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """``/admin/two-factor/``: a logged-in organiser's own authenticator: enrol, or remove it
    (when the club does not require one)."""
    user = request.user
    assert user.is_authenticated  # admin_view lets only logged-in staff in
    device = logins.device_for(user)
    if request.method == "POST" and request.POST.get("remove") == "yes":
        if logins.mode() == logins.REQUIRED:
            messages.error(request, "The club requires two-factor sign-in: it cannot be removed.")
        elif device is not None:
            logins.remove_devices(user)
            messages.success(request, "Two-factor sign-in is off for your account.")
        return redirect("admin:two_factor")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and device is None and form.is_valid():
        confirmed = logins.confirm(user, form.cleaned_data["code"])
        if not isinstance(confirmed, str):
            messages.success(
                request, "Two-factor sign-in is on: from now on you'll be asked for a code."
            )
            return redirect("admin:two_factor")
        form.add_error("code", confirmed)
    context: dict[str, object] = {
        "title": "Two-factor sign-in",
        "form": form,
        "device": device,
        "mode": logins.mode(),
    }
    if device is None:
        context.update(_enrolment(logins.enrolling_device(user)))
    return _page(request, "accounts/two_factor.html", context, 400 if form.errors else 200)
