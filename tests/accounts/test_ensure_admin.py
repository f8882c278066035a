from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def ensure_admin() -> str:
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_it_generates_an_admin_once_and_prints_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    output = ensure_admin()
    password = output.split("password: ")[1].split()[0]
    assert authenticate(username="admin", password=password).is_superuser
    assert "password" not in ensure_admin()
    assert get_user_model().objects.count() == 1


def test_it_uses_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_USERNAME", "captain")
    monkeypatch.setenv("ADMIN_PASSWORD", "a long club password")
    ensure_admin()
    monkeypatch.setenv("ADMIN_PASSWORD", "a new club password")
    ensure_admin()
    user = authenticate(username="captain", password="a new club password")
    assert user is not None and user.is_staff and user.is_superuser
