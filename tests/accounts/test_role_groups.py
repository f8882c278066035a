"""The "Organisers" and "Committee" groups the roles migration makes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from runclub.accounts.roles import (
    COMMITTEE,
    ORGANISERS,
    can_edit_calendar,
    can_see_calendar,
    can_see_names,
)
from tests.factories import CommitteeFactory, OrganiserFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def codenames(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_it_gives_organisers_every_permission_on_runs_check_ins_terms_and_members() -> None:
    assert codenames(ORGANISERS) == {
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("run", "attendance", "term", "member")
    }


def test_it_lets_the_committee_look_but_not_edit() -> None:
    assert codenames(COMMITTEE) == {"view_run", "view_attendance", "view_term", "view_member"}


@pytest.mark.parametrize(
    ("make_user", "names", "sees_calendar", "edits_calendar"),
    [
        (AnonymousUser, False, False, False),
        (UserFactory, False, False, False),
        (CommitteeFactory, True, True, False),
        (OrganiserFactory, True, True, True),
        (StaffFactory, True, True, True),
    ],
)
def test_it_answers_each_role_as_the_roles_say(
    make_user: type, names: bool, sees_calendar: bool, edits_calendar: bool
) -> None:
    user = make_user()
    assert can_see_names(user) is names
    assert can_see_calendar(user) is sees_calendar
    assert can_edit_calendar(user) is edits_calendar
