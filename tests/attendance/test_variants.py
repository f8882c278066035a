"""The likely-variants heuristics, each on its own: plain data in, runners to join out."""

from __future__ import annotations

from attendance.variants import (
    MAX_EXPANSIONS,
    by_core,
    initials_for_full_names,
    one_slip_in_the_surname,
    plain,
    same_core,
    suggested_groups,
)


def words(*names: str) -> dict[int, list[str]]:
    """Runner ids 1, 2, ... for the names, as likely_variants reads them."""
    return {pk: plain(name.casefold()).split() for pk, name in enumerate(names, start=1)}


def joined(pairs: object) -> list[list[int]]:
    return sorted(sorted(ids) for ids in pairs)  # type: ignore[attr-defined]


def test_accents_punctuation_and_middle_initials_make_no_difference() -> None:
    names = words("Ána M. Silva", "ana silva", "Ana Silva-Smith", "Ana")
    assert joined(same_core(by_core(names))) == [[1, 2]]


def test_a_first_name_with_initials_goes_with_the_few_full_names_it_could_be() -> None:
    names = words("Ana S", "Ana Silva", "Ana Smith", "Ana Jones", "Ben S.")
    assert joined(initials_for_full_names(names, by_core(names))) == [[1, 2], [1, 3]]


def test_a_first_name_alone_goes_with_its_full_names_unless_there_are_too_many() -> None:
    few = words("Kofi", "Kofi Mensah")
    assert joined(initials_for_full_names(few, by_core(few))) == [[1, 2]]
    many = words("Ana", *(f"Ana {surname}" for surname in "BCDEFGH"[: MAX_EXPANSIONS + 1]))
    assert joined(initials_for_full_names(many, by_core(many))) == []


def test_one_slip_in_a_long_surname_is_the_same_runner() -> None:
    names = words("Ana Silva", "Ana Silvs", "Ana Silav", "Ana Sliva", "Ana Silvaa")
    pairs = joined(one_slip_in_the_surname(by_core(names)))
    assert {pk for pair in pairs for pk in pair} == {1, 2, 3, 4, 5}


def test_short_surnames_and_first_names_one_letter_apart_are_two_people() -> None:
    names = words("Ben Hall", "Ben Hill", "Ben Jones", "Bea Jones")
    assert joined(one_slip_in_the_surname(by_core(names))) == []


def test_groups_join_across_heuristics_but_never_two_member_numbers() -> None:
    names = words("Ana S", "Ana Silva", "Ana Silvs", "Cara Lee", "Cara M Lee")
    assert sorted(map(sorted, suggested_groups(names, {}))) == [[1, 2, 3], [4, 5]]
    numbered = suggested_groups(names, {4: "S100", 5: "S200"})
    assert sorted(map(sorted, numbered)) == [[1, 2, 3]]
