from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django_ratelimit.exceptions import Ratelimited

from attendance import wording
from calendar_app import feed
from calendar_app.models import Run, club_today
from runclub.lib import ratelimits


def home(request: HttpRequest) -> HttpResponse:
    """Today's run, or when the next one is."""
    today = club_today()
    run = Run.objects.filter(date=today).first()
    next_run = None if run is not None and run.is_active else Run.next_after(today)
    context = {"run": run, "next_run": wording.next_run(next_run), "feed": feed.links()}
    return render(request, "home.html", context)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the club's name: Django's own renders it with no context at all."""
    page = loader.get_template("500.html").render({"club_name": settings.CLUB_NAME})
    return HttpResponseServerError(page)


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
