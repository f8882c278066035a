"""Read settings from the environment, refusing values we do not understand.

A typo such as ``HTTPS=ture`` must stop the server at start-up, not quietly run
an insecure configuration.

The refusals are in English, not marked for translation: they are said while the settings
are read, before Django can load a translation (``LANGUAGE_CODE`` is itself one of the
settings read here), to whoever runs the server, in its log beside Django's own lines.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import zoneinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def envint(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def envfloat(name: str, default: float, *, minimum: float = 0.0) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if not value >= minimum or value == float("inf"):
        raise ImproperlyConfigured(f"{name}={raw!r} must be a number of at least {minimum}.")
    return value


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def envzone(name: str, default: str) -> str:
    value = envstr(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not an IANA time zone such as Europe/London."
        ) from None
    return value


def envurl(name: str, default: str) -> str:
    value = envstr(name, default).rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{name}={value!r} must start with http:// or https://.")
    return value


def envdir(name: str, default: Path) -> Path:
    """A folder the app keeps its files in, made if it is not there yet."""
    path = Path(envstr(name) or default).resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name}={str(path)!r} cannot be made ({error.strerror}): point it at a folder "
            "the app may write, such as the volume's mount path."
        ) from None
    return path


def envredisurl(name: str) -> str:
    value = envstr(name)
    if value and urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a Redis URL; write it as redis://host:6379/0."
        )
    return value


def envdatabase(name: str, value: str) -> dict[str, Any]:
    """Django's DATABASES entry for a database URL (postgres://user:pass@host:5432/name)."""
    try:
        return dict(dj_database_url.parse(value, conn_max_age=0))
    except ValueError:
        scheme = urlsplit(value).scheme or "no scheme"
        raise ImproperlyConfigured(
            f"{name} is not a database URL ({scheme}); write it as "
            "postgres://user:password@host:5432/name."
        ) from None


def check_site(site_url: str, allowed_hosts: list[str], https: bool) -> None:
    """SITE_URL, printed in every QR code, must be an address the site answers on."""
    set_ = "SITE_URL" in os.environ
    shown = f"SITE_URL={site_url}" if set_ else f"SITE_URL is not set (so {site_url})"
    if https and urlsplit(site_url).scheme != "https":
        raise ImproperlyConfigured(
            f"HTTPS=true but {shown} is not an https:// address, and QR codes would carry "
            "it: set SITE_URL=https://<your host name>."
        )
    host = urlsplit(site_url).hostname or ""
    if not validate_host(host, allowed_hosts):
        raise ImproperlyConfigured(
            f"{shown} names {host}, which ALLOWED_HOSTS={','.join(allowed_hosts)} does not, "
            f"so every visitor would get a 400: add {host} to ALLOWED_HOSTS (or leave "
            "ALLOWED_HOSTS unset)."
        )


SECRET_KEY_FILE = "secret_key"
FALLBACKS_FILE = "secret_key_fallbacks"
SERVED_PORT_FILE = "port"
SERVED_URL_FILE = "site_url"


def served_port(data_dir: Path, default: int) -> int:
    """The port `make run` last served on (it writes DATA_DIR/port), else ``default``.

    So that a command run in another shell (``add_run_day``) prints links on the port the
    server really answers on.
    """
    try:
        return int((data_dir / SERVED_PORT_FILE).read_text().strip())
    except (OSError, ValueError):
        return default


def served_site_url(data_dir: Path) -> str | None:
    """The address `LAN=1 make run` serves phones on (it writes DATA_DIR/site_url), so that
    a command in another shell prints links a phone can open; None otherwise."""
    try:
        return (data_dir / SERVED_URL_FILE).read_text().strip() or None
    except OSError:
        return None


def secret_key_from(data_dir: Path) -> str:
    """Return the key stored in ``data_dir``, creating it on first use.

    The key is written to a private temporary file and hard-linked into place,
    so two processes starting together agree on one complete key.
    """
    path = data_dir / SECRET_KEY_FILE
    try:
        return _secret_key_in(path)
    except OSError as error:
        raise ImproperlyConfigured(
            f"The secret key in {path} cannot be made or read ({error.strerror}): make "
            "DATA_DIR writable, or set SECRET_KEY."
        ) from None


def _secret_key_in(path: Path) -> str:
    data_dir = path.parent
    if not path.exists():
        tmp = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty; delete it to make a new key.")
    return key


def key_fallbacks(data_dir: Path, key: str) -> list[str]:
    """Older secret keys whose signatures still count (Django's SECRET_KEY_FALLBACKS): those
    a restore brought back (DATA_DIR/secret_key_fallbacks), and the generated key when
    SECRET_KEY has since been set, so links printed before keep working either way."""
    found = []
    for name in (FALLBACKS_FILE, SECRET_KEY_FILE):
        try:
            found += [line.strip() for line in (data_dir / name).read_text().splitlines()]
        except OSError:
            continue
    return [old for old in dict.fromkeys(found) if old and old != key]


def install_keys(data_dir: Path, keys: list[str], set_key: str) -> None:
    """Keep the secret ``keys`` a backup was taken with (newest first) after a restore.

    Without SECRET_KEY set (``set_key`` empty) the newest becomes the generated key again;
    otherwise they all become fallbacks of the one set.
    """
    if not keys:
        return
    if not set_key:
        _write_private(data_dir / SECRET_KEY_FILE, keys[0])
    older = [key for key in keys[0 if set_key else 1 :] if key != set_key]
    if older:
        _write_private(data_dir / FALLBACKS_FILE, "\n".join(dict.fromkeys(older)))
    else:
        (data_dir / FALLBACKS_FILE).unlink(missing_ok=True)


def _write_private(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{text}\n")
    partial.replace(path)


_RATE = re.compile(r"^\d+/\d*[smhd]$")


def envrate(name: str, default: str) -> str:
    """A django-ratelimit rate such as ``20/m`` (count per s, m, h or d)."""
    value = envstr(name, default)
    if not _RATE.match(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate; write it as a count per period, e.g. 20/m."
        )
    return value


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``, compared ignoring case."""
    value = envstr(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def envpattern(name: str, default: str) -> str:
    """A regular expression that compiles."""
    value = envstr(name, default)
    try:
        re.compile(value)
    except re.error as error:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a regular expression: {error}."
        ) from None
    return value


def envtime(name: str, default: str) -> dt.time:
    """A time of day, ``HH:MM`` (or ``HH:MM:SS``), 24-hour."""
    value = envstr(name, default)
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(value, pattern).time()
        except ValueError:
            continue
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a time of day; write it as HH:MM (24-hour), e.g. 02:30."
    )
