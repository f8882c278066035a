"""Where a server's CPU went: py-spy's collapsed stacks (``--format raw``) summed up.

    python -m bench.compare --py-spy /tmp/spy      # samples each small-host run
    python -m bench.spy /tmp/spy/app-0.1-*.txt     # then: shares by layer and by function

Each sample is one stack of the thread holding the GIL. It prints the share of samples
by layer (the innermost frame's package: daphne and Twisted, asyncio, asgiref, Django,
the app...), the functions most often on the stack (inclusive) and those most often
innermost (self), so the inclusive figure of a view or middleware is its whole cost.
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^)]*)\)$")
# The innermost frame's file, first match wins: what part of the server spent the sample.
LAYERS = [
    ("daphne", "daphne"),
    ("twisted", "twisted"),
    ("autobahn", "twisted"),
    ("asyncio", "asyncio"),
    ("selectors", "asyncio"),
    ("asgiref", "asgiref"),
    ("concurrent/futures", "threads"),
    ("threading", "threads"),
    ("queue.py", "threads"),
    ("django/template", "django templates"),
    ("django/db", "django database"),
    ("sqlite3", "django database"),
    ("django/middleware", "django middleware"),
    ("django/contrib/sessions", "django middleware"),
    ("django/contrib/auth", "django middleware"),
    ("django/contrib/messages", "django middleware"),
    ("whitenoise", "django middleware"),
    ("csp", "django middleware"),
    ("django_ratelimit", "rate limits"),
    ("channels", "channels"),
    ("django", "django other"),
    ("attendance", "the app"),
    ("calendar_app", "the app"),
    ("runclub", "the app"),
    ("qrcodes", "the app"),
]


def layer_of(frame: str) -> str:
    match = FRAME.match(frame)
    file = match.group("file") if match else frame
    for needle, layer in LAYERS:
        if needle in file:
            return layer
    return "other"


def thread_of(frames: tuple[str, ...]) -> str:
    # A request's thread starts in threading; daphne's event loop is the main thread.
    return "threads" if frames and "threading.py" in frames[0] else "event loop"


def read(paths: list[Path]) -> collections.Counter[tuple[str, ...]]:
    stacks: collections.Counter[tuple[str, ...]] = collections.Counter()
    for path in paths:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if stack and count.isdecimal():
                # Outermost first; the first entry may name the process or thread.
                frames = tuple(f for f in stack.split(";") if FRAME.match(f))
                stacks[frames] += int(count)
    return stacks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument(
        "--thread", choices=["event loop", "threads"], help="only this thread's samples"
    )
    args = parser.parse_args()
    stacks = read(args.files)
    if args.thread:
        stacks = collections.Counter(
            {frames: n for frames, n in stacks.items() if thread_of(frames) == args.thread}
        )
    total = sum(stacks.values())
    if not total:
        raise SystemExit("no samples")
    threads: collections.Counter[str] = collections.Counter()
    layers: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    for frames, count in stacks.items():
        if not frames:
            continue
        threads[thread_of(frames)] += count
        layers[layer_of(frames[-1])] += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    print(f"{total} samples")
    print("\nby thread:")
    for thread, count in threads.most_common():
        print(f"  {count / total:6.1%}  {thread}")
    print("\nby layer (innermost frame):")
    for layer, count in layers.most_common():
        print(f"  {count / total:6.1%}  {layer}")
    print(f"\ninclusive (on the stack), top {args.top}:")
    for frame, count in inclusive.most_common(args.top):
        print(f"  {count / total:6.1%}  {frame}")
    print(f"\nself (innermost), top {args.top}:")
    for frame, count in own.most_common(args.top):
        print(f"  {count / total:6.1%}  {frame}")


if __name__ == "__main__":
    main()
