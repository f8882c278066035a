"""One view: GET a one-field form, POST a name (one INSERT under a UNIQUE constraint)."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

TABLE = "bare_checkin"
FORM = (
    '<form method="post"><input type="hidden" name="submission_id" value="{}">'
    '<input name="runner_name"><button>Check in</button></form>'
)


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} ("
            "run varchar(64) NOT NULL, name varchar(255) NOT NULL, UNIQUE (run, name))"
        )


def checkin(request: HttpRequest, run: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(FORM.format(uuid.uuid4()))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (run, name) VALUES (%s, %s)",
                [run, request.POST.get("runner_name", "")],
            )
    except IntegrityError:
        return HttpResponse("already checked in", status=409)
    return HttpResponse("checked in")


urlpatterns = [path("checkin/<str:run>/", checkin)]
