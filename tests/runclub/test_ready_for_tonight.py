"""Today's "Ready for tonight?": backups, disk, Redis, recent errors and the version, red only
where someone should act before the run."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from runclub import today
from runclub.lib import backup

pytestmark = pytest.mark.django_db


def panel(client: Client) -> tuple[str, list[str]]:
    page = client.get("/admin/").content.decode()
    section = page[
        page.index('id="ready-for-tonight"') : page.index(
            "</section>", page.index('id="ready-for-tonight"')
        )
    ]
    red = re.findall(r'class="rc-ready-trouble"><dt>([^<]+)</dt>', section)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split()), red


def test_a_quiet_healthy_server_shows_no_red(staff_client: Client, settings: object) -> None:
    settings.BACKUP_DAILY = False
    settings.REDIS_URL = ""
    with mock.patch("runclub.today.errorcount.errors_since", return_value=0):
        text, red = panel(staff_client)
    assert red == []
    if connection.vendor == "sqlite":
        assert "Backups off: set BACKUP_DAILY=true, or run manage.py backup daily" in text
    else:
        assert "Backups PostgreSQL: your host's backups (pg_dump)" in text
    assert "free in DATA_DIR" in text
    assert "Redis not used: one server process" in text
    assert "Errors none in the last hour" in text
    assert f"Version {today.app_version()}" in text


def test_a_missed_nightly_backup_low_disk_and_errors_are_red(
    staff_client: Client, settings: object, tmp_path: Path
) -> None:
    settings.BACKUP_DAILY = True
    stale = backup.timezone.now() - dt.timedelta(days=3)
    with (
        mock.patch("runclub.today.backup.newest", return_value=stale),
        mock.patch("shutil.disk_usage", return_value=mock.Mock(free=50 * 1024 * 1024)),
    ):
        logging.getLogger("runclub.test").error("something went wrong")
        text, red = panel(staff_client)
    if connection.vendor == "sqlite":
        assert red == ["Backups", "Disk", "Errors"]
        assert "last one 3 days ago" in text
    else:  # the host backs PostgreSQL up: nothing of ours to be late
        assert red == ["Disk", "Errors"]
    assert "50 MB free in DATA_DIR" in text
    # Errors are counted for the whole process: other tests' may be among them.
    assert re.search(r"\d+ errors? in the last hour: see the server's log", text)


def test_redis_not_answering_is_red_and_says_check_ins_still_work(
    staff_client: Client, settings: object
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with mock.patch("runclub.today.cache.get", side_effect=ConnectionError("refused")):
        text, red = panel(staff_client)
    assert "Redis" in red
    assert "not answering: skipped, check-ins still work" in text


def test_the_version_names_the_deployed_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    today.app_version.cache_clear()
    monkeypatch.setenv("RENDER_GIT_COMMIT", "0123456789abcdef")
    try:
        assert today.app_version().endswith("(0123456)")
    finally:
        today.app_version.cache_clear()
