"""The layout: imports run one way (import-linter refuses the other), and its picture in the
docs is the code's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["runclub", "attendance", "calendar_app", "qrcodes"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project's packages and their contracts, to break."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True
    )


def test_the_contracts_hold_on_the_code_as_it_is(tree: Path) -> None:
    linted = lint_imports(tree)
    assert linted.returncode == 0, linted.stdout
    assert "0 broken" in linted.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        # An app reaching up into one that builds on it.
        ("calendar_app/models.py", "from attendance import live", "Configuration, then apps"),
        # Shared infrastructure reaching up into an app.
        ("runclub/lib/env.py", "import calendar_app.models", "Configuration, then apps"),
        # Infrastructure reaching up into the project's configuration.
        ("runclub/lib/http.py", "from runclub import nightly", "Every module of runclub/"),
    ],
)
def test_an_import_that_runs_the_wrong_way_breaks_the_contract(
    tree: Path, module: str, bad_import: str, contract: str
) -> None:
    path = tree / module
    path.write_text(f"{path.read_text()}\n{bad_import}  # noqa\n")
    linted = lint_imports(tree)
    assert linted.returncode == 1
    broken = [line for line in linted.stdout.splitlines() if line.endswith(" BROKEN")]
    assert [line for line in broken if line.startswith(contract)], linted.stdout


def test_the_docs_picture_is_drawn_from_the_code_as_it_is() -> None:
    drawn = subprocess.run(
        [sys.executable, "docs/layout.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert drawn.returncode == 0, drawn.stderr
    assert "runclub_lib" in (ROOT / "docs" / "layout.md").read_text()
