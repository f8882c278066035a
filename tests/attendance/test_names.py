"""The name rule itself (attendance/names.py): what is one runner, what is refused and why."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from attendance.names import BIDI_CONTROLS, clean_runner_name, name_key

# Every class of character that changes nothing a reader sees, inside "Carla Diaz".
INVISIBLE = {
    "zero-width space": "Car\u200bla Diaz",
    "zero-width non-joiner": "Car\u200cla Diaz",
    "zero-width joiner": "Carla\u200d Diaz",
    "word joiner": "Carla \u2060Diaz",
    "byte-order mark": "\ufeffCarla Diaz",
    "soft hyphen": "Car\u00adla Diaz",
    "left-to-right mark": "Carla Diaz\u200e",
    "right-to-left mark": "\u200fCarla Diaz",
    "arabic letter mark": "Carla\u061c Diaz",
    "variation selector": "Carla\ufe0f Diaz",
    "supplementary variation selector": "Carla Diaz\U000e0100",
    "tag characters": "Carla Diaz\U000e0063\U000e0061\U000e007f",
    "combining grapheme joiner": "Carla\u034f Diaz",
    "hangul filler": "Carla \u3164Diaz",
    "mongolian free variation selector": "Carla Diaz\u180b",
    "invisible plus": "Carla\u2064 Diaz",
}


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_characters_are_removed_before_storing(name: str) -> None:
    assert clean_runner_name(name) == "Carla Diaz"


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_characters_do_not_make_another_runner(name: str) -> None:
    assert name_key(name) == name_key("Carla Diaz")


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
def test_bidirectional_controls_are_refused(control: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_runner_name(f"{control}zaiD alraC")
    assert refused.value.code == "bidi_controls"
    assert "change the direction it is shown in" in refused.value.messages[0]


def test_the_reversed_name_from_the_issue_is_refused_and_its_key_is_not_carlas() -> None:
    spoof = "\u202ezaiD alraC\u202c"
    with pytest.raises(ValidationError):
        clean_runner_name(spoof)
    # What is left without the override reads "zaiD alraC": a different name, not a second Carla.
    assert name_key(spoof) == name_key("zaiD alraC") != name_key("Carla Diaz")


@pytest.mark.parametrize(
    ("name", "word", "scripts"),
    [
        ("Сarla Diaz", "Сarla", "Cyrillic and Latin"),  # a Cyrillic С
        ("Carla Dіaz", "Dіaz", "Cyrillic and Latin"),  # a Ukrainian і
        ("Maya Οkafor", "Οkafor", "Greek and Latin"),  # a Greek Omicron
        ("Ꮇaya Patel", "Ꮇaya", "Cherokee and Latin"),
        ("ꓮna Patel", "ꓮna", "Latin and Lisu"),
        ("Maya Ⲣatel", "Ⲣatel", "Coptic and Latin"),
        ("Mաya Patel", "Mաya", "Armenian and Latin"),
        ("ΑΝΑ Silva", None, None),  # whole Greek words are fine here...
    ],
)
def test_a_word_mixing_look_alike_scripts_is_refused_kindly(
    name: str, word: str | None, scripts: str | None
) -> None:
    if word is None:
        assert clean_runner_name(name) == name
        return
    with pytest.raises(ValidationError) as refused:
        clean_runner_name(name)
    assert refused.value.code == "mixed_scripts"
    assert refused.value.messages[0] == (
        f"“{word}” mixes {scripts} letters that look alike. "
        "Please type your name again with one keyboard."
    )


@pytest.mark.parametrize(
    ("lookalike", "latin"),
    [
        ("Мауа Okafor", "Maya Okafor"),  # every letter of "Мауа" is Cyrillic
        ("МАУА OKAFOR", "maya okafor"),
        ("ΑΝΑ Silva", "Ana Silva"),  # ...but compared as the Latin words they look like
        ("Сarla Diaz", "Carla Diaz"),  # mixed words (older rows) fold too
        ("Mɑya Patel", "Maya Patel"),  # Latin alpha
        ("Maya Patıl", "Maya Patil"),  # dotless i
        ("ᴍaya Patel", "Maya Patel"),  # small capital M
        ("Zoё", "Zoë"),  # a Cyrillic ё keeps its dots
    ],
)
def test_look_alike_words_are_one_runner_with_the_latin_name(lookalike: str, latin: str) -> None:
    assert name_key(lookalike) == name_key(latin)


@pytest.mark.parametrize("name", ["Мария Иванова", "Ελένη", "Αλέξανδρος", "Анна", "Дмитрий"])
def test_genuine_cyrillic_and_greek_names_stay_themselves(name: str) -> None:
    assert clean_runner_name(name) == name
    assert name_key(name) == name_key(name.upper()) == name_key(name.lower())


def test_a_cyrillic_name_that_looks_latin_is_kept_as_typed_and_compared_as_it_looks() -> None:
    # "Вера" is every bit as readable as "Bepa": one key, so neither can pass for the other.
    assert clean_runner_name("Вера") == "Вера"
    assert name_key("Вера") == name_key("Bepa")


def test_two_different_cyrillic_names_stay_two_runners() -> None:
    assert name_key("Мария") != name_key("Марія")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ana Silva", "ana silva"),
        ("Ana Silva", "ANA   SILVA"),
        ("Ana Silva", "ＡＮＡ　ＳＩＬＶＡ"),
        ("Ana Silva", "Ana\u00a0Silva"),
        ("Zoë", "Zoe\u0308"),  # the same letters, composed or not
    ],
)
def test_case_spaces_and_compatibility_forms_are_one_runner(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "required"),
        ("\u200b\u200b", "required"),
        ("x" * 256, "max_length"),
        ("Ana\x07Silva", "control_characters"),
        ("Ana\u2029Silva", "control_characters"),
        ("!!!", "no_letters"),
    ],
)
def test_unusable_names_say_why(name: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_runner_name(name)
    assert refused.value.code == code


def test_the_length_limit_counts_what_is_kept() -> None:
    assert clean_runner_name("y" * 255 + "\u200b" * 10) == "y" * 255


def test_names_keep_the_marks_and_letters_of_every_script() -> None:
    for name in ["Zoë Ó Briain", "王小明", "محمد", "Nguyễn Thị Minh", "Ana-María O'Neil"]:
        assert clean_runner_name(name) == name


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Sam O'Neill", "Sam O’Neill"),  # the iPhone's curly apostrophe
        ("Sam O'Neill", "Sam ONeill"),
        ("Sam O'Neill", "Sam OʼNeill"),  # the modifier letter apostrophe
        ("Sam O'Neill", "Sam O´Neill"),  # an acute accent typed as one
        ("Mary-Jane Fox", "Mary–Jane Fox"),  # an en dash
        ("Mary-Jane Fox", "Mary Jane Fox"),
        ("Mary-Jane Fox", "MaryJane Fox"),
        ("Chloé Martin", "Chloe Martin"),
        ("Zoë Ångström", "Zoe Angstrom"),
        ("Αλέξανδρος", "Αλεξανδρος"),  # Greek accents
        ("Ёлка", "Елка"),  # Cyrillic diaeresis
        ("Maya Patel", "Maya Patel⠀"),  # a Braille blank
        ("Maya Patel", "Maya Patel𖿤"),  # the Khitan filler
        ("Maya Patel", "Maya Patel￼"),  # the object replacement character
        ("Maya Patel", "Maya Pateĺ́"),  # trailing combining marks
        ("Maya Patel", "Maya　Patel"),  # an ideographic space
    ],
)
def test_names_people_read_as_one_are_one_runner(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Jo Smith", "Joe Smith"),
        ("Ana Lee", "Anna Lee"),
        ("राम शर्मा", "रम शर्मा"),  # a Devanagari vowel sign is part of the name
        ("Amie Ray", "Arnie Ray"),  # Unicode pairs "rn" with "m"; a keyboard does not
        ("Al Fox", "AI Fox"),
    ],
)
def test_different_people_stay_different(first: str, second: str) -> None:
    assert name_key(first) != name_key(second)


@pytest.mark.parametrize(
    "name", ["山田 たろう", "김민준", "محمد علي", "王小明", "राम शर्मा", "สมชาย"]
)
def test_names_in_one_script_any_script_are_welcome(name: str) -> None:
    assert clean_runner_name(name) == name


def test_an_emoji_keeps_its_joiners_and_selectors() -> None:
    runner = "🏃‍♀️"  # woman running: runner, ZWJ, female sign, VS16
    assert clean_runner_name(f"{runner} Jess 🔥") == f"{runner} Jess 🔥"
    assert name_key(f"{runner} Jess 🔥") == name_key("🏃♀ Jess 🔥")


def test_a_joiner_that_shapes_letters_stays_and_one_that_does_nothing_goes() -> None:
    assert clean_runner_name("क्‍ष") == "क्‍ष"
    assert clean_runner_name("Ana‍ Lee") == "Ana Lee"


def test_blanks_at_the_ends_are_trimmed() -> None:
    assert clean_runner_name("⠀Maya Patel ⠀￼") == "Maya Patel"
