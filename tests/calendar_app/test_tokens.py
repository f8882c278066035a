"""The signed check-in link: forged, damaged or foreign tokens are a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.test import Client

from attendance.models import Attendance
from calendar_app.models import Run, club_today
from calendar_app.tokens import make_token, read_token
from tests.factories import RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_the_link_carries_a_signed_session_id(run: Run) -> None:
    token = run.token_path().split("/")[2]
    assert read_token(token) == run.session_id


def test_a_tampered_signature_is_404(client: Client, run: Run) -> None:
    token = make_token(run.session_id)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(f"/checkin/{flipped}/")
    assert response.status_code == 404
    assert "it isn't one of ours" in text_of(response)


def test_a_tampered_session_id_is_404(client: Client, run: Run) -> None:
    other = RunFactory(date=club_today() + dt.timedelta(days=1))
    signature = make_token(run.session_id).split(":")[1]
    assert client.get(f"/checkin/{other.session_id}:{signature}/").status_code == 404


def test_a_token_signed_with_another_salt_is_404(client: Client, run: Run) -> None:
    token = signing.Signer(salt="some.other.purpose").sign(run.session_id)
    assert client.get(f"/checkin/{token}/").status_code == 404


def test_a_token_signed_with_another_key_is_404(client: Client, run: Run) -> None:
    token = signing.Signer(key="not-our-secret", salt="runclub.checkin").sign(run.session_id)
    assert client.get(f"/checkin/{token}/").status_code == 404


def test_a_bare_session_id_is_404(client: Client, run: Run) -> None:
    assert client.get(f"/checkin/{run.session_id}/").status_code == 404


def test_a_genuine_token_for_a_deleted_run_is_404(client: Client) -> None:
    token = make_token("x" * 22)
    assert client.get(f"/checkin/{token}/").status_code == 404


@pytest.mark.parametrize("junk", ["%00", "..%2F..%2Fetc", "a:b", "é" * 30, "x" * 500])
def test_junk_is_404_and_writes_nothing(client: Client, run: Run, junk: str) -> None:
    assert client.get(f"/checkin/{junk}/").status_code == 404
    assert client.post(f"/checkin/{junk}/", {"runner_name": "Ana"}).status_code == 404
    assert Attendance.objects.count() == 0


def test_another_days_token_does_not_open_today(client: Client) -> None:
    yesterday = RunFactory(date=club_today() - dt.timedelta(days=1))
    RunFactory()  # today's run exists, but this code is not for it
    response = client.post(yesterday.token_path(), {"runner_name": "Ana"})
    assert response.status_code == 410
    assert Attendance.objects.count() == 0
