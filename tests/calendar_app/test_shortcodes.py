"""Short codes: made unguessable, read forgivingly."""

from __future__ import annotations

import math

import pytest

from calendar_app import shortcodes
from calendar_app.models import Run
from tests.factories import RunFactory


def test_a_code_is_eight_characters_without_look_alikes() -> None:
    for _ in range(200):
        code = shortcodes.new_short_code()
        assert len(code) == 8
        assert not set(code) & set("OILUoilu")
        assert set(code) <= set(shortcodes.ALPHABET)


def test_there_are_at_least_two_to_the_forty_codes() -> None:
    assert len(set(shortcodes.ALPHABET)) ** shortcodes.LENGTH >= 2**40
    assert math.log2(len(shortcodes.ALPHABET)) * shortcodes.LENGTH >= 40


def test_codes_do_not_repeat() -> None:
    assert len({shortcodes.new_short_code() for _ in range(5000)}) == 5000


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("7K3M9QXD", "7K3M9QXD"),
        ("7k3m9qxd", "7K3M9QXD"),
        (" 7K3M 9QXD ", "7K3M9QXD"),
        ("7k3m-9qxd", "7K3M9QXD"),
        ("OK3M1QXD", "0K3M1QXD"),  # O typed for zero
        ("0K3MIQXD", "0K3M1QXD"),  # I typed for one
        ("0k3mlqxd", "0K3M1QXD"),  # l typed for one
    ],
)
def test_a_typed_code_is_read_in_any_case_and_spelling(typed: str, code: str) -> None:
    assert shortcodes.normalise(typed) == code


@pytest.mark.parametrize("typed", ["", "7K3M9QX", "7K3M9QXDD", "7K3M9QXU", "7K3M9QX!", "７K3M9QXD"])
def test_what_cannot_be_a_code_is_none(typed: str) -> None:
    assert shortcodes.normalise(typed) is None


def test_it_is_shown_in_two_halves() -> None:
    assert shortcodes.spaced("7K3M9QXD") == "7K3M 9QXD"


@pytest.mark.django_db
def test_every_run_gets_its_own_code() -> None:
    runs = [RunFactory(date=f"2027-01-{day:02d}") for day in range(1, 29)]
    codes = {run.short_code for run in runs}
    assert len(codes) == len(runs)
    assert all(shortcodes.normalise(code) == code for code in codes)


@pytest.mark.django_db
def test_a_run_is_found_by_its_code_and_cached(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    run = RunFactory()
    assert Run.for_short_code(run.short_code) == run
    with django_assert_num_queries(0):
        assert Run.for_short_code(run.short_code) == run
    assert Run.for_short_code("ZZZZZZZZ") is None


@pytest.mark.django_db
def test_the_short_link_is_the_check_in_link(settings: object) -> None:
    run = RunFactory()
    assert run.checkin_path() == f"/c/{run.short_code}"
    assert run.checkin_url() == f"{settings.SITE_URL}/c/{run.short_code}"
    assert run.token_path().startswith("/checkin/")
