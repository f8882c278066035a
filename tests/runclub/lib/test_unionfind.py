"""runclub.lib.unionfind: groups joined two by two."""

from __future__ import annotations

from runclub.lib.unionfind import UnionFind


def test_joins_are_transitive_and_the_first_item_stands_for_its_group() -> None:
    groups: UnionFind[int] = UnionFind()
    groups.join([1, 2])
    groups.join([3, 4])
    groups.join([5, 2])
    assert groups.find(1) == groups.find(5) == 5
    assert groups.find(3) == groups.find(4) == 3
    assert sorted(map(sorted, groups.groups())) == [[1, 2, 5], [3, 4]]


def test_an_item_never_joined_is_its_own_group_and_no_group_of_two() -> None:
    groups: UnionFind[str] = UnionFind()
    assert groups.find("ana") == "ana"
    groups.join(["ben"])
    assert groups.groups() == []


def test_joining_what_is_already_one_group_changes_nothing() -> None:
    groups: UnionFind[int] = UnionFind()
    groups.join([1, 2, 3])
    groups.join([3, 1])
    assert groups.find(2) == 1
    assert groups.groups() == [[1, 2, 3]]
