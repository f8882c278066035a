"""The club's two-factor rule (``ADMIN_2FA``), over django-two-factor-auth's devices.

django-two-factor-auth runs the log-in's steps, the set-up, backup codes and remembered
browsers; django-otp keeps the devices (an authenticator app: ``TOTPDevice``; a passkey:
``WebauthnDevice``; backup codes: ``StaticDevice``) and marks a session *verified* once one
of them answered. This module says what the club asks of a session, in one place:

- ``required``: every staff session is verified; an account without a device is held at the
  set-up after its password (``may_enrol``) and reaches nothing else;
- ``optional``: accounts with a device are verified; those without one get in on their password;
- ``off``: the password alone.

``runclub.accounts.sessions`` applies it to every request and live socket.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import dateformat, timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor.plugins.webauthn.models import WebauthnDevice

from runclub.accounts import wording

REQUIRED, OPTIONAL, OFF = "required", "optional", "off"
# The session key that holds the time of the password step (``runclub.accounts.sessions``).
LOGGED_IN_AT = "runclub_logged_in_at"
# What each device is called, to its owner and in the admin log.
NAMES: dict[type[Device], Any] = {
    TOTPDevice: wording.APP,
    WebauthnDevice: wording.PASSKEY,
    StaticDevice: wording.BACKUP_CODES,
}
# Marks the admin log's entries about two-factor devices (shown at the next log-in).
DEVICE_CHANGE = "two-factor"

User = Any  # an account (django.contrib.auth's User), typed loosely as django-otp does


def mode() -> str:
    return str(settings.ADMIN_2FA)


def second_factors(user: AbstractBaseUser | AnonymousUser) -> list[Device]:
    """The account's confirmed authenticator apps and passkeys (backup codes are not one)."""
    if not user.is_authenticated:
        return []
    passkeys = WebauthnDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk")
    apps = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk")
    return [*passkeys, *apps]


def preferred_device(user: AbstractBaseUser) -> Device | None:
    """The device the log-in asks for first: a passkey if the account has one (a fingerprint
    is quicker than typing), else its authenticator app."""
    devices = second_factors(user)
    return devices[0] if devices else None


def is_verified(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether django-otp marked this request's session as having passed a device."""
    return bool(getattr(user, "otp_device", None))


def passes(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether this logged-in session has given everything the club asks (``ADMIN_2FA``)."""
    if not user.is_authenticated:
        return False
    if is_verified(user) or mode() == OFF:
        return True
    return mode() == OPTIONAL and not second_factors(user)


def may_enrol(user: AbstractBaseUser | AnonymousUser, logged_in_at: float | None) -> bool:
    """Whether a session held after the password may still set up the account's first device:
    under ``required``, an account without one, for ``TWO_FACTOR_LOGIN_TIMEOUT`` seconds."""
    if not user.is_authenticated or mode() != REQUIRED or second_factors(user):
        return False
    return (
        logged_in_at is not None and time.time() - logged_in_at <= settings.TWO_FACTOR_LOGIN_TIMEOUT
    )


def must_enrol(user: AbstractBaseUser) -> bool:
    return mode() == REQUIRED and not second_factors(user)


# Adding and removing devices: each one in the admin log ------------------------------------------


def describe(device: Device) -> str:
    return str(NAMES.get(type(device), device.name))


def log_change(actor: Any, owner: Any, added: Iterable[str], removed: Iterable[str]) -> None:
    """Note in the account's admin history that devices were added or removed (and by whom).

    ``changes_since`` reads these back to tell the account at its next log-in.
    """
    message = [{"added": {"name": DEVICE_CHANGE, "object": str(what)}} for what in added]
    message += [{"deleted": {"name": DEVICE_CHANGE, "object": str(what)}} for what in removed]
    if not message:
        return
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[owner],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


@transaction.atomic
def confirm(device: Device, actor: Any) -> Device:
    """Keep ``device`` as one of its owner's (its set-up answered), forget the owner's other
    unconfirmed devices, and log it."""
    owner = get_user_model().objects.select_for_update().get(pk=device.user_id)
    device.confirmed = True
    device.save()
    for model in (TOTPDevice, WebauthnDevice):
        model.objects.filter(user_id=owner.pk, confirmed=False).delete()
    log_change(actor, owner, added=[describe(device)], removed=[])
    return device


@transaction.atomic
def remove(devices: Iterable[Device], actor: Any, owner: Any) -> list[str]:
    """Remove ``devices`` (one owner's), logged; what was removed, named."""
    removed = []
    for device in devices:
        removed.append(describe(device))
        device.delete()
    log_change(actor, owner, added=[], removed=removed)
    return removed


def remove_all(owner: Any, actor: Any) -> list[str]:
    """Forget every device of ``owner`` (a lost phone) and end their sessions."""
    devices: list[Device] = [
        *TOTPDevice.objects.filter(user_id=owner.pk),
        *WebauthnDevice.objects.filter(user_id=owner.pk),
        *StaticDevice.objects.filter(user_id=owner.pk),
    ]
    removed = remove(devices, actor, owner)
    end_sessions(owner)
    return removed


def end_sessions(owner: Any) -> int:
    """Log ``owner`` out everywhere: their sessions are deleted, so pages, the API, exports and
    live sockets (which read the session afresh) all stop."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(owner.pk):
            session.delete()
            ended += 1
    return ended


@dataclass(frozen=True)
class Change:
    added: bool
    what: str
    when: Any


def changes_since(owner: Any, since: Any) -> list[Change]:
    """Devices added to or removed from ``owner`` after ``since`` (their previous log-in): those
    the account's pages and ``reset_2fa`` logged on its history, and those a superuser added or
    deleted in the admin's device lists (logged on the device, named "<name> (<username>)")."""
    ours = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=str(owner.pk),
        change_message__contains=f'"name": "{DEVICE_CHANGE}"',
    )
    in_the_admin = LogEntry.objects.filter(
        content_type__in=ContentType.objects.get_for_models(*NAMES).values(),
        action_flag__in=[ADDITION, DELETION],
        object_repr__endswith=f"({owner.get_username()})",
    )
    if since is not None:
        ours, in_the_admin = (e.filter(action_time__gt=since) for e in (ours, in_the_admin))
    changes = [
        Change(verb == "added", detail["object"], entry.action_time)
        for entry in ours
        for part in json.loads(entry.change_message)
        for verb, detail in part.items()
    ]
    names = {
        ContentType.objects.get_for_model(model).pk: str(name) for model, name in NAMES.items()
    }
    changes += [
        Change(
            entry.action_flag == ADDITION,
            names.get(entry.content_type_id or 0, ""),
            entry.action_time,
        )
        for entry in in_the_admin
    ]
    return sorted(changes, key=lambda change: change.when)


def changes_sentence(changes: list[Change]) -> str:
    parts = [
        str(wording.CHANGE_ADDED if change.added else wording.CHANGE_REMOVED).format(
            what=change.what.lower()
        )
        # Django's month names, so the date follows the club's language as the sentence does.
        + f" ({dateformat.format(timezone.localtime(change.when), 'd M H:i')})"
        for change in changes
    ]
    return str(wording.CHANGES_SINCE).format(changes="; ".join(parts))
