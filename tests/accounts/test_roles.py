from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from runclub.accounts.roles import can_see_names
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_never_see_names() -> None:
    assert not can_see_names(AnonymousUser())


def test_a_plain_account_does_not_see_names() -> None:
    assert not can_see_names(UserFactory())


def test_an_account_with_the_view_permission_sees_names() -> None:
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_attendance"))
    assert can_see_names(user)


def test_a_superuser_sees_names_but_not_once_deactivated() -> None:
    admin = StaffFactory()
    assert can_see_names(admin)
    admin.is_active = False
    assert not can_see_names(admin)
