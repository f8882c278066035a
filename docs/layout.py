"""Draws the layout's picture in docs/layout.md: which parts of the project import which.

    .venv/bin/python docs/layout.py          # rewrite the picture from the code
    .venv/bin/python docs/layout.py --check  # exit 1 if the picture is out of date

The parts are the apps and runclub/'s sub-packages; an arrow is "imports" (a new arrow
changes the picture; another import along an arrow already drawn does not). It reads the
imports with grimp, the graph library import-linter checks the layers with (``make lint``),
so the picture and the contract see the same imports. The picture is Mermaid, which GitHub
draws in place.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "layout.md"
BEGIN = "```mermaid\n"
END = "```\n"

# Top to bottom, as the layers contract in pyproject.toml orders them.
PARTS = {
    "runclub": "runclub/ (configuration and composition)",
    "qrcodes": "qrcodes",
    "attendance": "attendance",
    "calendar_app": "calendar_app",
    "runclub.accounts": "runclub/accounts",
    "runclub.lib": "runclub/lib",
}


def part_of(module: str) -> str:
    """The part a module belongs to: the longest of PARTS it is in."""
    return max((part for part in PARTS if module == part or module.startswith(f"{part}.")), key=len)


def imports_between_parts() -> set[tuple[str, str]]:
    """(importer, imported) for each two parts that a module of one imports the other's."""
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("runclub", "attendance", "calendar_app", "qrcodes")
    return {
        (part_of(module), part_of(imported))
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if part_of(module) != part_of(imported)
    }


def mermaid(between: set[tuple[str, str]]) -> str:
    order = list(PARTS)
    lines = ["flowchart TD"]
    lines += [f'    {name(part)}["{label}"]' for part, label in PARTS.items()]
    for importer, imported in sorted(
        between, key=lambda edge: (order.index(edge[0]), order.index(edge[1]))
    ):
        lines.append(f"    {name(importer)} --> {name(imported)}")
    return "\n".join(lines) + "\n"


def name(part: str) -> str:
    return part.replace(".", "_")


def upward(between: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Arrows that point up the layers: none, while the contract holds."""
    order = list(PARTS)
    return [(a, b) for a, b in between if order.index(a) > order.index(b)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if out of date")
    args = parser.parse_args()
    between = imports_between_parts()
    if upward(between):
        print(f"imports run up the layers: {upward(between)}", file=sys.stderr)
        return 1
    text = PICTURE.read_text()
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    drawn = f"{before}{BEGIN}{mermaid(between)}{END}{after}"
    if args.check:
        if drawn != text:
            print(
                f"{PICTURE.relative_to(ROOT)} is out of date: run docs/layout.py", file=sys.stderr
            )
            return 1
        return 0
    PICTURE.write_text(drawn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
