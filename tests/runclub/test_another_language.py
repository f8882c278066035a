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
    # The copy keeps its own SQLite database in its DATA_DIR: never the suite's DATABASE_URL
    # (on CI's PostgreSQL run that is a shared database, with runs left by earlier runs).
    outside = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=club,
        env={**outside, "DATA_DIR": str(club / "var"), **env},
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


# The pages' own text (templates/, the Today screen, the calendar's pages) and the API's
# refusals: marked where they are written, found by makemessages, served in the language.


def catalogue_entries(catalogue: Path) -> dict[str, list[str]]:
    """Each msgid in a .po file (its wrapped lines joined), with the files it was found in."""
    entries: dict[str, list[str]] = {}
    for block in catalogue.read_text().split("\n\n"):
        places: list[str] = []
        msgid: list[str] = []
        reading = False
        for line in block.splitlines():
            if line.startswith("#: "):
                places += [place.rsplit(":", 1)[0] for place in line[3:].split()]
            elif line.startswith("msgid "):
                reading, msgid = True, [line[len("msgid ") :]]
            elif line.startswith('"') and reading:
                msgid.append(line)
            else:
                reading = False
        if msgid:
            entries["".join(part[1:-1] for part in msgid)] = places
    return entries


def test_makemessages_finds_the_pages_own_text(club: Path) -> None:
    entries = catalogue_entries(club / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    for sentence, where in [
        ("Page not found", "templates/404.html"),  # the error pages
        ("We run today", "templates/home.html"),
        ("The club's runs in your calendar", "templates/calendar_links.html"),
        ("Two-factor sign-in", "templates/admin/base_site.html"),  # every admin page
        ("Ready for tonight?", "runclub/templates/runclub/today.html"),  # the Today screen
        ("%(n)s checked in", "runclub/templates/runclub/today.html"),
        ("Pick a day", "calendar_app/templates/calendar_app/admin/calendar.html"),
        ("Add these run days", "calendar_app/templates/calendar_app/admin/schedule.html"),
        ("Meeting place", "calendar_app/forms.py"),  # form labels
        # What the pages' scripts show: given to them by the page, in the club's language.
        ("Reconnecting…", "attendance/templates/attendance/live_status.html"),
        ("Try again now", "attendance/wording.py"),
        ("start time", "calendar_app/models.py"),  # the admin's column titles
        # The API's refusals.
        (
            "Too many check-ins from this address; wait a minute and try again.",
            "runclub/wording.py",
        ),
        (
            "The database is very busy right now. Nothing was saved: send it again.",
            "runclub/wording.py",
        ),
        ("Send the request body as UTF-8 (charset=utf-8).", "runclub/lib/middleware.py"),
    ]:
        assert sentence in entries, sentence
        assert where in entries[sentence], (sentence, entries[sentence])


def test_a_translated_page_is_served_in_the_clubs_language(club: Path) -> None:
    catalogue = club / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    text = catalogue.read_text()
    for english, french in [
        ("Page not found", "Page introuvable"),
        ("Go to the home page", "Aller à l'accueil"),
    ]:
        entry = f'msgid "{english}"\nmsgstr ""'
        assert entry in text
        text = text.replace(entry, f'msgid "{english}"\nmsgstr "{french}"')
    catalogue.write_text(text)
    manage(club, "compilemessages", "--ignore=.venv")
    # The 404 page itself, through the project's URLs and middleware (it reads no table). The
    # static files' manifest exists only after collectstatic: as tests/conftest.py does, the
    # page links the source files instead.
    fetch = (
        "from django.test import Client, override_settings\n"
        "plain = {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}\n"
        "files = {'BACKEND': 'django.core.files.storage.FileSystemStorage'}\n"
        "with override_settings(STORAGES={'default': files, 'staticfiles': plain}):\n"
        "    page = Client().get('/no/such/page/', headers={'host': 'localhost'})\n"
        "print('status', page.status_code)\n"
        "print(page.content.decode())"
    )
    french = manage(club, "shell", "-c", fetch, LANGUAGE_CODE="fr")
    assert "status 404" in french
    assert '<html lang="fr">' in french
    assert "<title>Page introuvable · runclub</title>" in french
    assert '<a class="button" href="/">Aller à l\'accueil</a>' in french
    english = manage(club, "shell", "-c", fetch)
    assert "<title>Page not found · runclub</title>" in english
    assert '<a class="button" href="/">Go to the home page</a>' in english


# The attendance and QR pages' own words: templates, form labels, the admin's names.
PAGE_IN_FRENCH = {"Check in": "Pointer", "Your name": "Votre nom"}
# The copy has no collected static files: its pages link them without the manifest.
CHECKIN_PAGE = """
from django.test import Client, override_settings
from calendar_app.models import Run
storages = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
with override_settings(STORAGES=storages):
    print(Client(HTTP_HOST="127.0.0.1").get(Run.objects.get().checkin_path()).content.decode())
"""


def test_makemessages_finds_the_attendance_and_qr_pages_own_words(club: Path) -> None:
    catalogue = club / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    said = catalogue_entries(catalogue)
    assert "attendance/templates/attendance/checkin.html" in said["Check in"]  # the button
    assert "attendance/templates/attendance/enter_code.html" in said["Type the check-in code"]
    assert "attendance/templates/attendance/season.html" in said["%(runs)s run to go."]
    assert 'msgid_plural "%(runs)s runs to go."' in catalogue.read_text()  # with count
    assert "attendance/forms.py" in said["Your name"]  # a form label
    assert "attendance/admin_views.py" in said["Names, one a line"]
    assert "attendance/admin.py" in said["Merge the selected runners into one"]
    assert "attendance/models.py" in said["registered at"]  # an admin column's title
    assert "qrcodes/templates/qrcodes/projector.html" in said["Scan to check in"]
    assert (
        "qrcodes/templates/qrcodes/short_code.html"
        in said["No camera? Go to <strong>%(url)s</strong> and type"]
    )


def test_the_check_in_page_is_shown_in_the_clubs_language(club: Path) -> None:
    """The real page, through every middleware (Django's test client in the copy's own shell,
    its database migrated and today made a run day), in French once translated."""
    catalogue = club / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    text = catalogue.read_text()
    for english, french in PAGE_IN_FRENCH.items():
        text = text.replace(
            f'msgid "{english}"\nmsgstr ""', f'msgid "{english}"\nmsgstr "{french}"'
        )
    catalogue.write_text(text)
    manage(club, "compilemessages", "--ignore=.venv")
    manage(club, "migrate", "--noinput")
    manage(club, "add_run_day", "today")

    page = manage(club, "shell", "-c", CHECKIN_PAGE, LANGUAGE_CODE="fr")
    assert "<title>Pointer · " in page
    assert '<label for="runner-name">Votre nom</label>' in page
    assert '<button type="submit" class="big">Pointer</button>' in page
    assert 'data-say-check-in="Pointer"' in page  # what the page's script says, too

    english = manage(club, "shell", "-c", CHECKIN_PAGE)
    assert '<button type="submit" class="big">Check in</button>' in english
