"""The targets, met or not, from the figures one ``make bench`` run recorded (``bench/results.py``).

    python -m bench.summary [FILE]     # default: $BENCH_RESULTS, as make bench sets it

Each line: what is measured, the figure (medians where rounds repeat, and the ratio
against bare Django where the target is one), the target, and "met" or "NOT met".
A benchmark that did not run (or not to its end) says "not measured".
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from bench.results import read

Figures = dict[str, dict[str, Any]]


def line(label: str, figure: str, target: str, met: bool | None) -> str:
    verdict = "not measured" if met is None else "met" if met else "NOT met"
    return f"  {label:56} {figure:34} {target:14} {verdict}"


def compare_lines(found: Figures) -> list[str]:
    figures = found.get("compare", {})
    medians = figures.get("medians", {})
    app, bare = medians.get("app"), medians.get("bare")
    if not (app and bare):
        return [line("burst and small host (bench.compare)", "", "", None)]
    lines = [f"bench.compare, medians of {figures['rounds']} alternating rounds:"]
    if figures["runners"]:
        ratio = app["throughput"] / bare["throughput"]
        lines.append(
            line(
                f"burst of {figures['runners']}, {figures['concurrency']} at a time: check-ins/s",
                f"{app['throughput']:.0f} vs bare {bare['throughput']:.0f}: {ratio:.2f}x",
                ">= 0.5x bare",
                ratio >= 0.5,
            )
        )
        ratio = app["p99_ms"] / bare["p99_ms"]
        lines.append(
            line(
                "burst: POST p99",
                f"{app['p99_ms']:.0f} vs bare {bare['p99_ms']:.0f} ms: {ratio:.2f}x",
                "<= 1.5x bare",
                ratio <= 1.5,
            )
        )
    runners = figures["capped_runners"]
    if "0.5" in figures["caps"]:
        seconds = app["capped_0.5_s"]
        lines.append(
            line(
                f"{runners} runners at once, 0.5 CPU: all answered",
                f"{seconds:.1f} s (bare {bare['capped_0.5_s']:.1f} s)",
                "<= 5 s",
                seconds <= 5 and not app["capped_0.5_errors"],
            )
        )
    if "0.1" in figures["caps"]:
        ratio = app["capped_0.1_s"] / bare["capped_0.1_s"]
        lines.append(
            line(
                f"{runners} runners at once, 0.1 CPU: all answered",
                f"{app['capped_0.1_s']:.1f} vs bare {bare['capped_0.1_s']:.1f} s: {ratio:.2f}x",
                "<= 1.3x bare",
                ratio <= 1.3 and not app["capped_0.1_errors"],
            )
        )
    return lines


def other_lines(found: Figures) -> list[str]:
    lines = []
    load = found.get("load")
    lines.append(
        line(
            "every watcher shows the exact final count (bench.load)",
            f"{load['watchers_exact']} of {load['watchers']}, slowest "
            f"{load['slowest_watcher_s']:+.2f} s"
            if load and load["slowest_watcher_s"] is not None
            else "",
            "all, <= 1 s",
            None
            if not load
            else load["watchers_exact"] == load["watchers"]
            and (load["slowest_watcher_s"] or 0) <= 1,
        )
    )
    held = found.get("held_lock")
    lines.append(
        line(
            "reads while the write lock is held (bench.faults)",
            f"slowest {held['slowest_read_s'] * 1000:.0f} ms" if held else "",
            "<= 0.5 s",
            None if not held else held["slowest_read_s"] <= 0.5,
        )
    )
    lines.append(
        line(
            "writers told to send again, at most after",
            f"{held['longest_writer_wait_s']:.1f} s (SQLITE_BUSY_TIMEOUT "
            f"{held['busy_timeout_s']} s)"
            if held
            else "",
            "the timeout",
            # A second's grace: the answer's own trip and the server's turn-around.
            None
            if not held
            else held["writers_answered"] == held["writers"]
            and held["longest_writer_wait_s"] <= held["busy_timeout_s"] + 1,
        )
    )
    page = found.get("runner_page")
    lines.append(
        line(
            "check-in page on a slow phone network (bench.runner_page)",
            f"{page['page_kb']:.1f} KB" if page else "",
            "<= 25 KB",
            None if not page else page["page_kb"] <= 25,
        )
    )
    lines.append(
        line(
            "tap to answer",
            f"{page['tap_to_answer_s']:.2f} s" if page else "",
            "<= 1 s",
            None if not page else page["tap_to_answer_s"] <= 1,
        )
    )
    return lines


def layer_lines(found: Figures) -> list[str]:
    """Each hand-written layer over Django's private methods: kept only where it wins by 10 %."""
    verdicts = found.get("compare", {}).get("layers")
    if not verdicts:
        return []
    return ["the hand-written layers against stock Django (bench.compare):"] + [
        f"  {verdict}" for verdict in verdicts
    ]


SECTIONS: list[Callable[[Figures], list[str]]] = [compare_lines, other_lines, layer_lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default=os.environ.get("BENCH_RESULTS"))
    args = parser.parse_args()
    if not args.file:
        sys.exit("name the results file, or set BENCH_RESULTS (make bench does)")
    found = read(args.file)
    print("\n== Targets, from this run")
    for section in SECTIONS:
        for text in section(found):
            print(text)


if __name__ == "__main__":
    main()
