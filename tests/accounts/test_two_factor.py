"""Organisers' log-ins on django-two-factor-auth: a second step after the password
(ADMIN_2FA), setting it up, backup codes, remembered browsers, the first admin."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.authenticator import (
    Authenticator,
    backup_step,
    choose_app,
    code_step,
    confirm_app,
    log_in,
    password_step,
)
from tests.factories import AttendanceFactory, OrganiserFactory, RunFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
TODAY = "/admin/"
SETUP = "/admin/two-factor/set-up/"


def logged_in(client: Client) -> bool:
    return client.get(TODAY).status_code == 200


def enrolled(username: str = "ola") -> Authenticator:
    """An organiser with an authenticator app already set up; the app, to read codes from."""
    user = OrganiserFactory(username=username)
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return Authenticator(device.key, device.key)  # its own key: one run of codes each


def later(seconds: float) -> time_machine.travel:
    return time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds))


def test_required_holds_an_account_without_a_device_at_the_set_up(
    client: Client, settings: object
) -> None:
    settings.ADMIN_2FA = "required"
    OrganiserFactory(username="ola")
    AttendanceFactory(run=RunFactory(), runner_name="Ana Silva")
    response = password_step(client, "ola", PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    assert not logged_in(client)  # the password alone opens nothing
    for path in ("/qr/today/", "/export/attendance.csv", "/admin/attendance/runner/"):
        assert client.get(path).status_code == 302, path
    assert "Ana Silva" not in client.get("/api/attendance/today").content.decode()
    assert "Ana Silva" not in client.get("/live/").content.decode()
    assert client.get(TODAY)["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/")["Location"].startswith(SETUP)

    app = choose_app(client)
    wrong = confirm_app(client, "000000" if app.now() != "000000" else "111111")
    assert wrong.status_code == 400
    assert "That code didn't match." in text_of(wrong)
    assert not TOTPDevice.objects.exists()
    right = confirm_app(client, app.now())
    assert right.status_code == 302 and right["Location"] == TODAY
    assert logged_in(client)
    assert TOTPDevice.objects.get().confirmed


def test_two_browsers_get_different_keys_and_the_second_is_refused_once_one_confirms(
    settings: object,
) -> None:
    settings.ADMIN_2FA = "required"
    OrganiserFactory(username="ola")
    owner, intruder = Client(), Client()
    password_step(owner, "ola", PASSWORD)
    password_step(intruder, "ola", PASSWORD)
    owners_app, intruders_app = choose_app(owner), choose_app(intruder)
    assert owners_app.secret != intruders_app.secret
    assert confirm_app(owner, owners_app.now())["Location"] == TODAY
    refused = confirm_app(intruder, intruders_app.now())
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")
    assert not logged_in(intruder)
    [device] = TOTPDevice.objects.all()
    assert device.key != intruders_app.secret
    # The intruder's password alone never shows a key again.
    password_step(intruder, "ola", PASSWORD)
    assert intruder.get(SETUP).status_code == 302
    assert "<code>" not in intruder.get(SETUP, follow=True).content.decode()


def test_an_enrolled_account_is_asked_for_its_code(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "optional"
    app = enrolled()
    response = password_step(client, "ola", PASSWORD)
    assert response.status_code == 200 and "Code from your authenticator app" in text_of(response)
    assert not logged_in(client)
    wrong = code_step(client, "12345x")
    assert wrong.status_code == 400
    assert "Type the six digits your app shows." in text_of(wrong)
    wrong = code_step(client, "000000" if app.totp.now() != "000000" else "111111")
    assert "That code didn't match. Wait 1 second and try the new one" in text_of(wrong)
    right_away = code_step(client, app.code())
    assert "The last code didn't match, so the next try waits 1 second" in text_of(right_away)
    with later(2):
        right = code_step(client, app.code())
        assert right["Location"] == TODAY
        assert logged_in(client)


def test_a_code_once_used_is_not_taken_again(settings: object) -> None:
    settings.ADMIN_2FA = "required"
    app = enrolled()
    code = app.code()
    first, second = Client(), Client()
    password_step(first, "ola", PASSWORD)
    assert code_step(first, code).status_code == 302
    password_step(second, "ola", PASSWORD)
    assert code_step(second, code).status_code == 400


def test_optional_lets_an_account_without_a_device_in_with_its_password(
    client: Client, settings: object
) -> None:
    settings.ADMIN_2FA = "optional"
    OrganiserFactory(username="ola")
    assert password_step(client, "ola", PASSWORD)["Location"] == TODAY
    assert logged_in(client)


def test_off_asks_nobody_for_a_code(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "off"
    enrolled()
    assert password_step(client, "ola", PASSWORD)["Location"] == TODAY
    assert logged_in(client)


def test_a_wrong_password_never_reaches_the_code_step(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "required"
    enrolled()
    response = password_step(client, "ola", "wrong")
    assert response.status_code == 400
    assert "correct username and password" in text_of(response)
    assert code_step(client, "123456").status_code != 302
    assert not logged_in(client)


def test_the_code_step_lasts_five_minutes(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "required"
    app = enrolled()
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC), tick=False):
        password_step(client, "ola", PASSWORD)
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, 6, tzinfo=dt.UTC), tick=False):
        response = code_step(client, app.code())
    assert response.status_code != 302
    assert "Your session has timed out" in text_of(response)
    assert not logged_in(client)


def test_an_unsafe_next_lands_on_the_today_screen(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "optional"
    OrganiserFactory(username="ola")
    for unsafe in ("https://evil.example/", "//evil.example/", "/admin/login/"):
        response = password_step(Client(), "ola", PASSWORD, next_url=unsafe)
        assert response["Location"] == TODAY, unsafe


def test_the_first_admin_on_a_fresh_machine_gets_in_by_enrolling(
    client: Client, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.ADMIN_2FA = "required"
    monkeypatch.setenv("ADMIN_USERNAME", "captain")
    monkeypatch.setenv("ADMIN_PASSWORD", "a long first password")
    call_command("ensure_admin")  # what `make run` does
    assert not TOTPDevice.objects.exists()
    response = password_step(client, "captain", "a long first password")
    assert response["Location"].startswith(SETUP)
    app = choose_app(client)
    assert confirm_app(client, app.now())["Location"] == TODAY
    assert "Coming up" in text_of(client.get(TODAY))


def test_the_qr_code_names_the_club(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "required"
    settings.CLUB_NAME = "Harriers"
    OrganiserFactory(username="ola")
    password_step(client, "ola", PASSWORD)
    page = client.post(SETUP, {"setup_view-current_step": "method", "method-method": "generator"})
    assert page.context["otpauth_url"].startswith("otpauth://totp/Harriers%3A%20ola?")
    assert "issuer=Harriers" in page.context["otpauth_url"]
    assert 'src="data:image/svg+xml' in page.content.decode()  # drawn here, no third party


def test_an_organiser_may_enrol_and_remove_under_optional(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "optional"
    OrganiserFactory(username="ola")
    password_step(client, "ola", PASSWORD)
    assert "Off." in text_of(client.get("/admin/two-factor/"))
    app = choose_app(client)
    assert confirm_app(client, app.now()).status_code == 302
    page = client.get("/admin/two-factor/")
    assert "On." in text_of(page)
    device = TOTPDevice.objects.get()
    client.post("/admin/two-factor/remove/", {"device": device.persistent_id})
    assert not TOTPDevice.objects.exists()


def test_under_required_the_last_device_cannot_be_removed(settings: object) -> None:
    settings.ADMIN_2FA = "required"
    client = Client()
    device = log_in(client, OrganiserFactory(username="ola"))
    assert device is not None
    response = client.post(
        "/admin/two-factor/remove/", {"device": device.persistent_id}, follow=True
    )
    assert "add another way first" in text_of(response)
    assert TOTPDevice.objects.filter(confirmed=True).exists()


def test_a_lost_phone_is_reset_by_command_and_its_sessions_end(
    settings: object, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.ADMIN_2FA = "required"
    app = enrolled()
    laptop = Client()
    password_step(laptop, "ola", PASSWORD)
    code_step(laptop, app.code())
    assert logged_in(laptop)
    call_command("reset_2fa", "ola")
    assert "They set up a new one at their next log-in." in capsys.readouterr().out
    assert not logged_in(laptop)
    assert password_step(Client(), "ola", PASSWORD)["Location"].startswith(SETUP)


def test_every_admin_page_links_to_the_organisers_own_two_factor_page(staff_client: Client) -> None:
    assert 'href="/admin/two-factor/"' in staff_client.get(TODAY).content.decode()


def test_a_log_in_from_a_new_browser_is_in_the_admin_log(settings: object) -> None:
    settings.ADMIN_2FA = "optional"
    OrganiserFactory(username="ola")
    laptop = Client(HTTP_USER_AGENT="Firefox on the club laptop")
    password_step(laptop, "ola", PASSWORD)
    [entry] = LogEntry.objects.all()
    assert entry.object_repr == "ola"
    assert entry.change_message.startswith(
        "Logged in from a new browser: Firefox on the club laptop (address 127.0.0.1)"
    )
    laptop.post("/admin/logout/")
    password_step(laptop, "ola", PASSWORD)  # the same browser again: nothing new to say
    assert LogEntry.objects.count() == 1
    password_step(Client(HTTP_USER_AGENT="Safari on a phone"), "ola", PASSWORD)
    assert LogEntry.objects.count() == 2


def test_adding_and_removing_devices_is_logged_and_told_at_the_next_log_in(
    settings: object,
) -> None:
    settings.ADMIN_2FA = "optional"
    user = OrganiserFactory(username="ola")
    phone = Client()
    password_step(phone, "ola", PASSWORD)
    app = choose_app(phone)
    confirm_app(phone, app.now())
    added = LogEntry.objects.filter(change_message__contains="two-factor").get()
    assert added.get_change_message() == "Added two-factor “Authenticator app”."
    assert added.user == user
    laptop = Client()
    password_step(laptop, "ola", PASSWORD)
    with later(31):
        page = code_step(laptop, app.now(), next_url=TODAY)
        told = text_of(laptop.get(page["Location"]))
    assert (
        "Since your last log-in, your two-factor sign-in changed: Added authenticator app" in told
    )
    assert "changed" not in text_of(laptop.get(TODAY))  # told once


def test_backup_codes_let_an_organiser_in_once_each(client: Client, settings: object) -> None:
    settings.ADMIN_2FA = "required"
    enrolled()
    user = TOTPDevice.objects.get().user
    StaticToken.objects.create(
        device=StaticDevice.objects.create(user=user, name="backup"), token="abcd1234"
    )
    password_step(client, "ola", PASSWORD)
    assert backup_step(client, "abcd1234")["Location"] == TODAY
    again = Client()
    password_step(again, "ola", PASSWORD)
    assert "That backup code didn't match" in text_of(backup_step(again, "abcd1234"))


def test_an_organiser_makes_backup_codes_on_their_two_factor_page(settings: object) -> None:
    client = Client()
    log_in(client, OrganiserFactory(username="ola"))
    page = client.post("/admin/two-factor/backup-codes/", follow=True)
    assert len(StaticToken.objects.all()) == 10
    assert StaticToken.objects.first().token in page.content.decode()
    assert LogEntry.objects.filter(change_message__contains="Backup codes").exists()


def test_a_remembered_browser_skips_the_second_step(settings: object) -> None:
    settings.ADMIN_2FA = "required"
    app = enrolled()
    laptop = Client()
    password_step(laptop, "ola", PASSWORD)
    assert code_step(laptop, app.code(), remember=True).status_code == 302
    laptop.post("/admin/logout/")
    assert password_step(laptop, "ola", PASSWORD)["Location"] == TODAY
    assert logged_in(laptop)
    elsewhere = Client()
    assert password_step(elsewhere, "ola", PASSWORD).status_code == 200  # asks for the code


def test_a_staff_session_ends_after_the_hours_without_a_request(settings: object) -> None:
    settings.ADMIN_2FA = "optional"
    settings.ADMIN_SESSION_HOURS = 8
    OrganiserFactory(username="ola")
    client = Client()
    start = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        password_step(client, "ola", PASSWORD)
    # Used within the hours, it goes on: each request counts afresh.
    for hours in (7, 14, 21):
        with time_machine.travel(start + dt.timedelta(hours=hours), tick=False):
            assert logged_in(client)
    with time_machine.travel(start + dt.timedelta(hours=29, minutes=1), tick=False):
        response = client.get(TODAY)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    with time_machine.travel(start + dt.timedelta(hours=29, minutes=2), tick=False):
        assert not logged_in(client)  # ended, not merely refused once


def test_a_superuser_removes_a_lost_phone_in_the_admin(
    staff_client: Client, settings: object
) -> None:
    settings.ADMIN_2FA = "required"
    enrolled()
    device = TOTPDevice.objects.get(user__username="ola")
    with later(-3600):
        log_in(Client(), device.user)  # an earlier log-in (its last_login)
    listing = staff_client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "ola" in listing
    assert device.key not in listing  # the secret stays secret (OTP_ADMIN_HIDE_SENSITIVE_DATA)
    staff_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(user__username="ola").exists()
    ola = Client()
    assert password_step(ola, "ola", PASSWORD)["Location"].startswith(SETUP)  # a new phone
    told = text_of(ola.get(SETUP))
    assert "your two-factor sign-in changed: Removed authenticator app" in told


def test_backup_codes_need_a_session_that_passed_a_device(settings: object) -> None:
    settings.ADMIN_2FA = "off"
    client = Client()
    user = OrganiserFactory(username="ola")
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    log_in(client, user, second_step=False)
    response = client.get("/admin/two-factor/backup-codes/")
    assert response.status_code == 302 and response["Location"] == "/admin/two-factor/"
    assert not StaticToken.objects.exists()


def test_a_site_reached_by_its_address_offers_the_app_alone(settings: object) -> None:
    # Browsers refuse a passkey for an address (LAN=1's 192.168.1.20): only the app is offered.
    settings.ADMIN_2FA = "required"
    OrganiserFactory(username="ola")
    by_address = Client(HTTP_HOST="127.0.0.1")
    password_step(by_address, "ola", PASSWORD)
    page = by_address.get(SETUP)
    assert "QR code to scan with your authenticator app" in page.content.decode()
    assert "passkey" not in text_of(page).lower()
    by_name = Client(HTTP_HOST="localhost")
    password_step(by_name, "ola", PASSWORD)
    assert "A passkey" in text_of(by_name.get(SETUP))
