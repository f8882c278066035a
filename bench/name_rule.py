"""The name rule's cost per check-in: ``clean_runner_name`` and ``name_key``, as a check-in
POST calls them once each, in process CPU time per name.

Names as runners type them, by kind: plain ASCII (most of a British club's names, a fast
path), Latin with accents or a curly apostrophe, whole words in Cyrillic, Greek, Devanagari
and Han, and an emoji name. Also the one-off cost a server pays once per process: importing
Unicode's confusables data (``confusable_homoglyphs``) and building the prototype table.

    python bench/name_rule.py [--repeat 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

KINDS = {
    "ascii": ["Maya Patel", "Sam O'Neill", "Ben Okafor", "Ana Silva", "J. Smith"],
    "latin accents / curly apostrophe": ["Zoë Ångström", "Sam O\u2019Neill", "Chloé Martin"],
    "cyrillic / greek": ["Мария Иванова", "Αλέξανδρος Παππάς", "Мауа Patel"],
    "devanagari / han": ["राम शर्मा", "王小明", "山田 たろう"],
    "emoji": ["\U0001f3c3\u200d\u2640\ufe0f Jess \U0001f525"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20000)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runclub.settings")
    import django

    django.setup()
    from confusable_homoglyphs import utils

    from attendance import names

    started = time.process_time()
    utils.load("confusables.json")
    loading = time.process_time() - started
    started = time.process_time()
    names._prototypes()
    table = time.process_time() - started
    print(
        f"Name rule, once per process: Unicode's confusables data loaded in "
        f"{loading * 1000:.0f} ms CPU, prototype table built in {table * 1000:.0f} ms CPU"
    )
    print(f"{'names':<34} {'clean + key, us CPU per check-in':>34}")
    for kind, samples in KINDS.items():
        costs = []
        for name in samples:
            names.name_key(names.clean_runner_name(name))  # caches warm, as on a server
            start = time.process_time()
            for _ in range(args.repeat):
                names.name_key(names.clean_runner_name(name))
            costs.append((time.process_time() - start) / args.repeat * 1e6)
        print(f"{kind:<34} {statistics.median(costs):>34.1f}")


if __name__ == "__main__":
    main()
