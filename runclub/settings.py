"""runclub settings: one module, driven by the environment (every setting: docs/settings.md)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured

from runclub.lib import breaker
from runclub.lib.env import (
    check_site,
    envbool,
    envchoice,
    envdatabase,
    envdir,
    envfloat,
    envint,
    envlist,
    envpattern,
    envrate,
    envredisurl,
    envstr,
    envtime,
    envurl,
    envzone,
    key_fallbacks,
    secret_key_from,
    served_port,
    served_site_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = envdir("DATA_DIR", BASE_DIR / "var")

SECRET_KEY = envstr("SECRET_KEY") or secret_key_from(DATA_DIR)
# Links printed before a restore, or before SECRET_KEY was set, keep working.
SECRET_KEY_FALLBACKS = key_fallbacks(DATA_DIR, SECRET_KEY)
DEBUG = envbool("DEBUG", False)
# Where the app is served: PORT, else where `make run` last served (DATA_DIR/port), else 8000.
PORT = envint("PORT", served_port(DATA_DIR, 8000), minimum=1)
# SITE_URL, else where `LAN=1 make run` serves phones (DATA_DIR/site_url), else loopback.
SITE_URL = envurl("SITE_URL", served_site_url(DATA_DIR) or f"http://127.0.0.1:{PORT}")
# Unset, the host SITE_URL names and loopback: the site answers where its links point.
ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS",
    ",".join(dict.fromkeys([str(urlsplit(SITE_URL).hostname), "127.0.0.1", "localhost"])),
)
HTTPS = envbool("HTTPS", False)
# A SITE_URL the site does not answer on (or plain http behind HTTPS) stops the start, in one
# line (runclub.lib.startup), where it once deployed green and printed useless QR codes.
check_site(SITE_URL, ALLOWED_HOSTS, HTTPS)
CSRF_TRUSTED_ORIGINS = [SITE_URL]
# The live socket's Origin must be one of these exactly: SITE_URL's scheme and port, on its host
# or one of ALLOWED_HOSTS (channels' OriginValidator, runclub/asgi.py). A page on another port or
# scheme of the same host is another site.
_SITE = urlsplit(SITE_URL)
WEBSOCKET_ALLOWED_ORIGINS = [
    f"{_SITE.scheme}://{host}:{_SITE.port or (443 if _SITE.scheme == 'https' else 80)}"
    for host in dict.fromkeys([_SITE.hostname or "", *ALLOWED_HOSTS])
    if host and host != "*"
]
REDIS_URL = envredisurl("REDIS_URL")
# Every process sharing updates needs the same prefix; another app (or test run) on the same
# Redis database needs another one.
REDIS_PREFIX = envstr("REDIS_PREFIX", "runclub")
DATABASE_URL = envstr("DATABASE_URL")

CLUB_NAME = envstr("CLUB_NAME", "runclub")

# Member numbers at check-in (attendance/members.py): off (the one-field form), optional
# or required. With them on, the number identifies the runner; it is checked against the
# pattern (whole value, any case) and never shown on the live page or to anonymous callers.
CHECKIN_MEMBER_NUMBER = envchoice(
    "CHECKIN_MEMBER_NUMBER", "off", ("off", "optional", "required", "only")
)
CHECKIN_MEMBER_NUMBER_PATTERN = envpattern("CHECKIN_MEMBER_NUMBER_PATTERN", "[A-Z0-9]{4,20}")
CHECKIN_MEMBER_NUMBER_LABEL = envstr("CHECKIN_MEMBER_NUMBER_LABEL", "Student number")
CHECKIN_MEMBER_NUMBER_HELP = envstr("CHECKIN_MEMBER_NUMBER_HELP")

# Personal data (docs/organisers.md). Check-ins older than RETENTION_YEARS lose the runner's
# name and member number, keeping their run and time (0: names are kept for ever). Three
# years: a student's degree, so the club can look back a whole membership with names.
RETENTION_YEARS = envint("RETENTION_YEARS", 3)
# When the server applies it each night (the club's time), before the 03:00 backup.
RETENTION_AT = envtime("RETENTION_AT", "02:30")
# Who a runner writes to for a copy of their records or their erasure (an address or a URL);
# the privacy page says "ask an organiser at a run" without it.
PRIVACY_CONTACT = envstr("PRIVACY_CONTACT")

# The committee's term report names the runners with the most runs; false shows their counts
# without names (for a report that leaves the committee).
TERM_REPORT_NAMES = envbool("TERM_REPORT_NAMES", True)

# Organisers' log-ins (runclub/accounts, on django-two-factor-auth): after the password, a
# passkey or a code from an authenticator app. required: every staff account sets one up at its
# next log-in; optional: those who choose to; off: the password alone.
ADMIN_2FA = envchoice("ADMIN_2FA", "required", ("required", "optional", "off"))
# A staff session ends after this many hours without a request (its live sockets too).
ADMIN_SESSION_HOURS = envfloat("ADMIN_SESSION_HOURS", 8, minimum=0.01)
# "Don't ask for a second step on this browser": for this many days (0: never offered).
ADMIN_REMEMBER_BROWSER_DAYS = envint("ADMIN_REMEMBER_BROWSER_DAYS", 30, minimum=0)
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "admin:index"  # the Today screen, also for a next= off the site
OTP_TOTP_ISSUER = CLUB_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
TWO_FACTOR_PATCH_ADMIN = False  # the club's admin site takes the library's mixin itself
TWO_FACTOR_LOGIN_TIMEOUT = 300  # seconds from the password to the second step (or set-up)
TWO_FACTOR_REMEMBER_COOKIE_AGE = ADMIN_REMEMBER_BROWSER_DAYS * 86400 or None
TWO_FACTOR_REMEMBER_COOKIE_SECURE = HTTPS
TWO_FACTOR_WEBAUTHN_RP_NAME = CLUB_NAME
# A fingerprint, face or screen lock where the device has one.
TWO_FACTOR_WEBAUTHN_UV_REQUIREMENT = "preferred"

# Failed log-ins (runclub/accounts/lockouts.py, django-axes, counted in the database): wrong
# passwords for one username from one address, then from all addresses, within the minutes.
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 5, minimum=1)
LOGIN_FAILURES_PER_USERNAME = envint("LOGIN_FAILURES_PER_USERNAME", 30, minimum=1)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
if LOGIN_FAILURES_PER_USERNAME < LOGIN_FAILURES_PER_ADDRESS:
    raise ImproperlyConfigured(
        "LOGIN_FAILURES_PER_USERNAME counts every address together: make it at least "
        "LOGIN_FAILURES_PER_ADDRESS."
    )
AXES_HANDLER = "runclub.accounts.lockouts.Handler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["username"]]
AXES_FAILURE_LIMIT = LOGIN_FAILURES_PER_ADDRESS
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60  # hours
AXES_RESET_ON_SUCCESS = False  # counts end with the minutes, not with someone's log-in
AXES_USERNAME_CALLABLE = "runclub.accounts.lockouts.username"
AXES_CLIENT_IP_CALLABLE = "runclub.accounts.lockouts.address"
AXES_WHITELIST_CALLABLE = "runclub.accounts.lockouts.known_browser"
AXES_LOCKOUT_CALLABLE = "runclub.accounts.lockouts.locked_out"
AXES_USERNAME_FORM_FIELD = "auth-username"
AXES_PASSWORD_FORM_FIELD = "auth-password"
AXES_DISABLE_ACCESS_LOG = True  # new browsers are in the admin log (runclub/accounts/browsers.py)
AXES_VERBOSE = False
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

INSTALLED_APPS = [
    "daphne",
    "runclub.apps.ClubAdminConfig",  # django.contrib.admin with the club's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "template_partials",
    "ninja",  # serves the API docs' assets from static/, not a CDN
    "csp",
    "django_ratelimit",
    "django_otp",
    "runclub.accounts.apps.TwoFactorConfig",  # django_otp.plugins.otp_totp
    "django_otp.plugins.otp_static",  # backup codes
    "two_factor",
    "two_factor.plugins.webauthn",  # passkeys
    "axes",
    "runclub.accounts",
    "runclub",
    "calendar_app",
    "attendance",
    "qrcodes",
]

MIDDLEWARE = [
    # One line per request: the client as the rate limits see it, status, time (requestlog).
    "runclub.lib.requestlog.RequestLogMiddleware",
    # Then the host's health check answers before host names, HTTPS redirects or sessions.
    "runclub.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "runclub.lib.middleware.Utf8BodiesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "runclub.accounts.middleware.StaffSessionMiddleware",  # django-otp's, and the club's rule
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "runclub.lib.middleware.DatabaseBusyMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "runclub.urls"
ASGI_APPLICATION = "runclub.asgi.application"
WSGI_APPLICATION = "runclub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% partialdef %} everywhere, as it is built into Django 6.
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "runclub.context_processors.club",
            ],
        },
    },
]

# SQLite is the default: one file in DATA_DIR, tuned for a burst of writers.
# IMMEDIATE transactions take the write lock up front, so a writer waits for the
# busy timeout instead of failing at once with "database is locked"; WAL lets
# readers carry on meanwhile. synchronous=FULL: a check-in a runner was told
# succeeded survives power loss too (NORMAL could drop the last commits).
# Reading requests running Django code at once in one daphne process, and as many
# writing ones (runclub.asgi); the rest wait their turn on the event loop. 1,000
# runners, 100 at a time, 2 cores: 8 gave 164 check-ins/s where 100 (one thread per
# request) gave 144.
REQUEST_THREADS = envint("REQUEST_THREADS", 8, minimum=1)
# A writer's whole wait, from its request's arrival (runclub.lib.sqlite3).
SQLITE_BUSY_TIMEOUT = envint("SQLITE_BUSY_TIMEOUT", 10, minimum=1)
if DATABASE_URL:
    DATABASES = {"default": envdatabase("DATABASE_URL", DATABASE_URL)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A check-in keeps its pooled connection until its request ends, live announcement
        # included: psycopg_pool's default of 4 held two processes to ~32 check-ins/s
        # under `make bench` (20 gave ~99/s). Mind PostgreSQL's max_connections (100).
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 4,
            "max_size": envint("DATABASE_POOL_SIZE", 20, minimum=4),
        }
        # PostgreSQL's counterpart of the busy timeout: a write that cannot get
        # its lock in time fails (503, "send it again") instead of queueing forever.
        DATABASES["default"]["OPTIONS"]["options"] = f"-c lock_timeout={SQLITE_BUSY_TIMEOUT * 1000}"
else:
    DATABASES = {
        "default": {
            "ENGINE": "runclub.lib.sqlite3",
            "NAME": str(DATA_DIR / "runclub.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": SQLITE_BUSY_TIMEOUT,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=FULL;"
                    "PRAGMA temp_store=MEMORY;"
                    "PRAGMA journal_size_limit=67108864;"
                ),
            },
            # A real file, so tests see the same locking as production.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
# The server process backs the SQLite database up by itself every night (and soon after
# starting if the newest copy is more than a day old): for hosts without cron.
BACKUP_DAILY = envbool("BACKUP_DAILY", False)
# The server runs the nightly jobs (runclub/nightly.py: management commands) by itself, for hosts
# without cron; false where cron runs those commands instead.
DAILY_TASKS = envbool("DAILY_TASKS", True)
if BACKUP_DAILY and DATABASE_URL:
    raise ImproperlyConfigured(
        "BACKUP_DAILY=true backs up SQLite; with DATABASE_URL use PostgreSQL's own backups "
        "(pg_dump or your host's) and leave BACKUP_DAILY unset."
    )
# SQLite: each request thread (runclub.asgi keeps a pool of them) keeps its connection open
# between requests; opening one per request, and SQLite's checkpoint when the last one closes,
# cost a tenth of the check-in's throughput (docs/proof.md, "Against the least Django"). PostgreSQL
# connections come from psycopg's pool, which Django allows only with CONN_MAX_AGE 0.
KEEP_CONNECTIONS = DATABASES["default"]["ENGINE"] == "runclub.lib.sqlite3"
DATABASES["default"]["CONN_MAX_AGE"] = None if KEEP_CONNECTIONS else 0
# A kept connection is checked at each request's first query (runclub.lib.sqlite3: is its file
# still the one at the path?).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = KEEP_CONNECTIONS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Seconds Redis has to answer before it is skipped for a while (runclub.lib.breaker): on the
# same machine or network it answers in a millisecond or two.
REDIS_TIMEOUT = envfloat("REDIS_TIMEOUT", 0.25, minimum=0.01)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
            "OPTIONS": {
                "connection_class": breaker.Connection,
                "socket_timeout": REDIS_TIMEOUT,
                "socket_connect_timeout": REDIS_TIMEOUT,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "connection_class": breaker.AsyncConnection,
                        "socket_connect_timeout": REDIS_TIMEOUT,
                        # The layer's receive blocks in Redis for up to 5 s (BZPOPMIN),
                        # so its reads get that long on top. Never on a runner's path.
                        "socket_timeout": 5 + REDIS_TIMEOUT,
                    }
                ],
                "prefix": REDIS_PREFIX,
                # Above daphne's 24 h websocket timeout would only keep dead
                # watchers around; the live page re-joins on every reconnect.
                "group_expiry": 6 * 3600,
            },
        }
    }
    CACHES["security"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Rate-limit counts and staff sessions' last use, apart from everything else cached:
        # the default's 300 entries are emptied by a flood of new keys, and a count that
        # protects something must outlast that. A client mints at most one new key here per
        # request its address is allowed, so filling 50,000 takes far more than a limit's window.
        "security": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "security",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
RATELIMIT_USE_CACHE = "security"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The club's language: the sentences in each app's wording module are marked for
# translation; a club adds a language into locale/ (docs/operating.md, "Another language").
LANGUAGE_CODE = envchoice(
    "LANGUAGE_CODE", "en-gb", tuple(code for code, _ in global_settings.LANGUAGES)
)
LOCALE_PATHS = [BASE_DIR / "locale"]
# The club's own zone: "today" for check-in is always this zone's date.
TIME_ZONE = envzone("TIME_ZONE", "Europe/London")
USE_I18N = True
# 24-hour times everywhere, the admin included (runclub/formats/en_GB).
FORMAT_MODULE_PATH = ["runclub.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CSRF_FAILURE_VIEW = "runclub.views.csrf_failure"
RATELIMIT_VIEW = "runclub.views.ratelimited"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Counts errors for the Today screen's "ready for tonight" (runclub/today.py).
        "errors": {"class": "runclub.lib.errorcount.ErrorCounter"},
    },
    "filters": {"answered_elsewhere": {"()": "runclub.lib.requestlog.AnsweredElsewhere"}},
    "root": {
        "handlers": ["console", "errors"],
        "level": envchoice("LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper(),
    },
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The request line (runclub.requests) already says "404" or "503": only tracebacks here.
        "django.request": {"filters": ["answered_elsewhere"]},
        # Each log-in attempt at INFO; lock-outs and failed log-ins are warnings.
        "axes": {"level": "WARNING"},
    },
}

# Content-Security-Policy: everything from our own origin, nothing inline, so an
# injected <script> or style attribute does nothing. connect-src names the
# websocket origin too: browsers before CSP 3 do not count ws(s):// as 'self'.
_WS_ORIGIN = SITE_URL.replace("http", "ws", 1)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", _WS_ORIGIN],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Rate limits (runclub/lib/ratelimits.py). A whole club checks in from one campus NAT
# address, so the per-address limit is generous (150 runners in 2 minutes pass
# with room for retries); the tight limit is per browser, keyed on the CSRF cookie
# every form POST carries, so one phone or script posting name after name stops
# after a handful. Rates are "count/period" (s, m, h).
RATELIMIT_CHECKIN_PER_ADDRESS = envrate("RATELIMIT_CHECKIN_PER_ADDRESS", "240/m")
RATELIMIT_CHECKIN_PER_BROWSER = envrate("RATELIMIT_CHECKIN_PER_BROWSER", "20/m")
RATELIMIT_LOGIN_PER_ADDRESS = envrate("RATELIMIT_LOGIN_PER_ADDRESS", "20/m")
# Wrong short codes (typed at /c/, or asked of /api/qr/validate) per address: a whole club's
# typos fit, while finding one of 2**40 codes at 3 a minute would take far beyond any season.
RATELIMIT_WRONG_CODE_PER_ADDRESS = envrate("RATELIMIT_WRONG_CODE_PER_ADDRESS", "30/10m")
# Behind N proxies that each append to X-Forwarded-For, the client is the Nth
# entry from the right; anything left of it was written by the client itself.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# A cache outage must not stop a run day's check-ins: limits lapse, runners don't.
RATELIMIT_FAIL_OPEN = True
if REDIS_URL:
    # Django's own RedisCache increments atomically; django-ratelimit only
    # lists django-redis, hence its "unsupported backend" warning.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    # Without REDIS_URL the app runs as one process (the Procfile's one daphne),
    # so the local-memory cache is shared by every request that counts.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# django-axes' lock-out answer comes from the log-in view (runclub.accounts.views.LoginView),
# not from AxesMiddleware: the only page that checks passwords answers for it, and no other
# request (a runner's check-in) passes through one more middleware.
SILENCED_SYSTEM_CHECKS += ["axes.W002"]
if HTTPS and not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    # Hosted on a platform's sub-domain (onrender.com, up.railway.app,
    # pythonanywhere.com), includeSubDomains and preload are the parent domain's
    # call, not ours: opt in with HSTS_INCLUDE_SUBDOMAINS / HSTS_PRELOAD.
    SILENCED_SYSTEM_CHECKS += ["security.W005"]
if HTTPS and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS += ["security.W021"]
