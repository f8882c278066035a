"""What counts as a runner's name, and when two names are the same runner.

Pure functions of the text, so that everything comparing names agrees: the check-in form and
the API (``clean_runner_name``), the duplicate rule, history and erasure (``name_key``), the
migration that brought older check-ins to this rule, and the check-in page's script, which
mirrors ``clean_runner_name`` and shows the same ``MESSAGES`` as the runner types.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from django.core.exceptions import ValidationError

MAX_LENGTH = 255

MESSAGES = {
    "required": "Please type your name.",
    "max_length": f"That name is too long: {MAX_LENGTH} characters at most, please.",
    "control_characters": "That name contains invisible control characters. Please type it again.",
    "bidi_controls": (
        "That name contains hidden characters that change the direction it is shown in. "
        "Please type it again."
    ),
    "no_letters": "A name needs at least one letter or digit.",
    "mixed_scripts": (
        "“{word}” mixes {scripts} letters that look alike. "
        "Please type your name again with one keyboard."
    ),
}

# Control characters, surrogates and line/paragraph separators have no place in a name and
# break CSV files and terminals.
_FORBIDDEN_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}

# Bidirectional embeddings, overrides and isolates reorder the text after them:
# "\u202ezaiD alraC\u202c" is shown as "Carla Diaz". Removing them would keep a name that
# reads otherwise than it looked when typed, so a name holding one is refused.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Removed before a name is stored or compared, since they change nothing a reader sees: every
# format character (category Cf: zero-width spaces and joiners, soft hyphens, byte-order
# marks, tags...) and Unicode's other default-ignorable code points (variation selectors, the
# combining grapheme joiner, Hangul fillers...), as listed in DerivedCoreProperties.txt.
_DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)

# Scripts whose letters are easily mistaken for one another inside a word.
_CONFUSABLE_SCRIPTS = ("CYRILLIC", "GREEK", "LATIN")

# Cyrillic and Greek letters that look like a Latin letter of the same case.
_LOOKALIKES = str.maketrans(
    {
        **dict(zip("АВЕКМНОРСТУХІЈЅҮԚԜӀ", "ABEKMHOPCTYXIJSYQWI", strict=True)),
        **dict(zip("аеорсухіјѕһԁԛԝӏүѵ", "aeopcyxijshdqwlyv", strict=True)),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
        **dict(zip("ονραιυ", "ovpaiu", strict=True)),
    }
)


def remove_invisible(text: str) -> str:
    """``text`` without the characters that change nothing a reader sees (and bidi controls)."""
    if text.isascii():
        return text
    text = _DEFAULT_IGNORABLE.sub("", text)
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _segments(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into words (runs of letters and combining marks) and what lies between:
    "Ana-María" -> (True, "Ana"), (False, "-"), (True, "María")."""
    return [(is_word, "".join(chars)) for is_word, chars in itertools.groupby(text, _is_word_char)]


def _words(text: str) -> list[str]:
    return [segment for is_word, segment in _segments(text) if is_word]


def _script(char: str) -> str | None:
    """Latin, Greek or Cyrillic for a letter of one of those scripts, else None."""
    if not unicodedata.category(char).startswith("L"):
        return None
    script = unicodedata.name(char, "").partition(" ")[0]
    return script if script in _CONFUSABLE_SCRIPTS else None


def _scripts(word: str) -> set[str]:
    return {script for char in unicodedata.normalize("NFKC", word) if (script := _script(char))}


def _fold_lookalikes(word: str) -> str:
    """A word that could be read as Latin, written in Latin.

    Cyrillic and Greek look-alikes are folded when the word also has Latin letters ("Сarla"
    with a Cyrillic С) or when every one of its letters has a Latin twin ("Мауа" is "Maya").
    A Cyrillic or Greek word with letters of its own ("Мария") stays as it is.
    """
    letters = unicodedata.normalize("NFD", word)
    scripts = _scripts(letters)
    if scripts <= {"LATIN"}:
        return word
    folded = letters.translate(_LOOKALIKES)
    if "LATIN" in scripts or _scripts(folded) <= {"LATIN"}:
        return unicodedata.normalize("NFC", folded)
    return word


def name_key(name: str) -> str:
    """The form two names are compared in, so that one runner is one key.

    Invisible characters removed, NFKC (full-width and other compatibility forms), Cyrillic and
    Greek look-alikes of Latin words folded, case-folded, runs of spaces collapsed:
    "Ana  Smith", "ana smith", "ＡＮＡ　ＳＭＩＴＨ", "Ana\u200b Smith" and "Аna Smith" (a
    Cyrillic А) share one key.
    """
    if name.isascii():
        return " ".join(name.casefold().split())
    text = unicodedata.normalize("NFKC", remove_invisible(name))
    text = "".join(
        _fold_lookalikes(segment) if is_word else segment for is_word, segment in _segments(text)
    )
    folded = unicodedata.normalize("NFKC", text.casefold())
    return " ".join(folded.split())


def _mixed_word(name: str) -> tuple[str, list[str]] | None:
    for word in _words(name):
        scripts = _scripts(word)
        if len(scripts) > 1:
            return word, sorted(script.title() for script in scripts)
    return None


def clean_runner_name(raw: str) -> str:
    """Return the name as typed, trimmed and without invisible characters, or raise
    ValidationError with a reason a runner understands (one of ``MESSAGES``)."""
    name = remove_invisible(raw).strip()
    if not name:
        raise ValidationError(MESSAGES["required"], code="required")
    if len(name) > MAX_LENGTH:
        raise ValidationError(MESSAGES["max_length"], code="max_length")
    if any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in name):
        raise ValidationError(MESSAGES["control_characters"], code="control_characters")
    if any(char in BIDI_CONTROLS for char in raw):
        raise ValidationError(MESSAGES["bidi_controls"], code="bidi_controls")
    if not any(unicodedata.category(char)[0] in "LN" for char in name):
        raise ValidationError(MESSAGES["no_letters"], code="no_letters")
    mixed = None if name.isascii() else _mixed_word(name)
    if mixed is not None:
        word, scripts = mixed
        message = MESSAGES["mixed_scripts"].format(word=word, scripts=" and ".join(scripts))
        raise ValidationError(message, code="mixed_scripts")
    return name
