"""Runners who are probably one person: "Ana Silva", "Ana S", "Ana M. Silva", "Ana Silvs".

Suggestions for organisers to confirm, never merged by themselves. Runners' names are
compared in any case, loosened:

- accents and punctuation dropped, middle initials dropped: "Ána M. Silva" is "ana silva";
- a first name with only initials after it ("Ana S", "Ana S.") goes with each full name
  those initials could stand for ("Ana Silva", "Ana Smith"), when there are a few at most;
- one slip (a letter missing, extra, changed or two swapped) in a surname of five letters or
  more, the first name the same.

Runners with two different member numbers are never suggested together.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, pairwise

from django.db.models import Count

from attendance.models import Attendance, Runner
from runclub.lib.unionfind import UnionFind

# An abbreviation that could stand for more full names than this is too vague to suggest.
MAX_EXPANSIONS = 4
# Shorter surnames are too often different people one letter apart ("Ben Hall", "Ben Hill").
TYPO_MIN_LENGTH = 5


@dataclass(frozen=True)
class Candidate:
    runner_id: int
    name: str
    spellings: list[str]
    member_number: str | None
    checkins: int
    first: dt.date | None
    last: dt.date | None


def plain(name: str) -> str:
    """The name without accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = (
        char
        for char in decomposed
        if not unicodedata.combining(char) and (char.isalnum() or char.isspace())
    )
    return " ".join("".join(kept).split())


def core(words: list[str]) -> str:
    """The name without middle initials: "ana m silva" is "ana silva"."""
    if len(words) <= 2:
        return " ".join(words)
    return " ".join([words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]])


def deletions(word: str) -> Iterable[str]:
    yield word
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]


# The heuristics. Each reads runners' names as words ({runner id: ["ana", "m", "silva"]}),
# or those of two words or more by their core ({"ana silva": {runner ids}}), and yields the
# runners it takes for one person, a few at a time. Pure: no database.


def by_core(names: Mapping[int, list[str]]) -> dict[str, set[int]]:
    """Runners of names of two words or more, by the names' cores."""
    found: dict[str, set[int]] = defaultdict(set)
    for runner_id, words in names.items():
        if len(words) > 1:
            found[core(words)].add(runner_id)
    return found


def same_core(cores: Mapping[str, set[int]]) -> Iterator[set[int]]:
    """Names the same but for accents, punctuation and middle initials."""
    yield from (ids for ids in cores.values() if len(ids) > 1)


def initials_for_full_names(
    names: Mapping[int, list[str]], cores: Mapping[str, set[int]]
) -> Iterator[set[int]]:
    """A first name with only initials after it ("ana s", or "ana" alone) and each full name
    they could stand for ("ana silva", "ana smith"), when there are a few at most."""
    full_names: dict[tuple[str, str], set[int]] = defaultdict(set)
    for name, ids in cores.items():
        first, *rest = name.split()
        full_names[(first, "".join(word[0] for word in rest))] |= ids
        full_names[(first, rest[-1][0])] |= ids
        full_names[(first, "")] |= ids
    for runner_id, (first, *rest) in names.items():
        if all(len(word) == 1 for word in rest):
            full = full_names.get((first, "".join(rest)), set()) - {runner_id}
            if len(full) <= MAX_EXPANSIONS:
                yield from ({runner_id, other} for other in full)


def one_slip_in_the_surname(cores: Mapping[str, set[int]]) -> Iterator[set[int]]:
    """The same first names and a surname of five letters or more one slip apart (a letter
    missing, extra, changed, or two swapped): two words within one edit share a word with one
    letter deleted. First names one letter apart are often two people (Ben and Bea)."""
    slipped: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name in cores:
        *rest, last = name.split()
        if len(last) >= TYPO_MIN_LENGTH:
            for variant in deletions(last):
                slipped[(" ".join(rest), variant)].add(name)
    for alike in slipped.values():
        if 1 < len(alike) <= MAX_EXPANSIONS:
            ordered = sorted(alike)
            for first, second in pairwise(ordered):
                yield cores[first] | cores[second]


def suggested_groups(
    names: Mapping[int, list[str]], numbers: Mapping[int, str | None]
) -> list[list[int]]:
    """Runners the heuristics take for one person, grouped (what one heuristic joins another
    may join further), never joining two member numbers at once."""
    cores = by_core(names)
    groups: UnionFind[int] = UnionFind()
    for ids in chain(
        same_core(cores),
        initials_for_full_names(names, cores),
        one_slip_in_the_surname(cores),
    ):
        if len({numbers[pk] for pk in ids if pk in numbers}) <= 1:
            groups.join(ids)
    return groups.groups()


@dataclass(frozen=True)
class Group:
    runners: list[Candidate]  # the busiest first
    # Runs two of them both checked in to: then they are probably two people.
    shared_runs: int


def likely_variants(limit: int = 50) -> tuple[list[Group], int]:
    """Groups of runners who are probably one person, the busiest first; and how many groups."""
    # Runners' names, not their keys: a key keeps no word boundaries ("O'Neill" is "ONeill").
    named = Runner.objects.filter(anonymised=False).values_list("pk", "name")
    names = {pk: words for pk, name in named if (words := plain(name.casefold()).split())}
    numbers = dict(
        Runner.objects.filter(member_number__isnull=False).values_list("pk", "member_number")
    )
    found = suggested_groups(names, numbers)
    # Busiest first, from one pass over the (runner, run) index; details for those shown only.
    checkins = dict(
        Attendance.objects.values("runner").annotate(n=Count("pk")).values_list("runner", "n")
    )
    found.sort(key=lambda ids: (-sum(checkins.get(pk, 0) for pk in ids), min(ids)))
    return described(found[:limit]), len(found)


def described(groups: list[list[int]]) -> list[Group]:
    """The groups, each runner with their names as typed, counts and first and last runs."""
    ids = [runner_id for group in groups for runner_id in group]
    facts = {
        row["pk"]: row
        for row in Runner.objects.filter(pk__in=ids)
        .with_counts()
        # django-stubs checks values() against the model's fields and cannot see the
        # annotations with_counts() adds.
        .values(  # type: ignore[misc]
            "pk", "name", "member_number", "checkin_count", "first", "last"
        )
    }
    spellings: dict[int, set[str]] = defaultdict(set)
    runs_of: dict[int, set[int]] = defaultdict(set)
    typed = Attendance.objects.filter(runner__in=ids).values_list(
        "runner_id", "runner_name", "run_id"
    )
    for runner_id, name, run_id in typed:
        spellings[runner_id].add(name)
        runs_of[runner_id].add(run_id)
    result = []
    for group in groups:
        candidates = [
            Candidate(
                pk,
                facts[pk]["name"],
                sorted(spellings[pk]),
                facts[pk]["member_number"],
                facts[pk]["checkin_count"],
                facts[pk]["first"],
                facts[pk]["last"],
            )
            for pk in group
            if pk in facts
        ]
        candidates.sort(key=lambda c: (-c.checkins, c.name, c.runner_id))
        if len(candidates) > 1:
            result.append(Group(candidates, shared_runs(runs_of, group)))
    return result


def shared_runs(runs_of: Mapping[int, set[int]], group: list[int]) -> int:
    """How many runs two or more of the group checked in to."""
    seen: set[int] = set()
    shared: set[int] = set()
    for runner_id in group:
        shared |= seen & runs_of[runner_id]
        seen |= runs_of[runner_id]
    return len(shared)
