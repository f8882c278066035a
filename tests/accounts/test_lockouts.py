"""Wrong passwords lock a username out from one address (django-axes, in the database), with a
higher ceiling across all addresses; the owner still gets in from elsewhere, and from a browser
that has logged in before."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.authenticator import code_step, password_step
from tests.factories import OrganiserFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery"


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


@pytest.fixture(autouse=True)
def _password_alone(settings: object) -> None:
    settings.ADMIN_2FA = "optional"  # accounts without a device: the password is the whole log-in


def wrong_passwords(client: Client, n: int, username: str = "ola") -> list[int]:
    return [password_step(client, username, f"guess {i}").status_code for i in range(n)]


def test_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere() -> None:
    OrganiserFactory(username="ola")
    attacker = from_address("203.0.113.66")
    assert wrong_passwords(attacker, 5) == [400] * 4 + [429]
    refused = password_step(attacker, "ola", RIGHT)
    assert refused.status_code == 429
    assert "Too many wrong passwords" in text_of(refused)
    assert "manage.py axes_reset_username ola" in text_of(refused)
    owner = from_address("198.51.100.7")
    assert password_step(owner, "ola", RIGHT)["Location"] == "/admin/"
    assert owner.get("/admin/").status_code == 200


@pytest.mark.parametrize("spelling", ["Ola", "ｏｌａ", "OLA"])
def test_every_spelling_of_a_username_shares_one_count(spelling: str) -> None:
    OrganiserFactory(username="ola")
    attacker = from_address("203.0.113.66")
    wrong_passwords(attacker, 4)
    assert password_step(attacker, spelling, "guess again").status_code == 429


def test_many_addresses_together_meet_the_per_username_ceiling(settings: object) -> None:
    settings.LOGIN_FAILURES_PER_USERNAME = 12
    OrganiserFactory(username="ola")
    for host in range(3):
        wrong_passwords(from_address(f"203.0.113.{host}"), 4)
    assert password_step(from_address("198.51.100.7"), "ola", RIGHT).status_code == 429


def test_a_browser_that_logged_in_before_gets_through_a_lock_out(settings: object) -> None:
    settings.LOGIN_FAILURES_PER_USERNAME = 5
    OrganiserFactory(username="ola")
    club_laptop = from_address("198.51.100.7")
    password_step(club_laptop, "ola", RIGHT)
    club_laptop.post("/admin/logout/")
    for host in range(2):
        wrong_passwords(from_address(f"203.0.113.{host}"), 3)
    assert password_step(from_address("198.51.100.8"), "ola", RIGHT).status_code == 429
    assert password_step(club_laptop, "ola", RIGHT)["Location"] == "/admin/"


def test_log_in_posts_are_limited_per_address(settings: object) -> None:
    settings.RATELIMIT_LOGIN_PER_ADDRESS = "6/m"
    sprayer = from_address("203.0.113.66")
    statuses = [password_step(sprayer, f"user{i}", "x").status_code for i in range(7)]
    assert statuses == [400] * 6 + [429]
    assert "Too many tries" in text_of(password_step(sprayer, "x", "y"))
    OrganiserFactory(username="ola")
    assert password_step(from_address("198.51.100.1"), "ola", RIGHT).status_code == 302


def test_wrong_codes_are_counted_on_the_device_in_the_database(settings: object) -> None:
    settings.ADMIN_2FA = "required"
    device = TOTPDevice.objects.create(user=OrganiserFactory(username="ola"), confirmed=True)
    client = Client()
    password_step(client, "ola", RIGHT)
    code_step(client, "000000")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_another_admin_lifts_a_lock_out_by_command() -> None:
    OrganiserFactory(username="ola")
    shared_wifi = from_address("203.0.113.66")
    wrong_passwords(shared_wifi, 5)
    assert password_step(shared_wifi, "ola", RIGHT).status_code == 429
    call_command("axes_reset_username", "ola")  # what the lock-out page and the README say
    assert password_step(shared_wifi, "ola", RIGHT)["Location"] == "/admin/"
