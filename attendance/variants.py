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
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from attendance.models import Attendance, Runner

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


def plain(key: str) -> str:
    """The key without accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", key)
    kept = (
        char
        for char in decomposed
        if not unicodedata.combining(char) and (char.isalnum() or char.isspace())
    )
    return " ".join("".join(kept).split())


def core(tokens: list[str]) -> str:
    """The name without middle initials: "ana m silva" is "ana silva"."""
    if len(tokens) <= 2:
        return " ".join(tokens)
    return " ".join([tokens[0], *(t for t in tokens[1:-1] if len(t) > 1), tokens[-1]])


def deletions(word: str) -> Iterable[str]:
    yield word
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]


@dataclass(frozen=True)
class Group:
    runners: list[Candidate]  # the busiest first
    # Runs two of them both checked in to: then they are probably two people.
    shared_runs: int


def _shared(runs_of: dict[int, set[int]], group: list[int]) -> int:
    seen: set[int] = set()
    shared: set[int] = set()
    for runner_id in group:
        shared |= seen & runs_of[runner_id]
        seen |= runs_of[runner_id]
    return len(shared)


class _Groups:
    """Union-find over runner ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        self.parent[item] = root
        return root

    def join(self, items: Iterable[int]) -> None:
        items = list(items)
        for other in items[1:]:
            self.parent[self.find(other)] = self.find(items[0])


def likely_variants(limit: int = 50) -> tuple[list[Group], int]:
    """Groups of runners who are probably one person, the busiest first; and how many groups."""
    numbers = dict(
        Runner.objects.filter(member_number__isnull=False).values_list("pk", "member_number")
    )
    by_core: dict[str, set[int]] = defaultdict(set)
    abbreviations: list[tuple[int, str, str]] = []  # runner, first name, initials
    tokens_of: dict[int, list[list[str]]] = defaultdict(list)
    # Runners' names, not their keys: a key keeps no word boundaries ("O'Neill" is "ONeill").
    named = Runner.objects.filter(anonymised=False)
    for runner_id, name in named.values_list("pk", "name"):
        tokens = plain(name.casefold()).split()
        if not tokens:
            continue
        tokens_of[runner_id].append(tokens)
        if all(len(t) == 1 for t in tokens[1:]):
            abbreviations.append((runner_id, tokens[0], "".join(tokens[1:])))
        if len(tokens) > 1:
            by_core[core(tokens)].add(runner_id)

    groups = _Groups()

    def join(ids: Iterable[int]) -> None:
        ids = set(ids)
        if len({numbers[i] for i in ids if i in numbers}) > 1:
            return
        if len(ids) > 1:
            groups.join(ids)

    for ids in by_core.values():
        join(ids)
    # Full names by first name and the initials of the rest, for the abbreviations.
    by_initials: dict[tuple[str, str], set[int]] = defaultdict(set)
    for name, ids in by_core.items():
        tokens = name.split()
        if len(tokens) > 1:
            by_initials[(tokens[0], "".join(t[0] for t in tokens[1:]))].update(ids)
            by_initials[(tokens[0], tokens[-1][0])].update(ids)
            by_initials[(tokens[0], "")].update(ids)
    for runner_id, first, initials in abbreviations:
        full = by_initials.get((first, initials), set()) - {runner_id}
        if 0 < len(full) <= MAX_EXPANSIONS:
            for other in full:
                join({runner_id, other})
    # One slip in the surname (first names one letter apart are often two people: Ben and
    # Bea, Idris and Iris): two words within one edit share a word with one letter deleted.
    by_deletion: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name in by_core:
        *rest, last = name.split()
        if rest and len(last) >= TYPO_MIN_LENGTH:
            for variant in deletions(last):
                by_deletion[(" ".join(rest), variant)].add(name)
    for names in by_deletion.values():
        if 1 < len(names) <= MAX_EXPANSIONS:
            for first, second in zip(sorted(names), sorted(names)[1:], strict=False):
                join(by_core[first] | by_core[second])

    members: dict[int, list[int]] = defaultdict(list)
    for runner_id in list(groups.parent):
        members[groups.find(runner_id)].append(runner_id)
    found = [ids for ids in members.values() if len(ids) > 1]
    # Busiest first, from one pass over the (runner, run) index; details for those shown only.
    checkins = dict(
        Attendance.objects.values("runner").annotate(n=Count("pk")).values_list("runner", "n")
    )
    found.sort(key=lambda ids: (-sum(checkins.get(i, 0) for i in ids), min(ids)))
    shown = found[:limit]
    shown_ids = [runner_id for group in shown for runner_id in group]
    facts = {
        row["pk"]: row
        for row in Runner.objects.filter(pk__in=shown_ids)
        .with_counts()
        # django-stubs checks values() against the model's fields and cannot see the
        # annotations with_counts() adds.
        .values(  # type: ignore[misc]
            "pk", "name", "member_number", "checkin_count", "first", "last"
        )
    }
    spellings: dict[int, set[str]] = defaultdict(set)
    runs_of: dict[int, set[int]] = defaultdict(set)
    typed = Attendance.objects.filter(runner__in=shown_ids).values_list(
        "runner_id", "runner_name", "run_id"
    )
    for runner_id, name, run_id in typed:
        spellings[runner_id].add(name)
        runs_of[runner_id].add(run_id)
    result = [
        Group(
            sorted(
                (
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
                ),
                key=lambda c: (-c.checkins, c.name, c.runner_id),
            ),
            shared_runs=_shared(runs_of, group),
        )
        for group in shown
    ]
    return [group for group in result if len(group.runners) > 1], len(found)
