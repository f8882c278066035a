"""A club adds a language as docs/operating.md says: makemessages finds every app's sentences,
and once translated and compiled, the app speaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COPIED = ["runclub", "attendance", "calendar_app", "qrcodes", "templates", "manage.py"]
TODAY = "This is today's run: runners may be on their way."
IN_FRENCH = "C'est la course d'aujourd'hui : des coureurs sont peut-être en route."


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project where a club has run the documented commands for French."""
    club = tmp_path_factory.mktemp("club")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, club / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, club / name)
    (club / "locale").mkdir()
    manage(club, "makemessages", "-l", "fr")
    return club


def manage(club: Path, *args: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=club,
        env={**os.environ, "DATA_DIR": str(club / "var"), **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_makemessages_finds_each_apps_sentences(club: Path) -> None:
    catalogue = (club / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text()
    for sentence in [
        TODAY,  # calendar_app
        '"Merged %(names)s into this runner: %(moved)d check-in moved"',  # attendance
        '"%(count)d try"',  # attendance, refused check-ins
        "Your season",  # attendance, a runner's page
        '"Log in"',  # the organisers' accounts
    ]:
        assert sentence in catalogue


def test_a_translated_sentence_is_said_in_the_clubs_language(club: Path) -> None:
    catalogue = club / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    text = catalogue.read_text()
    catalogue.write_text(
        text.replace(f'msgid "{TODAY}"\nmsgstr ""', f'msgid "{TODAY}"\nmsgstr "{IN_FRENCH}"')
    )
    manage(club, "compilemessages", "--ignore=.venv")
    said = manage(
        club,
        "shell",
        "-c",
        "from calendar_app import wording; from calendar_app.days import Caution; "
        "print(wording.caution(Caution.TODAY, 0))",
        LANGUAGE_CODE="fr",
    )
    assert said.splitlines()[-1] == IN_FRENCH
    english = manage(
        club,
        "shell",
        "-c",
        "from calendar_app import wording; from calendar_app.days import Caution; "
        "print(wording.caution(Caution.TODAY, 0))",
    )
    assert english.splitlines()[-1] == TODAY


def test_a_language_django_does_not_know_is_refused_in_one_line(club: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=club,
        env={**os.environ, "DATA_DIR": str(club / "var"), "LANGUAGE_CODE": "klingon"},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "LANGUAGE_CODE='klingon' must be one of:" in done.stderr
