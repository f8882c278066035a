"""Check-in tokens: a run's session id, signed with its own salt.

A token names the run; whether it may be used *today* is the run's business
(``Run.checkin_state``), so a code printed for Tuesday stops working on Wednesday.
"""

from __future__ import annotations

from django.core import signing

SALT = "runclub.checkin"
SESSION_ID_PATTERN = r"[A-Za-z0-9_-]{16,64}"
TOKEN_PATTERN = SESSION_ID_PATTERN + r":[A-Za-z0-9_-]{20,100}"


def make_token(session_id: str) -> str:
    return signing.Signer(salt=SALT).sign(session_id)


def read_token(token: str) -> str:
    """Return the session id in ``token``; raise ``signing.BadSignature`` if forged."""
    return signing.Signer(salt=SALT).unsign(token)


class SessionIdConverter:
    """A run's session id; anything else is a 404 before a view runs."""

    regex = SESSION_ID_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CheckinTokenConverter:
    """``/checkin/<token>/``: the view receives the verified session id.

    ``reverse()`` takes the session id and signs it, so a link can only be made
    by code that knows the secret key.
    """

    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        try:
            return read_token(value)
        except signing.BadSignature:
            raise ValueError("forged or damaged check-in token") from None

    def to_url(self, value: str) -> str:
        return make_token(value)
