"""Production settings pass Django's deploy checks; static files collect and serve hashed."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

BASE_DIR = Path(django_settings.BASE_DIR)


def production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return {
        **env,
        "DATA_DIR": str(data_dir),
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "runclub.example.org",
        "SITE_URL": "https://runclub.example.org",
        **extra,
    }


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("redis", [False, True], ids=["one process", "with REDIS_URL"])
def test_production_settings_pass_the_deploy_checks(tmp_path: Path, redis: bool) -> None:
    extra = {"REDIS_URL": "redis://127.0.0.1:6379/5"} if redis else {}
    result = deploy_check(production_env(tmp_path, **extra))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_https_the_deploy_checks_complain(tmp_path: Path) -> None:
    result = deploy_check(production_env(tmp_path, HTTPS="false"))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_https_turns_on_redirect_secure_cookies_hsts_and_the_proxy_header(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "runclub.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')"
    ]  # fmt: skip


@pytest.mark.django_db
def test_collectstatic_compresses_and_hashes_and_whitenoise_serves_it(
    tmp_path: Path, settings: object
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    root = settings.STATIC_ROOT
    assert (root / "staticfiles.json").exists()
    hashed_css = next(root.glob("css/runclub.*.css"))
    assert Path(f"{hashed_css}.gz").exists()
    assert next(root.glob("ninja/swagger-ui-bundle.*.js"))

    client = Client()  # a fresh handler: WhiteNoise indexes STATIC_ROOT as it starts
    page = client.get("/").content.decode()
    url = f"/static/css/{hashed_css.name}"
    assert f'href="{url}"' in page
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
