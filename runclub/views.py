from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from calendar_app.models import Run


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"run": Run.objects.today().first()})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
