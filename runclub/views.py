from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from calendar_app.models import Run


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"run": Run.objects.today().first()})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin's).
    return redirect(static("favicon.svg"), permanent=True)
