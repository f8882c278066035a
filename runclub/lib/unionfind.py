"""Groups of things joined two by two, and everything joined to them: a disjoint-set forest.

Used to tell which runners are one person, from pairs that each say "these two" (likely
variants, re-keying runners under a new name rule).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    def __init__(self) -> None:
        self.parent: dict[T, T] = {}

    def find(self, item: T) -> T:
        """The one item that stands for ``item``'s group (``item`` itself, never joined)."""
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        # Path compression: the next find from ``item`` is one step.
        while item != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, items: Iterable[T]) -> None:
        """Put ``items`` in one group, which the first one's group's item stands for."""
        first, *rest = items
        root = self.find(first)
        for item in rest:
            other = self.find(item)
            if other != root:
                self.parent[other] = root

    def groups(self) -> list[list[T]]:
        """Every group of two or more, each in the order its items were first seen."""
        members: dict[T, list[T]] = {}
        for item in list(self.parent):
            members.setdefault(self.find(item), []).append(item)
        return [group for group in members.values() if len(group) > 1]
