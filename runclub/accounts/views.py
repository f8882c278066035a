"""Organisers' log-in and two-factor pages: django-two-factor-auth's views, with the club's rule
(``twofactor``), its templates and its admin log."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import wraps
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from two_factor import views as library
from two_factor.utils import get_otpauth_url

from runclub.accounts import browsers, forms, lockouts, sessions, twofactor, wording
from runclub.lib.ratelimits import LOGIN_LIMITS, enforce

View = Callable[..., HttpResponseBase]


def _admin_context(request: HttpRequest) -> dict[str, Any]:
    return admin_site.each_context(request)


def enrolment(view: View) -> View:
    """For the set-up's pages: the account held there after its password acts as itself."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        enrolling = getattr(request, "enrolling_user", None)
        if enrolling is not None:
            request.user = enrolling
        if not (request.user.is_authenticated and request.user.is_staff):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def staff(view: View) -> View:
    """For a logged-in staff account's own pages (the session has passed, ``sessions``)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not (request.user.is_authenticated and request.user.is_staff):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


class BadInput:
    """A step's form with errors answers 400 (bad input), not 200."""

    def render(self, form: Any = None, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().render(form, **kwargs)  # type: ignore[misc]
        if form is not None and form.is_bound and form.errors:
            response.status_code = 400
        return response


def passkeys_possible(request: HttpRequest) -> bool:
    """A passkey belongs to a domain name: browsers refuse one for a site reached by its address
    (``LAN=1``'s 192.168.1.20), where the authenticator app still works."""
    host = request.get_host().rsplit(":", 1)[0].strip("[]")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` if it is on this site, else the Today screen."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(BadInput, library.LoginView):
    """Password, then the account's passkey or code (or a backup code), as the club asks.

    An account that must set up a device first (``ADMIN_2FA=required``) is held at the set-up
    after its password; a browser remembered for a device skips the second step.
    """

    template_name = "accounts/login.html"
    form_list = (
        (library.LoginView.AUTH_STEP, forms.PasswordForm),
        (library.LoginView.TOKEN_STEP, forms.CodeForm),
        (library.LoginView.BACKUP_STEP, forms.BackupCodeForm),
    )

    def has_token_step(self) -> bool:
        user = self.get_user()
        return (
            bool(user)
            and twofactor.mode() != twofactor.OFF
            and bool(twofactor.second_factors(user))
            and not self.remember_agent
        )

    def has_backup_step(self) -> bool:
        return self.has_token_step() and self.TOKEN_STEP not in self.storage.validated_step_data

    condition_dict = {
        library.LoginView.TOKEN_STEP: has_token_step,
        library.LoginView.BACKUP_STEP: has_backup_step,
    }

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "enrolling_user", None) is not None:
            return redirect(f"{reverse('two_factor:setup')}?next={self.get_success_url()}")
        if request.method == "GET" and request.user.is_authenticated and request.user.is_staff:
            return HttpResponseRedirect(self.get_success_url())
        if request.method == "POST" and not browsers.is_known_anywhere(request):
            enforce(request, LOGIN_LIMITS)
        response = super().dispatch(request, *args, **kwargs)
        # django-axes marked a refused password (AxesMiddleware's job, done here so that no
        # other request, a runner's least of all, passes through it).
        if getattr(request, "axes_locked_out", False):
            return lockouts.locked_out(
                request, response, getattr(request, "axes_credentials", None)
            )
        return response

    def get_success_url(self) -> str:
        url = safe_next(self.request, self.get_redirect_url())
        return resolve_url(settings.LOGIN_REDIRECT_URL) if url == self.request.path else url

    def get_device(self, step: str | None = None) -> Device | None:
        """The device chosen on the page, else the backup codes at their step, else the
        account's passkey, else its authenticator app."""
        if not self.device_cache:
            chosen = self.request.POST.get("challenge_device") or self.storage.data.get(
                "challenge_device"
            )
            self.device_cache = next(
                (d for d in self.get_devices() if chosen and d.persistent_id == chosen), None
            )
            if step == self.BACKUP_STEP:
                self.device_cache = StaticDevice.objects.filter(user_id=self.get_user().pk).first()
            if not self.device_cache:
                self.device_cache = twofactor.preferred_device(self.get_user())
        return self.device_cache

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form, **kwargs)
        context.update(_admin_context(self.request))
        context.update(title=wording.LOG_IN, club=settings.CLUB_NAME, wording=wording)
        if isinstance(form, forms.PasskeyForm):
            context["passkey_request"] = form.new_options()
        return context

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponseBase:
        user = self.get_user()
        previous_login = user.last_login
        response = super().done(form_list, **kwargs)
        self.request.session.pop("next", None)
        sessions.mark_logged_in(self.request)
        # Devices added or removed since the account's last log-in: was it them?
        changes = twofactor.changes_since(user, previous_login)
        if changes and previous_login is not None:
            messages.warning(self.request, twofactor.changes_sentence(changes))
        if twofactor.must_enrol(user):
            return redirect(f"{reverse('two_factor:setup')}?next={self.get_success_url()}")
        if getattr(user, "otp_device", None) is None:
            response = HttpResponseRedirect(self.get_success_url())
        browsers.note(self.request, user, response)
        return response


@method_decorator(enrolment, name="dispatch")
class SetupView(BadInput, library.SetupView):
    """Setting up the account's first device: an authenticator app or a passkey.

    The key (or passkey challenge) is made for this session alone and kept in it until the
    set-up is done; only then is a device saved, in a transaction that refuses if the account
    gained a device meanwhile (another browser's set-up) and this session has not passed it.
    """

    template_name = "accounts/setup.html"
    form_list = (("method", forms.MethodChoiceForm),)  # type: ignore[assignment]  # no welcome step
    success_url = "admin:index"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = self.refusal(request)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, request: HttpRequest) -> HttpResponseBase | None:
        """An account with a device is never shown a new key by a session that has not
        passed it: that session ends."""
        if twofactor.second_factors(request.user) and not twofactor.is_verified(request.user):
            sessions.end(request)
            messages.error(request, wording.ALREADY_SET_UP)
            return redirect("two_factor:login")
        if twofactor.second_factors(request.user):
            return redirect("two_factor:profile")
        return None

    def get_available_methods(self) -> list[Any]:
        methods = super().get_available_methods()
        return (
            methods
            if passkeys_possible(self.request)
            else [m for m in methods if m.code != "webauthn"]
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The library's own get sends an account with a device away; refusal() has decided.
        return super(library.SetupView, self).get(request, *args, **kwargs)

    def get_redirect_url(self) -> str:
        url = super().get_redirect_url()
        return url if url != reverse("two_factor:login") else ""

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form, **kwargs)
        context.update(_admin_context(self.request))
        context.update(title=self.title, club=settings.CLUB_NAME, wording=wording)
        context["required"] = twofactor.mode() == twofactor.REQUIRED
        who = self.request.user.get_username()
        context["setup_required"] = str(wording.SETUP_REQUIRED).format(
            club=settings.CLUB_NAME, who=who
        )
        context["passkey_setup"] = str(wording.PASSKEY_SETUP).format(club=settings.CLUB_NAME)
        if self.steps.current == "generator":
            issuer = settings.CLUB_NAME
            context["issuer"] = issuer
            context["otpauth_url"] = get_otpauth_url(
                self.request.user.get_username(), context["secret_key"], issuer
            )
            # Drawn here, into the page (segno), as the check-in QR codes are.
            context["qr"] = segno.make_qr(context["otpauth_url"], error="m").svg_data_uri(
                scale=5, border=2
            )
            secret = context["secret_key"]
            context["secret_groups"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        if isinstance(form, forms.PasskeySetupForm):
            context["passkey_creation"] = form.new_options()
        return context

    title = wording.SETUP_TITLE

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponseBase:
        self.request.session.pop(self.session_key_name, None)
        user = self.request.user
        first = getattr(self.request, "enrolling_user", None) is not None
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            refusal = self.refusal(self.request) if not self.adds_to_existing else None
            if refusal is not None:
                return refusal
            if self.get_method().code == "generator":
                form = next(f for f in form_list if isinstance(f, forms.SetupCodeForm))
                device = form.save()
            else:
                device = self.get_device()
            twofactor.confirm(device, actor=user)
        django_otp.login(self.request, device)
        messages.success(self.request, str(wording.ADDED).format(what=twofactor.describe(device)))
        response = redirect(self.get_success_url())
        if first:
            browsers.note(self.request, user, response)
        return response

    adds_to_existing = False


@method_decorator(staff, name="dispatch")
class AddPasskeyView(SetupView):
    """A passkey beside the account's authenticator app, for a session that has passed it."""

    title = wording.PASSKEY_ADD_TITLE
    success_url = "two_factor:profile"
    adds_to_existing = True

    def refusal(self, request: HttpRequest) -> HttpResponseBase | None:
        if twofactor.second_factors(request.user) and not twofactor.is_verified(request.user):
            return redirect_to_login(request.get_full_path())
        if not passkeys_possible(request):
            messages.error(request, wording.PASSKEY_NEEDS_A_NAME)
            return redirect("two_factor:profile")
        return None

    def get_available_methods(self) -> list[Any]:
        return [m for m in super().get_available_methods() if m.code == "webauthn"]


@method_decorator(enrolment, name="dispatch")
class QRView(library.QRGeneratorView):
    """The set-up's QR code, from this session's key, with the club's name as the issuer."""

    def get_issuer(self) -> str:
        return str(settings.CLUB_NAME)


@method_decorator(staff, name="dispatch")
class BackupCodesView(library.BackupTokensView):
    """Backup codes, for a session that passed one of the account's devices (under
    ``ADMIN_2FA=off`` a password-only session is sent back, not round the log-in)."""

    template_name = "accounts/backup_codes.html"
    success_url = "two_factor:backup_tokens"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not twofactor.is_verified(request.user):
            return redirect("two_factor:profile")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_admin_context(self.request))
        context.update(title=wording.BACKUP_CODES, wording=wording)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = self.request.user
        twofactor.log_change(user, user, added=[str(wording.BACKUP_CODES)], removed=[])
        return response


def _detail(device: Device) -> str:
    parts = []
    created, used = getattr(device, "created_at", None), getattr(device, "last_used_at", None)
    if created:
        parts.append(str(wording.ADDED_ON).format(when=date_format(localtime(created))))
    if used:
        when = date_format(localtime(used), "DATETIME_FORMAT")
        parts.append(str(wording.LAST_USED).format(when=when))
    return "; ".join(parts)


@never_cache
@staff
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """``/admin/two-factor/``: the account's own devices: add, remove, backup codes."""
    user = request.user
    assert user.is_authenticated  # staff() lets only logged-in staff in
    backup = StaticDevice.objects.filter(user=user).first()
    left = backup.token_set.count() if backup else 0
    devices = twofactor.second_factors(user)
    context = {
        **_admin_context(request),
        "title": wording.PAGE_TITLE,
        "wording": wording,
        "devices": [(d, twofactor.describe(d), _detail(d)) for d in devices],
        "backup_left": left,
        "backup_left_sentence": str(wording.BACKUP_LEFT).format(n=left),
        "mode": twofactor.mode(),
        # Under required the last one stays (remove_device refuses it too).
        "can_remove": twofactor.mode() != twofactor.REQUIRED or len(devices) > 1,
        "lost": str(wording.LOST).format(who=user.get_username()),
    }
    return render(request, "accounts/two_factor.html", context)


@never_cache
@require_POST
@staff
def remove_device(request: HttpRequest) -> HttpResponse:
    """Remove one of the account's own devices, from a session that passed one of them."""
    user = request.user
    assert user.is_authenticated  # staff() lets only logged-in staff in
    devices = twofactor.second_factors(user)
    chosen = request.POST.get("device")
    device = next((d for d in devices if d.persistent_id == chosen), None)
    if device is None or not twofactor.is_verified(user):
        return redirect("two_factor:profile")
    if twofactor.mode() == twofactor.REQUIRED and len(devices) == 1:
        messages.error(request, wording.CANNOT_REMOVE)
        return redirect("two_factor:profile")
    removed = twofactor.remove([device], actor=user, owner=user)
    if len(devices) == 1:
        twofactor.remove(StaticDevice.objects.filter(user=user), actor=user, owner=user)
    messages.success(request, str(wording.REMOVED).format(what=", ".join(removed)))
    return redirect("two_factor:profile")
