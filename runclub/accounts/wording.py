"""What organisers are told about their accounts: log-ins, two-factor, passkeys, lock-outs.

One place for the accounts app's sentences, marked for translation.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

# The log-in's steps -----------------------------------------------------------------------
LOG_IN = _("Log in")
CODE_LABEL = _("Code from your authenticator app")
CODE_STEP = _("Open your authenticator app and type the code it shows for {club}.")
PASSKEY_STEP = _(
    "Use your passkey: your phone's or laptop's fingerprint, face or screen lock, or your "
    "security key. Your browser asks for it now."
)
PASSKEY_AGAIN = _("Use my passkey")
PASSKEY_FIELD = _("Passkey answer")
BACKUP_LABEL = _("Backup code")
BACKUP_STEP = _("Type one of the backup codes you printed or saved when you set up two-factor.")
USE_BACKUP = _("Use a backup code")
REMEMBER = _("Don't ask for a second step on this browser for {days} days")
NOT_YOU = _("Log in as someone else")

WRONG_CODE = _("That code didn't match. Wait {wait} and try the new one your app shows.")
WAIT_AFTER_WRONG = _(
    "The last code didn't match, so the next try waits {wait}: then type the code your app shows."
)
WRONG_BACKUP = _("That backup code didn't match, or it was used already.")
WRONG_PASSKEY = _("That passkey isn't one of this account's, or the browser's answer was refused.")
CODE_REQUIRED = _("Type the six digits your app shows.")


def seconds(n: int) -> str:
    return ngettext("%(n)d second", "%(n)d seconds", n) % {"n": n}


# Actions, named by method (two_factor's registry: runclub.accounts.methods) -----------------
APP = _("Authenticator app")
PASSKEY = _("Passkey")
BACKUP_CODES = _("Backup codes")
USE_APP = _("Type a code from my authenticator app instead")
USE_PASSKEY = _("Use my passkey instead")

# Setting two-factor up ------------------------------------------------------------------------
SETUP_TITLE = _("Set up two-factor sign-in")
SETUP_REQUIRED = _(
    "{club} asks every organiser for a second step after the password, so a guessed or "
    "leaked password is not enough to see runners' names. Set it up once, now ({who})."
)
SETUP_CHOOSE = _("How will you prove it's you?")
SETUP_APP = _("An authenticator app on my phone (a six-digit code)")
SETUP_PASSKEY = _("A passkey (this device's fingerprint, face or screen lock, or a security key)")
APP_STEPS = _("Scan this QR code with your authenticator app, then type the code it shows.")
APP_APPS = _(
    "Any authenticator app works: Google or Microsoft Authenticator, 2FAS, Aegis, or your "
    "password manager."
)
APP_KEY = _("Can't scan? Type this key instead:")
QR_ALT = _("QR code to scan with your authenticator app")
PASSKEY_SETUP = _(
    "Your browser asks you to make a passkey for {club} now (fingerprint, face, screen lock "
    "or security key). Nothing leaves your device but a public key."
)
PASSKEY_ADD_TITLE = _("Add a passkey")
PASSKEY_NEEDS_A_NAME = _(
    "Passkeys need the site opened by its name (such as runclub.example.org), not by an "
    "address: use the authenticator app here."
)
TURN_ON = _("Turn on")
NEXT = _("Next")
BACK = _("Back")

ALREADY_SET_UP = _(
    "This account already has two-factor sign-in: log in with it. Lost it? See "
    "“Locked out or lost your phone” in the organisers' guide."
)

# The account's own two-factor page --------------------------------------------------------------
PAGE_TITLE = _("Two-factor sign-in")
ON = _("On. Each log-in asks for a second step after your password.")
OFF_BY_CLUB = _(
    "The club has turned two-factor sign-in off (ADMIN_2FA=off): what you set up here is asked "
    "for once it is on again."
)
OFF = _(
    "Off. Add a second step to your password, so a guessed or leaked password is not enough "
    "to see runners' names."
)
SET_UP = _("Set up two-factor sign-in")
ADD_PASSKEY = _("Add a passkey")
ADDED_ON = _("added {when}")
LAST_USED = _("last used {when}")
REMOVE = _("Remove")
CANNOT_REMOVE = _(
    "The club requires two-factor sign-in: add another way first, then remove this one."
)
REMOVED = _("Removed: {what}.")
ADDED = _("Added: {what}. From now on your log-ins can use it.")
BACKUP_LEFT = _("{n} backup codes left.")
BACKUP_MAKE = _("Make new backup codes")
BACKUP_EXPLAIN = _(
    "Each code lets you in once when your phone or passkey is not at hand. Print them or keep "
    "them in your password manager; making new ones cancels these."
)
LOST = _(
    "Lost your phone? Another admin removes your device (Admin › Two-factor sign-in) or runs "
    "manage.py reset_2fa {who}; you set up a new one at your next log-in."
)

# What changed since the last log-in (the admin log) ------------------------------------------
CHANGE_ADDED = _("Added {what}")
CHANGE_REMOVED = _("Removed {what}")
CHANGES_SINCE = _("Since your last log-in, your two-factor sign-in changed: {changes}.")
NEW_BROWSER = _("Logged in from a new browser: {agent} (address {address}).")
NO_BROWSER_NAME = _("a browser that gave no name")

# manage.py reset_2fa (a lost phone), run by an admin on the server ----------------------------


def no_such_account(username: str) -> str:
    return gettext("No account is called %(username)s.") % {"username": repr(username)}


def two_factor_reset(who: str, removed: list[str], required: bool) -> str:
    """What reset_2fa did to ``who``'s devices (``removed``: their names, as NAMES says them)."""
    if not removed:
        return gettext(
            "%(who)s had no two-factor device: nothing to reset. Logged out everywhere."
        ) % {"who": who}
    facts = {"who": who, "devices": ", ".join(device.lower() for device in removed)}
    if required:
        return (
            gettext(
                "Removed %(who)s's %(devices)s and logged them out everywhere. They set up a new "
                "one at their next log-in."
            )
            % facts
        )
    return (
        gettext(
            "Removed %(who)s's %(devices)s and logged them out everywhere. They log in with "
            "their password until they set up a new one."
        )
        % facts
    )


# Lock-outs ----------------------------------------------------------------------------------------
LOCKED_TITLE = _("Too many wrong passwords")
LOCKED = _(
    "This account has had too many wrong passwords from here, so log-ins from this address "
    "wait {minutes} minutes."
)
LOCKED_WHAT_NOW = _(
    "If it's you: log in from a browser you have logged in with before (the club laptop, "
    "your phone), which is let through; or wait; or ask another admin to run "
    "manage.py axes_reset_username {who}."
)

# The API's refusal of a staff member whose role does not allow the call (403).
API_NOT_ALLOWED = _("Your account may not do this.")
