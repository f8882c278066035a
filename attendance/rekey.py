"""Runners' names and merges at the level of rows, for services and data migrations alike.

Every function takes the model classes, so a migration can pass its historical models
(``apps.get_model``) and the app its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count

from runclub.lib.unionfind import UnionFind


def merge_rows(
    attendance: Any, runner_name: Any, runner: Any, keep_id: int, other_ids: list[int]
) -> tuple[int, int]:
    """Move the other runners' check-ins and names to ``keep_id`` and delete them.

    Where two of them checked in to the same run the earliest check-in stays (one runner,
    once per run). Member numbers are the caller's to settle. Returns (check-ins moved,
    check-ins removed as doubles). Call it in a transaction.
    """
    seen: set[int] = set()
    doubled: list[int] = []
    checkins = (
        attendance.objects.filter(runner__in=[keep_id, *other_ids])
        .order_by("run_id", "registered_at", "pk")
        .values_list("pk", "run_id")
    )
    for pk, run_id in checkins:
        if run_id in seen:
            doubled.append(pk)
        seen.add(run_id)
    attendance.objects.filter(pk__in=doubled).delete()
    moved = attendance.objects.filter(runner__in=other_ids).update(runner=keep_id)
    runner_name.objects.filter(runner__in=other_ids).update(runner=keep_id)
    runner.objects.filter(pk__in=other_ids).delete()
    return moved, len(doubled)


def rekey_runners(
    attendance: Any, runner_name: Any, runner: Any, stored_key: Callable[[str], str]
) -> int:
    """Recompute every runner's name keys under a changed name rule (``stored_key``).

    For a data migration that changes ``names.name_key``: each runner's keys become those of
    the names their check-ins were typed as (and of their old keys, which merges taught);
    runners whose names now share a key are one runner (the busiest kept), unless two
    different member numbers say otherwise, and then the busier keeps the key. Returns how
    many runners were merged away.
    """
    keys: dict[int, set[str]] = defaultdict(set)
    for runner_id, typed in attendance.objects.values_list("runner_id", "runner_name").distinct():
        keys[runner_id].add(stored_key(typed))
    for runner_id, old in runner_name.objects.values_list("runner_id", "name_key"):
        keys[runner_id].add(old if old.startswith("sha256:") else stored_key(old))
    facts = {
        pk: (number, count)
        for pk, number, count in runner.objects.annotate(count=Count("attendances")).values_list(
            "pk", "member_number", "count"
        )
    }

    def busiest(ids: Iterable[int]) -> list[int]:
        return sorted(ids, key=lambda pk: (-facts[pk][1], pk))

    holders: dict[str, set[int]] = defaultdict(set)
    for runner_id, runner_keys in keys.items():
        for key in runner_keys:
            holders[key].add(runner_id)
    merged = 0
    # Each runner merged away points to the runner it went into.
    runners: UnionFind[int] = UnionFind()
    for ids in holders.values():
        roots = busiest({runners.find(pk) for pk in ids})
        if len(roots) < 2:
            continue
        keep, others = roots[0], roots[1:]
        numbers = {facts[pk][0] for pk in roots if facts[pk][0]}
        if len(numbers) > 1:
            continue  # two people: the busiest keeps the key, below
        merge_rows(attendance, runner_name, runner, keep, others)
        if numbers and not facts[keep][0]:
            runner.objects.filter(pk=keep).update(member_number=numbers.pop())
        runners.join(roots)
        facts[keep] = (facts[keep][0], sum(facts[pk][1] for pk in roots))
        merged += len(others)

    owner: dict[str, int] = {}
    for key, ids in holders.items():
        owner[key] = busiest({runners.find(pk) for pk in ids})[0]
    runner_name.objects.all().delete()
    runner_name.objects.bulk_create(
        [runner_name(name_key=key, runner_id=pk) for key, pk in owner.items()], batch_size=1000
    )
    return merged
