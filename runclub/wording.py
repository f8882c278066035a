"""What the project's own parts say to people: the admin's first page (the Today screen and its
"Ready for tonight?") and the JSON API's refusals. Each app words its own; these are the
sentences of ``runclub/`` itself, marked for translation like theirs.

Not here: what ``runclub.lib.startup`` and the settings say when a start cannot go on (one line
in the platform's log, for whoever runs the server, written before Django's translations can
load), and the log's own lines.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

# The admin's first page, as its title and breadcrumbs name it.
TODAY = _("Today")

# The JSON API's refusals (its "detail").
TOO_MANY_CHECKINS = _("Too many check-ins from this address; wait a minute and try again.")
DATABASE_BUSY = _("The database is very busy right now. Nothing was saved: send it again.")

# "Ready for tonight?" on the Today screen: one line per check, what it is and what it says.
BACKUPS = _("Backups")
DISK = _("Disk")
ERRORS = _("Errors")
VERSION = _("Version")
BACKUPS_ON_POSTGRESQL = _("PostgreSQL: your host's backups (pg_dump)")
NO_BACKUP_YET = _("none yet: the first is taken soon after the server starts")
BACKUPS_OFF = _("off: set BACKUP_DAILY=true, or run manage.py backup daily")
REDIS_NOT_USED = _("not used: one server process")
REDIS_NOT_ANSWERING = _("not answering: skipped, check-ins still work")
REDIS_ANSWERING = _("answering")
NO_ERRORS = _("none in the last hour")


def last_backup(age: dt.timedelta, nightly: bool) -> str:
    if nightly:
        return gettext("last one %(age)s ago") % {"age": _age(age)}
    return gettext("last one %(age)s ago (nightly backups off)") % {"age": _age(age)}


def _age(age: dt.timedelta) -> str:
    hours = age.total_seconds() / 3600
    if hours < 1:
        return gettext("%(n)d min") % {"n": int(age.total_seconds() // 60)}
    if hours < 48:
        return gettext("%(n)s h") % {"n": f"{hours:.0f}"}
    return ngettext("%(n)d day", "%(n)d days", age.days) % {"n": age.days}


def free_disk(free_bytes: int) -> str:
    """ "2.5 GB free in DATA_DIR" (the decimal point as the language writes it)."""
    if free_bytes >= 1024**3:
        amount = gettext("%(n)s GB") % {"n": number_format(f"{free_bytes / 1024**3:.1f}")}
    else:
        amount = gettext("%(n)s MB") % {"n": f"{free_bytes / 1024**2:.0f}"}
    return gettext("%(amount)s free in DATA_DIR") % {"amount": amount}


def disk_trouble(free: str, trouble: str) -> str:
    # ``trouble`` is the one word /healthz answers with (disk-full, read-only, no-database),
    # left as it is: docs/operating.md's table of causes and fixes is looked up by it.
    return gettext("%(free)s: %(trouble)s") % {"free": free, "trouble": trouble}


def errors(count: int) -> str:
    return ngettext(
        "%(count)d error in the last hour: see the server's log",
        "%(count)d errors in the last hour: see the server's log",
        count,
    ) % {"count": count}
