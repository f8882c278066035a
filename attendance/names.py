"""What counts as a runner's name, and when two names are the same runner."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

MAX_LENGTH = 255

# Control characters, surrogates and line/paragraph separators have no place
# in a name and break CSV files and terminals; format characters such as the
# zero-width joiner are allowed (some scripts and emoji need them).
_FORBIDDEN_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}


def name_key(name: str) -> str:
    """The form two names are compared in: NFKC, case-folded, spaces collapsed.

    "Ana  Smith", "ana smith" and the full-width "ＡＮＡ　ＳＭＩＴＨ" share one key.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def clean_runner_name(raw: str) -> str:
    """Return the name as typed, trimmed, or raise ValidationError with a reason."""
    name = raw.strip()
    if not name:
        raise ValidationError("Please type your name.", code="required")
    if len(name) > MAX_LENGTH:
        raise ValidationError(
            f"That name is too long: {MAX_LENGTH} characters at most, please.", code="max_length"
        )
    if any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in name):
        raise ValidationError(
            "That name contains invisible control characters. Please type it again.",
            code="control_characters",
        )
    if not any(unicodedata.category(char)[0] in "LN" for char in name):
        raise ValidationError("A name needs at least one letter or digit.", code="no_letters")
    return name
