"""Short codes: the run's part of its short link (``/c/7K3M9QXD``), read aloud or typed.

Crockford's base 32: digits and capital letters without I, L, O and U, so nothing in a code
looks like anything else in it. What a person types is read forgivingly: any case, spaces
and hyphens ignored, O read as 0 and I or L as 1. Eight characters make 32**8 = 2**40 codes,
and wrong guesses are rate-limited (``attendance.codes``), so a code cannot be
found by trying.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
# Letters a person may type for a digit they look like.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\t")


def new_short_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str | None:
    """The code ``typed`` means, or None if it cannot be one: " 7k3m-9qxd " -> "7K3M9QXD"."""
    code = typed.translate(_SEPARATORS).upper().translate(_LOOKALIKES)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def spaced(code: str) -> str:
    """For reading aloud and typing: "7K3M 9QXD"."""
    half = LENGTH // 2
    return f"{code[:half]} {code[half:]}"


class ShortCodeConverter:
    """``/c/<code>``: eight letters and digits in any case, with an optional hyphen in the
    middle; the view receives the code as stored. Anything else is a 404 before a view runs."""

    regex = "[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}"

    def to_python(self, value: str) -> str:
        code = normalise(value)
        if code is None:
            raise ValueError("not a short code")
        return code

    def to_url(self, value: str) -> str:
        return value
