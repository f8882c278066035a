"""Every start makes sure of the admin account, without undoing what an admin changed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

FIRST = "a long first password"


def authenticate(username: str, password: str):  # type: ignore[no-untyped-def]
    """Django's check of a password, with the request django-axes counts attempts by."""
    request = RequestFactory().post("/admin/login/")
    return auth.authenticate(request, username=username, password=password)


def ensure_admin() -> str:
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


@pytest.fixture
def from_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("ADMIN_USERNAME", "captain")
    monkeypatch.setenv("ADMIN_PASSWORD", FIRST)
    monkeypatch.delenv("ADMIN_PASSWORD_RESET", raising=False)
    return monkeypatch


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


def test_it_creates_the_account_the_environment_names(from_environment) -> None:
    assert "Created admin account 'captain'" in ensure_admin()
    user = authenticate(username="captain", password=FIRST)
    assert user is not None and user.is_staff and user.is_superuser


def test_a_restart_keeps_a_password_changed_in_the_admin(from_environment) -> None:
    ensure_admin()
    user = get_user_model().objects.get(username="captain")
    user.set_password("changed in the admin")
    user.save()
    assert "its password is kept" in ensure_admin()  # the next start
    assert authenticate(username="captain", password="changed in the admin") is not None
    assert authenticate(username="captain", password=FIRST) is None


def test_the_operator_resets_it_by_asking(from_environment) -> None:
    ensure_admin()
    user = get_user_model().objects.get(username="captain")
    user.set_password("forgotten")
    user.is_active = False
    user.save()
    from_environment.setenv("ADMIN_PASSWORD", "a new club password")
    from_environment.setenv("ADMIN_PASSWORD_RESET", "true")
    assert "remove it, or every start resets it" in ensure_admin()
    user = authenticate(username="captain", password="a new club password")
    assert user is not None and user.is_active and user.is_superuser
