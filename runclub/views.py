from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django_ratelimit.exceptions import Ratelimited

from calendar_app.models import Run
from runclub import ratelimits


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"run": Run.objects.today().first()})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def ratelimited(request: HttpRequest, exception: Ratelimited) -> HttpResponse:
    """django-ratelimit's RATELIMIT_VIEW: a 429 page that says why, whichever limit was hit."""
    ratelimits.log_refusal(request, exception)
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(ratelimits.RETRY_AFTER_SECONDS)
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin's).
    return redirect(static("favicon.svg"), permanent=True)
