"""Figures a benchmark hands to ``bench/summary.py``, so one ``make bench`` run sums up itself.

Each benchmark calls ``record(name, figures)``; with BENCH_RESULTS set (``make bench``
sets it), the figures are appended to that file as one JSON line. Without it nothing is
written: a benchmark run alone just prints.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def record(name: str, figures: dict[str, Any]) -> None:
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    with Path(path).open("a") as out:
        out.write(json.dumps({"benchmark": name, **figures}) + "\n")


def read(path: str | Path) -> dict[str, dict[str, Any]]:
    """The figures recorded in ``path``, by benchmark (the last record of each)."""
    found: dict[str, dict[str, Any]] = {}
    file = Path(path)
    if file.exists():
        for line in file.read_text().splitlines():
            if line.strip():
                figures = json.loads(line)
                found[figures.pop("benchmark")] = figures
    return found
