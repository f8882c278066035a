"""Every command README.md and docs/*.md show is run as written: here (the app's own commands,
in a fresh DATA_DIR), by the test named for it (whose source holds its words), or by CI.

A command added to the docs without a place below fails ``test_every_command_is_run``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import BASE_DIR, server_env

DOCS = [BASE_DIR / "README.md", *sorted((BASE_DIR / "docs").glob("*.md"))]
COMMAND = re.compile(
    r"^([A-Z_]+=\S+ )*(make\b|python |\.venv/bin/|bash |pg_dump |pg_restore |locust |pip |git |"
    r"mkdir )"
)

# Run by this module, as written (placeholders filled in: see RUN_HERE's tests below).
RUN_HERE = {
    ".venv/bin/python manage.py add_run_day today",
    '.venv/bin/python manage.py add_run_day today --time 18:00 --place "The Oval"',
    ".venv/bin/python manage.py seed_demo --years 10 [--seed 2026]",
    "python manage.py add_checkins 2026-10-06 sheet.txt",
    "python manage.py apply_retention",
    "python manage.py axes_reset_username USERNAME",
    "python manage.py backup",
    "python manage.py backup --keep 30 --dir /mnt/offsite",
    "python manage.py check --deploy",
    "python manage.py check --deploy --fail-level WARNING",
    "python manage.py dumpdata",
    "python manage.py import_members members.csv",
    'python manage.py merge_runners "Ana S" "Ana Silva"',
    "python manage.py reset_2fa USERNAME",
    "python manage.py restore DATA_DIR/backups/runclub-YYYYMMDD-HHMMSSZ.sqlite3",
    'pg_dump --format=custom --file=runclub.dump "$DATABASE_URL"',
    'pg_restore --clean --no-owner --dbname="$DATABASE_URL" runclub.dump',
    "pip install --require-hashes -r requirements.lock",
}
# Run by another test or CI step: the file that runs it holds each of its words.
RUN_BY = {
    "make run": "tests/runclub/test_lan.py",
    "LAN=1 make run": "tests/runclub/test_lan.py",
    "LAN=1 LAN_ADDRESS=192.168.1.20 make run": "tests/runclub/test_lan.py",
    "PORT=9000 make run": "tests/runclub/test_newcomer_commands.py",
    "make test": ".ci/run",
    "make lint": ".ci/run",
    "make .venv/.bench": ".ci/run",
    "python -m bench.rehearse": ".ci/run",
    ".venv/bin/python -m pytest -m slow": ".ci/run",
    ".venv/bin/python docs/layout.py": "tests/runclub/test_layout.py",
    ".venv/bin/python manage.py makemessages -l fr": "tests/runclub/test_another_language.py",
    ".venv/bin/python manage.py compilemessages --ignore=.venv": (
        "tests/runclub/test_another_language.py"
    ),
    # Render's build command, word for word; tests/runclub/test_platforms.py runs it.
    "pip install --require-hashes -r requirements.lock && DATA_DIR=/tmp/build python manage.py "
    "collectstatic --noinput": "render.yaml",
}
# Shown in the docs and run elsewhere, on purpose: each with why it is not in CI.
NOT_IN_CI = {
    "bash .ci/run": "it is CI",
    ".venv/bin/python -m pytest -m slow tests/faults": "a part of CI's `pytest -m slow`",
    ".venv/bin/python -m pytest -m slow tests/browser -k phone": "a part of CI's `pytest -m slow`",
    "git pull": "git's, not the app's",
    "mkdir -p locale": "the shell's; tests/runclub/test_another_language.py makes the folder",
    "locust -f bench/locustfile.py --host https://runclub.example.org --checkin-url "
    "https://runclub.example.org/checkin/<token>/ --headless --users 150 --spawn-rate 10 "
    "--run-time 3m": "against the club's own deployment; CI runs the same locustfile "
    "(python -m bench.rehearse)",
}
# Benchmarks: `make bench` runs them (the Makefile's bench target), minutes of load on a quiet
# machine for the figures in docs/proof.md; CI's shared cores would give neither.
BENCHMARKS = {
    "make bench",
    'make bench BENCH_ARGS="--runners 200 --watchers 10"',
    "DATABASE_URL=... make bench",
    ".venv/bin/python -m bench.load --server-env REDIS_URL=redis://127.0.0.1:6379/3",
    "python -m bench.compare",
    "python -m bench.compare --two-process",
    "python -m bench.faults",
    "python -m bench.load",
    "python -m bench.runner_page",
    "python -m bench.summary",
}


def documented() -> dict[str, list[str]]:
    """Each command in the docs (fenced ``sh`` blocks, and inline code that starts like one)."""
    found: dict[str, list[str]] = {}
    for doc in DOCS:
        text = doc.read_text()
        commands = []
        for block in re.findall(r"```sh\n(.*?)```", text, re.S):
            for line in block.replace("\\\n", " ").splitlines():
                commands.append(re.sub(r"\s+#.*$", "", line))
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        commands += [span for span in re.findall(r"`([^`\n]+)`", prose) if COMMAND.match(span)]
        for command in commands:
            command = " ".join(command.split())
            # Only settings (`LAN=1`), or a placeholder for any command (`python manage.py ...`).
            if (
                command
                and not re.fullmatch(r"([A-Z_]+=\S+ ?)+", command)
                and "..." not in (command.split()[-1])
            ):
                found.setdefault(command, []).append(doc.name)
    return found


def test_every_command_is_run() -> None:
    placed = RUN_HERE | set(RUN_BY) | set(NOT_IN_CI) | BENCHMARKS
    loose = {command: docs for command, docs in documented().items() if command not in placed}
    assert not loose, f"commands the docs show that nothing runs (place them here): {loose}"


def test_nothing_is_placed_that_the_docs_no_longer_show() -> None:
    shown = set(documented())
    stale = (RUN_HERE | set(RUN_BY) | set(NOT_IN_CI) | BENCHMARKS) - shown
    assert not stale, f"no longer in the docs: {stale}"


def words_of(command: str) -> list[str]:
    return [word for word in shlex.split(command) if word not in {"python", ".venv/bin/python"}]


@pytest.mark.parametrize("command", sorted(RUN_BY))
def test_the_test_named_runs_each_word(command: str) -> None:
    source = (BASE_DIR / RUN_BY[command]).read_text()
    for word in words_of(command):
        name, _, value = word.partition("=")
        forms = [word]
        if value and name.isupper():  # a setting: env={"LAN": "1"} or LAN="1" in a test
            forms += [f'"{name}": "{value}"', f'{name}="{value}"']
        assert any(form in source for form in forms), f"{RUN_BY[command]} never says {word!r}"


def test_benchmarks_are_what_make_bench_runs() -> None:
    makefile = (BASE_DIR / "Makefile").read_text()
    for module in ("bench.load", "bench.compare", "bench.faults", "bench.runner_page"):
        assert f"-m {module}" in makefile
    assert "bench/name_rule.py" in makefile and "-m bench.summary" in makefile


# The app's own commands, run here as written: `python` is this Python, manage.py this checkout's,
# in a DATA_DIR of their own; a placeholder (USERNAME, a file name) filled in.


def run(command: str, data_dir: Path, fill: dict[str, str] | None = None, **env: str) -> str:
    assert command in RUN_HERE, command
    for placeholder, value in (fill or {}).items():
        command = command.replace(placeholder, value)
    words = [
        sys.executable if w in {"python", ".venv/bin/python"} else w for w in shlex.split(command)
    ]
    result = subprocess.run(
        words, cwd=BASE_DIR, capture_output=True, text=True, timeout=300,
        env={**server_env(data_dir), "LOG_LEVEL": "warning", **env},
    )  # fmt: skip
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("docs-commands")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=BASE_DIR, check=True,
        env=server_env(data_dir), capture_output=True,
    )  # fmt: skip
    return data_dir


def test_the_run_day_commands(club: Path, tmp_path: Path) -> None:
    assert "/c/" in run(".venv/bin/python manage.py add_run_day today", club)
    run('.venv/bin/python manage.py add_run_day today --time 18:00 --place "The Oval"', club)
    sheet = tmp_path / "sheet.txt"
    sheet.write_text("Ana Silva\nBen Okafor\n")
    subprocess.run(
        [sys.executable, "manage.py", "add_run_day", "2026-10-06"], cwd=BASE_DIR, check=True,
        env=server_env(club), capture_output=True,
    )  # fmt: skip
    added = run(
        "python manage.py add_checkins 2026-10-06 sheet.txt", club, {"sheet.txt": str(sheet)}
    )
    assert "2" in added
    run('python manage.py merge_runners "Ana S" "Ana Silva"', club)
    members = tmp_path / "members.csv"
    members.write_text("number,name\n12345678,Ana Silva\n")
    run("python manage.py import_members members.csv", club, {"members.csv": str(members)})
    assert "Cutoff: check-ins before" in run("python manage.py apply_retention", club)
    assert '"model": "calendar_app.run"' in run("python manage.py dumpdata", club)


def test_the_account_commands(club: Path) -> None:
    env = {"ADMIN_USERNAME": "captain", "ADMIN_PASSWORD": "a long first password"}
    subprocess.run(
        [sys.executable, "manage.py", "ensure_admin"], cwd=BASE_DIR, check=True,
        env={**server_env(club), **env}, capture_output=True,
    )  # fmt: skip
    run("python manage.py reset_2fa USERNAME", club, {"USERNAME": "captain"})
    run("python manage.py axes_reset_username USERNAME", club, {"USERNAME": "captain"})


def test_the_backup_commands(club: Path, tmp_path: Path) -> None:
    run("python manage.py backup", club)
    offsite = tmp_path / "offsite"
    run(
        "python manage.py backup --keep 30 --dir /mnt/offsite", club, {"/mnt/offsite": str(offsite)}
    )
    [copy] = offsite.glob("runclub-*Z.sqlite3")
    fresh = tmp_path / "fresh"
    restore = "python manage.py restore DATA_DIR/backups/runclub-YYYYMMDD-HHMMSSZ.sqlite3"
    assert "old links work" in run(restore, fresh, {restore.split()[-1]: str(copy)})


def test_the_deploy_checks(tmp_path: Path) -> None:
    production = {
        "DEBUG": "false", "HTTPS": "true", "SECRET_KEY": "k" * 20 + os.urandom(20).hex(),
        "ALLOWED_HOSTS": "runclub.example.org", "SITE_URL": "https://runclub.example.org",
    }  # fmt: skip
    run("python manage.py check --deploy", tmp_path, **production)
    run("python manage.py check --deploy --fail-level WARNING", tmp_path, **production)


@pytest.mark.slow  # tens of seconds: CI's slow run
def test_the_lock_installs_as_the_deploy_docs_say(tmp_path: Path) -> None:
    run("pip install --require-hashes -r requirements.lock", tmp_path)


@pytest.mark.slow  # tens of seconds: CI's slow run
def test_demo_data_as_the_organisers_guide_says(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=BASE_DIR, check=True,
        env=server_env(tmp_path), capture_output=True,
    )  # fmt: skip
    seed = ".venv/bin/python manage.py seed_demo --years 10 [--seed 2026]"
    run(seed, tmp_path, {"[--seed 2026]": "--seed 2026"})


@pytest.mark.slow  # tens of seconds: CI's slow run
def test_postgresqls_own_backup_and_restore(tmp_path: Path) -> None:
    """The PostgreSQL lines of docs/operating.md, against the project's PostgreSQL."""
    base = os.environ.get("DOCS_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    name = f"runclub_docs_{os.getpid()}"
    if subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name]).returncode:
        pytest.fail(
            "PostgreSQL at 127.0.0.1:5432 is part of the project's machines (DEVELOPERS.md)"
        )
    url = f"{base}/{name}"
    try:
        env = {**server_env(tmp_path), "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"], cwd=BASE_DIR, check=True,
            env=env, capture_output=True,
        )  # fmt: skip
        dump = tmp_path / "runclub.dump"
        run('pg_dump --format=custom --file=runclub.dump "$DATABASE_URL"', tmp_path,
            {"runclub.dump": str(dump), '"$DATABASE_URL"': url})  # fmt: skip
        run('pg_restore --clean --no-owner --dbname="$DATABASE_URL" runclub.dump', tmp_path,
            {"runclub.dump": str(dump), '"$DATABASE_URL"': url})  # fmt: skip
        assert dump.stat().st_size > 0
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=False)
