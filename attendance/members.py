"""Member numbers at check-in, when a club wants them (``CHECKIN_MEMBER_NUMBER``).

Off by default: the form has one field and names identify runners. ``optional`` or
``required`` adds a second field; a number, when given, identifies the runner instead of
the name. Numbers are shown to organisers (admin, CSV), never on the live page or to
anonymous callers of the API.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError

from attendance.models import MEMBER_NUMBER_MAX_LENGTH

OFF, OPTIONAL, REQUIRED = "off", "optional", "required"


def mode() -> str:
    return str(settings.CHECKIN_MEMBER_NUMBER)


def enabled() -> bool:
    return mode() != OFF


def label() -> str:
    return str(settings.CHECKIN_MEMBER_NUMBER_LABEL)


def numeric() -> bool:
    """Whether the pattern takes digits only, so phones can show their number pad."""
    pattern = str(settings.CHECKIN_MEMBER_NUMBER_PATTERN).replace("\\d", "")
    return re.search("[A-Za-z]", pattern) is None


def clean_member_number(raw: str | None) -> str | None:
    """The number as stored (no spaces, capitals), None when none was given and none is needed.

    Raises ValidationError with a reason a runner understands.
    """
    if not enabled():
        return None
    # Full-width digits from a phone keyboard, spaces typed for readability: the same number.
    number = "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()
    if not number:
        if mode() == REQUIRED:
            raise ValidationError(f"Please type your {label().lower()}.", code="required")
        return None
    pattern = settings.CHECKIN_MEMBER_NUMBER_PATTERN
    if len(number) > MEMBER_NUMBER_MAX_LENGTH or not re.fullmatch(pattern, number, re.IGNORECASE):
        hint = settings.CHECKIN_MEMBER_NUMBER_HELP
        raise ValidationError(
            f"That doesn't look like a {label().lower()}: please check it."
            + (f" {hint}" if hint else ""),
            code="invalid",
        )
    return number
