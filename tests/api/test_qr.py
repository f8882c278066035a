"""GET /api/qr/{session_id} and GET /api/qr/validate/{token}."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
import zxingcpp
from django.test import Client
from django.utils import dateformat
from PIL import Image

from calendar_app.models import Run, club_today
from calendar_app.tokens import make_token
from tests.factories import RunFactory

pytestmark = pytest.mark.django_db


def long_date(date: dt.date) -> str:
    return dateformat.format(date, "l j F Y")


def test_staff_get_a_scannable_png(staff_client: Client, run: Run) -> None:
    response = staff_client.get(f"/api/qr/{run.session_id}", {"format": "png"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert code.text == run.checkin_url()


def test_staff_get_an_svg_by_default(staff_client: Client, run: Run) -> None:
    response = staff_client.get(f"/api/qr/{run.session_id}")
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def test_the_qr_code_is_for_staff_only(client: Client, run: Run) -> None:
    assert client.get(f"/api/qr/{run.session_id}").status_code == 401


def test_an_unknown_run_is_404_and_a_malformed_id_422(staff_client: Client, run: Run) -> None:
    assert staff_client.get(f"/api/qr/{'A' * 22}").status_code == 404
    assert staff_client.get("/api/qr/no").status_code == 422
    assert staff_client.get(f"/api/qr/{run.session_id}", {"format": "gif"}).status_code == 422


UNKNOWN = (
    "That code isn't one of ours. Check it against the code shown at the run and try again, "
    "or ask an organiser."
)


def test_a_genuine_token_for_today_is_valid(client: Client, run: Run) -> None:
    assert client.get(f"/api/qr/validate/{make_token(run.session_id)}").json() == {
        "valid": True,
        "reason": f"Check-in is open. The run on {long_date(run.date)} is on today.",
        "session_id": run.session_id,
        "date": run.date.isoformat(),
    }


def test_a_forged_token_is_not(client: Client, run: Run) -> None:
    forged = make_token(run.session_id)[:-3] + "abc"
    body = client.get(f"/api/qr/validate/{forged}").json()
    assert body == {"valid": False, "reason": UNKNOWN, "session_id": None, "date": None}


@pytest.mark.parametrize(
    ("days", "is_active", "reason"),
    [
        (-1, True, "Check-in has closed. This run was on {date}."),
        (2, True, "Check-in isn't open yet. Check-in opens on {date}, the day of the run."),
        (0, False, "This run is cancelled. The run on {date} was cancelled by the organisers"),
    ],
)
def test_a_genuine_token_out_of_its_day_says_why(
    client: Client, days: int, is_active: bool, reason: str
) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=days), is_active=is_active)
    body = client.get(f"/api/qr/validate/{make_token(run.session_id)}").json()
    assert (body["valid"], body["session_id"]) == (False, run.session_id)
    assert body["reason"].startswith(reason.format(date=long_date(run.date)))


def test_a_token_for_a_deleted_run_is_not_valid(client: Client) -> None:
    token = make_token("B" * 22)
    assert client.get(f"/api/qr/validate/{token}").json()["reason"] == UNKNOWN


@pytest.mark.parametrize("spelling", ["{code}", "{lower}", "{spaced}", "{lookalikes}"])
def test_a_short_code_is_valid_in_any_case_and_spelling(
    client: Client, run: Run, spelling: str, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    code = "0K3M1QXD"
    with django_capture_on_commit_callbacks(execute=True):  # forgets any cached run of that code
        run.short_code = code
        run.save()
    typed = spelling.format(
        code=code, lower=code.lower(), spaced="0k3m-1qxd", lookalikes="oK3MiQXD"
    )
    body = client.get(f"/api/qr/validate/{typed}").json()
    assert (body["valid"], body["session_id"]) == (True, run.session_id)


def test_a_short_code_out_of_its_day_says_why(client: Client) -> None:
    run = RunFactory(date=club_today() - dt.timedelta(days=1))
    body = client.get(f"/api/qr/validate/{run.short_code}").json()
    assert (body["valid"], body["session_id"]) == (False, run.session_id)
    assert body["reason"].startswith("Check-in has closed.")


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "7K3M9QX", "UUUUUUUU", "not a code"])
def test_a_wrong_short_code_is_not_valid(client: Client, run: Run, code: str) -> None:
    body = client.get(f"/api/qr/validate/{code}").json()
    assert body == {"valid": False, "reason": UNKNOWN, "session_id": None, "date": None}


def test_wrong_short_codes_are_rate_limited_then_right_ones_too(
    client: Client, run: Run, settings: object
) -> None:
    settings.RATELIMIT_WRONG_CODE_PER_ADDRESS = "3/10m"
    for _ in range(3):
        assert client.get("/api/qr/validate/ZZZZZZZZ").json()["valid"] is False
    response = client.get("/api/qr/validate/ZZZZZZZZ")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert response.json()["detail"].startswith("Too many wrong codes from here.")
    # Past the limit even the right code gets no answer, or guessing could go on.
    assert client.get(f"/api/qr/validate/{run.short_code}").status_code == 429
