"""What counts as a runner's name, and when two names are the same runner.

Pure functions of the text, so that everything comparing names agrees: the check-in form,
the API and paper lists (``clean_runner_name``), the duplicate rule, history, merges and
erasure (``name_key``), and the migrations that brought older check-ins to this rule.

Two names are one runner when a person would read them as one name typed on a phone:

- apostrophes, quotes, hyphens, dashes, other punctuation and spaces of every kind count for
  nothing ("O'Neill", "O’Neill" and "ONeill" are one; so are "Mary-Jane" and "Mary Jane");
- case and compatibility forms (full-width letters) count for nothing;
- Latin, Greek and Cyrillic letters compare without their accents ("Zoë" is "Zoe"), while the
  marks that are part of a letter in other scripts (Devanagari's vowel signs, Thai's) count;
- look-alike letters compare as Unicode's confusables data says (the UTS #39 skeleton, from
  the ``confusable_homoglyphs`` package's copy of ``confusables.txt``): "Mаya" with a
  Cyrillic а, "Mɑya" with a Latin alpha and "Mıya" with a dotless i are all "Maya". A
  letter's capital is judged where it has one, since capitals are what the table pairs
  across scripts ("Мауа" in Cyrillic is "Maya"), and small capitals as the capitals they
  are drawn as. Plain ASCII letters are left as typed: they are what a keyboard types, and
  Unicode's table would otherwise make "Arnie" of "Amie" (it pairs "rn" with "m");
- invisible and blank characters count for nothing.

What is refused: nothing to read, control characters, text-direction overrides, and a word
mixing scripts as Unicode's "highly restrictive" profile would not allow (Latin with
Cyrillic, Cherokee or Armenian letters inside one word; Latin with Han and Japanese kana, or
Han with Hangul, are fine). Names written in one script, any script, are welcome.

The name stored and shown is the one typed, trimmed, without the invisible characters that
change nothing on screen; an emoji keeps its joiners and variation selectors ("🏃‍♀️").
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

from confusable_homoglyphs import categories, confusables
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 255

MESSAGES = {
    "required": _("Please type your name."),
    "max_length": format_lazy(
        _("That name is too long: {max} characters at most, please."), max=MAX_LENGTH
    ),
    "control_characters": _(
        "That name contains invisible control characters. Please type it again."
    ),
    "bidi_controls": _(
        "That name contains hidden characters that change the direction it is shown in. "
        "Please type it again."
    ),
    "no_letters": _("A name needs at least one letter or digit."),
    "mixed_scripts": _(
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

# Unicode's default-ignorable code points (DerivedCoreProperties.txt; Python's unicodedata
# does not carry the property) and characters drawn as nothing at all: the Braille blank,
# the object replacement character and the Khitan filler. Format characters (Cf) too.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\ufffc"
    "\U00016fe4\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_ZWJ, _ZWNJ = "\u200d", "\u200c"
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_TAGS = re.compile("[\U000e0020-\U000e007f]")
_BLACK_FLAG = "\U0001f3f4"  # subdivision flags: 🏴 followed by tag letters and a cancel tag
_SKIN_TONES = re.compile("[\U0001f3fb-\U0001f3ff]")

# Scripts whose accents people leave out on a phone ("Zoe" for "Zoë").
_ACCENTS_OPTIONAL = frozenset({"LATIN", "GREEK", "CYRILLIC", "COMMON", "INHERITED"})
# Per UTS #39's "highly restrictive" level, a word may mix these, and no other, scripts.
_SCRIPT_FAMILIES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
_NO_SCRIPT = frozenset({"COMMON", "INHERITED", "Unknown"})
# Punctuation, spaces (and stray controls in older rows), the modifier symbols typed as
# apostrophes ("O´Neill"), and the modifier letters that are apostrophes in all but name.
_SEPARATOR_CATEGORIES = frozenset({"Cc", "Zs", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sk"})
_APOSTROPHE_LETTERS = frozenset("\u02b9\u02ba\u02bb\u02bc\u02bd\u02be\u02bf\u02c8\u02ee")
_ASCII_KEPT = re.compile(r"[^0-9a-z$+<=>|~]")


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) == "So"


def remove_invisible(text: str) -> str:
    """``text`` without what changes nothing a reader sees; emoji sequences stay whole.

    A zero-width joiner stays between two emoji ("🏃‍♀️") and between two letters of a
    script that joins or conjoins (Indic, Arabic...), where it changes the shapes drawn; a
    variation selector stays after an emoji or a symbol ("♀️"); tag characters stay in a
    subdivision flag. Everything else default-ignorable goes.
    """
    if text.isascii():
        return text
    kept: list[str] = []
    for index, char in enumerate(text):
        if _IGNORABLE.match(char) or unicodedata.category(char) == "Cf":
            if not _visible_here(text, index, kept):
                continue
        kept.append(char)
    return "".join(kept)


def _visible_here(text: str, index: int, kept: list[str]) -> bool:
    char = text[index]
    before = next((c for c in reversed(kept) if not _VARIATION_SELECTORS.match(c)), "")
    if _SKIN_TONES.match(before):
        before = "\U0001f3c3"  # a skin tone belongs to the emoji before it
    after = text[index + 1] if index + 1 < len(text) else ""
    if char == _ZWJ and _is_emoji(before) and _is_emoji(after):
        return True
    if char in (_ZWJ, _ZWNJ):
        return _joins(before) and _joins(after)
    if _VARIATION_SELECTORS.match(char):
        return bool(kept) and not unicodedata.category(kept[-1]).startswith(("L", "M", "Z"))
    if _TAGS.match(char):
        return _BLACK_FLAG in kept
    return False


def _joins(char: str) -> bool:
    """Whether a joiner next to ``char`` can change how it is drawn: a letter or mark of a
    script whose letters join or conjoin (not Latin, Greek or Cyrillic)."""
    return (
        bool(char)
        and unicodedata.category(char)[0] in "LM"
        and categories.alias(char) not in _ACCENTS_OPTIONAL
    )


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _words(text: str) -> list[str]:
    """Runs of letters and combining marks: "Ana-María" -> ["Ana", "María"]."""
    return ["".join(chars) for is_word, chars in itertools.groupby(text, _is_word_char) if is_word]


def _scripts(word: str) -> set[str]:
    return {
        script
        for char in unicodedata.normalize("NFKC", word)
        if unicodedata.category(char).startswith("L")
        and (script := categories.alias(char)) not in _NO_SCRIPT
    }


def _mixed_word(name: str) -> tuple[str, list[str]] | None:
    """The first word mixing scripts as Unicode's highly restrictive profile would not."""
    for word in _words(name):
        scripts = _scripts(word)
        if len(scripts) > 1 and not any(scripts <= family for family in _SCRIPT_FAMILIES):
            return word, sorted(script.replace("_", " ").title() for script in scripts)
    return None


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each look-alike character's prototype (UTS #39), from the library's confusables data.

    The library keeps each line of ``confusables.txt`` (source -> prototype) in both
    directions. A source is never a prototype, so a character listing several others is a
    prototype, and one listing only a prototype (a character with several sources, or a
    sequence such as "rn") is that prototype's source; for a pair that only list each other,
    either serves, and the ASCII one (else the lower) is taken.
    """
    data = confusables.confusables_data

    def clean(text: str) -> str:
        # The library read them from the file's comments, where some carry direction marks.
        return text.replace("\u200e", "").replace("\u200f", "")

    listed = {
        clean(char): [clean(entry["c"]) for entry in entries] for char, entries in data.items()
    }
    prototypes = {}
    for char, others in listed.items():
        if len(char) != 1 or len(others) != 1:
            continue
        (other,) = others
        if other != char and (len(other) != 1 or len(listed.get(other, ())) > 1):
            prototypes[char] = other
        elif len(other) == 1 and other != char:
            # A pair: both map to the one chosen, so they compare alike.
            chosen = min((char, other), key=lambda c: (not c.isascii(), c))
            prototypes[char] = chosen
    return prototypes


@functools.cache
def _look(char: str) -> str:
    """What ``char`` looks like, as a prototype: its capital's look when it has one."""
    if char.isascii():
        return char
    name = unicodedata.name(char, "")
    if " LETTER SMALL CAPITAL " in name:
        capital = name.replace(" LETTER SMALL CAPITAL ", " CAPITAL LETTER ")
        try:
            char = unicodedata.lookup(capital)
        except KeyError:
            pass
    upper = char.upper()
    prototypes = _prototypes()
    if len(upper) == 1 and upper != char:
        if upper.isascii():
            return upper
        if upper in prototypes:
            return prototypes[upper]
    return prototypes.get(char, char)


