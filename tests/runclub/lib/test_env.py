"""Settings read from the environment refuse values they do not understand."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from runclub.lib.env import (
    envbool,
    envfloat,
    envint,
    envlist,
    envrate,
    envtime,
    envurl,
    envzone,
    install_keys,
    key_fallbacks,
    secret_key_from,
)
from tests.servers import BASE_DIR, server_env


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("Off", False), ("", False)]
)
def test_envbool_reads_booleans(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("FLAG", raw)
    assert envbool("FLAG") is expected


def test_envbool_refuses_a_typo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS", "ture")
    with pytest.raises(ImproperlyConfigured, match="HTTPS='ture' is not a boolean"):
        envbool("HTTPS")


def test_envint_refuses_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        envint("PORT", 8000)


def test_envlist_splits_on_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", " club.example.org, ,localhost ")
    assert envlist("ALLOWED_HOSTS", "") == ["club.example.org", "localhost"]


def test_envzone_refuses_an_unknown_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIME_ZONE", "Europe/Atlantis")
    with pytest.raises(ImproperlyConfigured, match="not an IANA time zone"):
        envzone("TIME_ZONE", "UTC")


def test_envurl_needs_a_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "club.example.org")
    with pytest.raises(ImproperlyConfigured, match="must start with http"):
        envurl("SITE_URL", "")


def test_the_secret_key_is_made_once_and_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = secret_key_from(tmp_path)
    assert len(first) >= 50
    assert secret_key_from(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_envrate_reads_a_rate_and_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATELIMIT_LOGIN_PER_USERNAME", "10/h")
    assert envrate("RATELIMIT_LOGIN_PER_USERNAME", "5/m") == "10/h"
    monkeypatch.setenv("RATELIMIT_LOGIN_PER_USERNAME", "lots")
    with pytest.raises(ImproperlyConfigured, match="is not a rate"):
        envrate("RATELIMIT_LOGIN_PER_USERNAME", "5/m")


@pytest.mark.parametrize(("raw", "expected"), [("0.5", 0.5), ("2", 2.0), ("", 0.25)])
def test_envfloat_reads_seconds(monkeypatch: pytest.MonkeyPatch, raw: str, expected: float) -> None:
    monkeypatch.setenv("REDIS_TIMEOUT", raw)
    assert envfloat("REDIS_TIMEOUT", 0.25, minimum=0.01) == expected


@pytest.mark.parametrize("raw", ["fast", "0", "-1", "nan", "inf"])
def test_envfloat_refuses_what_is_no_timeout(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("REDIS_TIMEOUT", raw)
    with pytest.raises(ImproperlyConfigured, match="REDIS_TIMEOUT"):
        envfloat("REDIS_TIMEOUT", 0.25, minimum=0.01)


def test_backup_daily_is_refused_with_postgresql(tmp_path: Path) -> None:
    env = {
        **server_env(tmp_path),
        "BACKUP_DAILY": "true",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/runclub_no_such_database",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "BACKUP_DAILY=true backs up SQLite" in done.stderr


def test_envtime_reads_a_time_of_day_and_refuses_anything_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RETENTION_AT", "04:15")
    assert envtime("RETENTION_AT", "02:30") == dt.time(4, 15)
    monkeypatch.setenv("RETENTION_AT", "23:59:30")
    assert envtime("RETENTION_AT", "02:30") == dt.time(23, 59, 30)
    for wrong in ("4pm", "25:00", "soon"):
        monkeypatch.setenv("RETENTION_AT", wrong)
        with pytest.raises(ImproperlyConfigured, match="is not a time of day"):
            envtime("RETENTION_AT", "02:30")


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("RETENTION_YEARS", "three", "RETENTION_YEARS='three' is not a whole number"),
        ("RETENTION_YEARS", "-1", "must be at least 0"),
        ("ADMIN_2FA", "yes", "ADMIN_2FA='yes' must be one of: required, optional, off"),
        ("ADMIN_SESSION_HOURS", "0", "must be a number of at least 0.01"),
    ],
)
def test_privacy_and_log_in_settings_refuse_what_they_cannot_mean(
    tmp_path: Path, name: str, value: str, says: str
) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env={**server_env(tmp_path), name: value},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert says in done.stderr


def test_the_generated_key_still_counts_once_secret_key_is_set(tmp_path: Path) -> None:
    generated = secret_key_from(tmp_path)
    assert key_fallbacks(tmp_path, generated) == []  # the key in use is no fallback
    assert key_fallbacks(tmp_path, "a key set later") == [generated]


def test_a_restore_without_secret_key_set_brings_the_backups_key_back(tmp_path: Path) -> None:
    secret_key_from(tmp_path)  # the empty disk's own, made at start-up
    install_keys(tmp_path, ["the backup's key", "an older one"], set_key="")
    assert secret_key_from(tmp_path) == "the backup's key"
    assert key_fallbacks(tmp_path, "the backup's key") == ["an older one"]


def test_a_restore_under_another_secret_key_keeps_the_backups_as_fallbacks(
    tmp_path: Path,
) -> None:
    install_keys(tmp_path, ["the backup's key", "an older one"], set_key="the new service's")
    assert not (tmp_path / "secret_key").exists()
    assert key_fallbacks(tmp_path, "the new service's") == ["the backup's key", "an older one"]
    install_keys(tmp_path, ["the new service's"], set_key="the new service's")
    assert key_fallbacks(tmp_path, "the new service's") == []
