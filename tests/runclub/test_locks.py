"""What is installed is locked: every package pinned with hashes, made from the short lists
people edit by `make lock` (DEVELOPERS.md), and the locks are what every install reads."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.servers import BASE_DIR

LISTS = {
    "requirements.txt": "requirements.lock",
    "tests/requirements.txt": "tests/requirements.lock",
    "bench/requirements.txt": "bench/requirements.lock",
}
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)")


def short_list(path: str) -> list[Requirement]:
    lines = (BASE_DIR / path).read_text().splitlines()
    return [Requirement(line) for line in lines if line and not line.startswith(("#", "-"))]


def locked(path: str) -> dict[str, str]:
    text = (BASE_DIR / path).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    pins = {}
    for entry in entries:
        match = PIN.match(entry)
        if match:
            assert "--hash=sha256:" in entry, f"{match[1]} has no hash in {path}"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


@pytest.mark.parametrize("short", sorted(LISTS))
def test_the_lock_holds_every_package_of_its_short_list(short: str) -> None:
    pins = locked(LISTS[short])
    missing = [
        str(req)
        for req in short_list(short)
        if canonicalize_name(req.name) not in pins
        or not req.specifier.contains(pins[canonicalize_name(req.name)], prereleases=True)
    ]
    assert not missing, f"{short} names {missing}, which {LISTS[short]} lacks: run `make lock`"


def test_the_locks_agree_on_every_package_they_share() -> None:
    # One venv holds all three: a package must be the same version in each lock that has it.
    runtime, tests = locked("requirements.lock"), locked("tests/requirements.lock")
    bench = locked("bench/requirements.lock")
    for name, version in runtime.items():
        assert tests.get(name) == version, (
            f"{name}: {version} at run time, {tests.get(name)} in tests"
        )
    for name, version in bench.items():
        assert tests.get(name, version) == version, (
            f"{name}: {version} in bench, {tests[name]} in tests"
        )


def test_every_install_reads_a_lock_with_hashes() -> None:
    makefile = (BASE_DIR / "Makefile").read_text()
    assert "--require-hashes" in makefile
    for lock in LISTS.values():
        assert f"-r {lock}" in makefile
    assert not re.search(r"pip install[^\n]*-r [^\n]*requirements\.txt", makefile)
    [service] = yaml.safe_load((BASE_DIR / "render.yaml").read_text())["services"]
    railway = json.loads((BASE_DIR / "railway.json").read_text())["build"]
    for build in (service["buildCommand"], railway["buildCommand"]):
        assert build.startswith("pip install --require-hashes -r requirements.lock && ")
