"""GET /api/qr/{session_id} and GET /api/qr/validate/{token}."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import zxingcpp
from django.test import Client
from PIL import Image

from calendar_app.models import Run, club_today
from calendar_app.tokens import make_token
from tests.factories import RunFactory

pytestmark = pytest.mark.django_db


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


def test_a_genuine_token_for_today_is_valid(client: Client, run: Run) -> None:
    assert client.get(f"/api/qr/validate/{make_token(run.session_id)}").json() == {
        "valid": True,
        "reason": "Open for check-in today.",
        "session_id": run.session_id,
        "date": run.date.isoformat(),
    }


def test_a_forged_token_is_not(client: Client, run: Run) -> None:
    forged = make_token(run.session_id)[:-3] + "abc"
    body = client.get(f"/api/qr/validate/{forged}").json()
    assert body == {
        "valid": False,
        "reason": "This is not a check-in code of ours.",
        "session_id": None,
        "date": None,
    }


@pytest.mark.parametrize(
    ("days", "is_active", "reason"),
    [
        (-1, True, "Check-in for this run has closed."),
        (2, True, "Check-in opens on the day of the run."),
        (0, False, "This run is cancelled."),
    ],
)
def test_a_genuine_token_out_of_its_day_says_why(
    client: Client, days: int, is_active: bool, reason: str
) -> None:
    run = RunFactory(date=club_today() + dt.timedelta(days=days), is_active=is_active)
    body = client.get(f"/api/qr/validate/{make_token(run.session_id)}").json()
    assert (body["valid"], body["reason"], body["session_id"]) == (False, reason, run.session_id)


def test_a_token_for_a_deleted_run_is_not_valid(client: Client) -> None:
    token = make_token("B" * 22)
    assert client.get(f"/api/qr/validate/{token}").json()["reason"] == "That run no longer exists."