def _without_accents(text: str) -> str:
    """NFD ``text`` without the marks on letters of scripts whose accents are optional."""
    kept = []
    base_script = "COMMON"
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char).startswith("M"):
            if base_script in _ACCENTS_OPTIONAL:
                continue
        else:
            base_script = categories.alias(char)
        kept.append(char)
    return "".join(kept)


def _is_separator(char: str) -> bool:
    return unicodedata.category(char) in _SEPARATOR_CATEGORIES or char in _APOSTROPHE_LETTERS


def name_key(name: str) -> str:
    """The form two names are compared in, so that one runner is one key (see the module).

    Not for showing: "Maya O'Neill" becomes "mayaoneill", and a look-alike's key holds
    whatever Unicode chose as its prototype.
    """
    if name.isascii():
        return _ASCII_KEPT.sub("", name.lower())
    text = _IGNORABLE.sub("", name)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = _without_accents(unicodedata.normalize("NFKC", text))
    text = "".join(_look(char) for char in text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _without_accents("".join(_look(char) for char in text))
    return unicodedata.normalize("NFC", "".join(c for c in text if not _is_separator(c)))


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
        message = str(MESSAGES["mixed_scripts"]).format(word=word, scripts=" and ".join(scripts))
        raise ValidationError(message, code="mixed_scripts")
    return name
