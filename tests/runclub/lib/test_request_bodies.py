"""Bodies declared in another charset than UTF-8 get a 400 that says so, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from calendar_app.models import Run
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "latin-1", "no-such-charset"])
def test_a_check_in_form_in_another_charset_is_a_400(
    client: Client, run: Run, charset: str
) -> None:
    response = client.generic(
        "POST",
        run.checkin_path(),
        "runner_name=Ana".encode("utf-16") if charset == "utf-16" else b"runner_name=Ana",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert "didn't make sense" in text_of(response)
    assert run.attendances.count() == 0


def test_an_api_body_in_another_charset_is_a_400_in_json(client: Client, run: Run) -> None:
    body = f'{{"session_id": "{run.session_id}", "runner_name": "Ana"}}'.encode("utf-16")
    response = client.generic(
        "POST", "/api/register", body, content_type="application/json; charset=utf-16"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.json()["detail"]
    assert run.attendances.count() == 0


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8"])
def test_utf_8_is_welcome(client: Client, run: Run, charset: str) -> None:
    response = client.generic(
        "POST",
        run.checkin_path(),
        "runner_name=Zoë&submission_id=5d6c1b52-8f5e-4f43-9a43-1f4b1b1b1b1b".encode(),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 200
    assert run.attendances.get().runner_name == "Zoë"
