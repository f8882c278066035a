"""Organisers' log-ins: a code after the password (ADMIN_2FA), enrolling, the first admin."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pyotp
import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OrganiserFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
LOGIN = "/admin/login/"
TODAY = "/admin/"


def password_step(client: Client, username: str = "ola", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password, "next": TODAY})


def logged_in(client: Client) -> bool:
    return client.get(TODAY).status_code == 200


def key_on(page: str) -> str:
    match = re.search(r"<code>([A-Z2-7 ]+)</code>", page)
    assert match, "the enrol page shows the key to type"
    return match.group(1).replace(" ", "")


def enrolled(username: str = "ola") -> pyotp.TOTP:
    """An organiser with an authenticator app already set up; the app, to read codes from."""
    user = OrganiserFactory(username=username)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode())


def test_required_sends_an_account_without_a_device_to_enrol_before_letting_it_in(
    client: Client, settings: object
) -> None:
    settings.ADMIN_2FA = "required"
    OrganiserFactory(username="ola")
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == "/admin/login/enrol/"
    assert not logged_in(client)  # the password alone opens nothing
    page = client.get("/admin/login/enrol/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR, drawn here (no third party)
    app = pyotp.TOTP(key_on(html))
    wrong = client.post(
        "/admin/login/enrol/", {"code": "000000" if app.now() != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert "That code isn't right" in text_of(wrong)
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert not logged_in(client)
    again = client.post("/admin/login/enrol/", {"code": app.now()})
    assert "Too many wrong codes in a row: wait a second" in text_of(again)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):
        right = client.post("/admin/login/enrol/", {"code": app.now()})
    assert right.status_code == 302 and right["Location"] == TODAY
    assert logged_in(client)
    assert TOTPDevice.objects.get().confirmed


def test_an_enrolled_account_is_asked_for_its_code(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "optional"
    app = enrolled()
    response = password_step(client)
    assert response["Location"] == "/admin/login/code/"
    assert not logged_in(client)
    wrong = client.post("/admin/login/code/", {"code": "12345x"})
    assert wrong.status_code == 400
    assert "That code isn't right" in text_of(wrong)
    assert not logged_in(client)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):
        right = client.post("/admin/login/code/", {"code": app.now()})
    assert right["Location"] == TODAY
    assert logged_in(client)


def test_a_code_once_used_is_not_taken_again(settings: object) -> None:
    settings.ADMIN_2FA = "required"
    app = enrolled()
    code = app.now()
    first, second = Client(), Client()
    password_step(first)
    assert first.post("/admin/login/code/", {"code": code}).status_code == 302
    password_step(second)
    assert second.post("/admin/login/code/", {"code": code}).status_code == 400


def test_optional_lets_an_account_without_a_device_in_with_its_password(
    client: Client, settings: object
) -> None:
    settings.ADMIN_2FA = "optional"
    OrganiserFactory(username="ola")
    assert password_step(client)["Location"] == TODAY
    assert logged_in(client)


def test_off_asks_nobody_for_a_code(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "off"
    enrolled()
    assert password_step(client)["Location"] == TODAY
    assert logged_in(client)


def test_a_wrong_password_never_reaches_the_code_step(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "required"
    enrolled()
    response = password_step(client, password="wrong")
    assert response.status_code == 200  # the log-in page again, saying why
    assert client.get("/admin/login/code/")["Location"] == LOGIN


def test_the_code_step_lasts_five_minutes(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "required"
    app = enrolled()
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC), tick=False):
        password_step(client)
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, 6, tzinfo=dt.UTC), tick=False):
        response = client.post("/admin/login/code/", {"code": app.now()})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not logged_in(client)


def test_the_first_admin_on_a_fresh_machine_gets_in_by_enrolling(
    client: Client, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.ADMIN_2FA = "required"
    monkeypatch.setenv("ADMIN_USERNAME", "captain")
    monkeypatch.setenv("ADMIN_PASSWORD", "a long first password")
    call_command("ensure_admin")  # what `make run` does
    assert not TOTPDevice.objects.exists()
    response = password_step(client, "captain", "a long first password")
    assert response["Location"] == "/admin/login/enrol/"
    app = pyotp.TOTP(key_on(client.get(response["Location"]).content.decode()))
    assert client.post("/admin/login/enrol/", {"code": app.now()})["Location"] == TODAY
    assert "Coming up" in text_of(client.get(TODAY))


def test_an_organiser_may_enrol_and_remove_under_optional(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "optional"
    OrganiserFactory(username="ola")
    password_step(client)
    page = client.get("/admin/two-factor/").content.decode()
    assert "Off." in page
    app = pyotp.TOTP(key_on(page))
    assert client.post("/admin/two-factor/", {"code": "999999x"}).status_code == 400
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):
        client.post("/admin/two-factor/", {"code": app.now()})
    assert "On." in client.get("/admin/two-factor/").content.decode()
    assert TOTPDevice.objects.get().confirmed
    client.post("/admin/two-factor/", {"remove": "yes"})
    assert not TOTPDevice.objects.exists()


def test_under_required_it_cannot_be_removed(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "required"
    app = enrolled()
    password_step(client)
    client.post("/admin/login/code/", {"code": app.now()})
    response = client.post("/admin/two-factor/", {"remove": "yes"}, follow=True)
    assert "it cannot be removed" in text_of(response)
    assert TOTPDevice.objects.filter(confirmed=True).exists()


def test_a_lost_phone_is_reset_by_command(client: Client, settings: object, capsys) -> None:  # type: ignore[no-untyped-def]
    settings.ADMIN_2FA = "required"
    enrolled()
    call_command("reset_2fa", "ola")
    assert "They set up a new one at their next log-in." in capsys.readouterr().out
    assert password_step(client)["Location"] == "/admin/login/enrol/"


def test_every_admin_page_links_to_the_organisers_own_two_factor_page(staff_client: Client) -> None:
    assert 'href="/admin/two-factor/"' in staff_client.get(TODAY).content.decode()


def test_a_log_in_from_a_new_browser_is_in_the_admin_log(settings: object) -> None:
    settings.ADMIN_2FA = "optional"
    OrganiserFactory(username="ola")
    laptop = Client(HTTP_USER_AGENT="Firefox on the club laptop")
    password_step(laptop)
    [entry] = LogEntry.objects.all()
    assert entry.object_repr == "ola"
    assert entry.change_message.startswith(
        "Logged in from a new browser: Firefox on the club laptop (address 127.0.0.1)"
    )
    laptop.post("/admin/logout/")
    password_step(laptop)  # the same browser again: nothing new to say
    assert LogEntry.objects.count() == 1
    password_step(Client(HTTP_USER_AGENT="Safari on a phone"))
    assert LogEntry.objects.count() == 2


def test_a_staff_session_ends_after_the_hours_without_a_request(settings: object) -> None:
    settings.ADMIN_2FA = "optional"
    settings.ADMIN_SESSION_HOURS = 8
    OrganiserFactory(username="ola")
    client = Client()
    start = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        password_step(client)
    # Used within the hours, it goes on: each request counts afresh.
    for hours in (7, 14, 21):
        with time_machine.travel(start + dt.timedelta(hours=hours), tick=False):
            assert logged_in(client)
    with time_machine.travel(start + dt.timedelta(hours=29, minutes=1), tick=False):
        response = client.get(TODAY)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    with time_machine.travel(start + dt.timedelta(hours=29, minutes=2), tick=False):
        assert not logged_in(client)  # ended, not merely refused once


def test_a_superuser_removes_a_lost_phone_in_the_admin(
    staff_client: Client, settings: object
) -> None:
    settings.ADMIN_2FA = "required"
    enrolled()
    page = staff_client.get("/admin/").content.decode()
    assert "Two-factor sign-in" in page and "/admin/otp_totp/totpdevice/" in page
    device = TOTPDevice.objects.get()
    listing = staff_client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "ola" in listing
    assert device.key not in listing  # the secret stays secret (OTP_ADMIN_HIDE_SENSITIVE_DATA)
    staff_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.exists()
    assert password_step(Client())["Location"] == "/admin/login/enrol/"  # a new phone
