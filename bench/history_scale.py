"""Organiser pages at scale: seed 10 years into a temporary DATA_DIR and measure.

Server time is the median of several requests through Django's test client (no
network), with the query count of one request; the export's peak Python memory
is measured while its stream is read to the end. Run with `make bench`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

REPEATS = 7


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="runclub-bench-")
    try:
        measure(data_dir)
    finally:
        shutil.rmtree(data_dir)


def logged_in(user: Any) -> Any:
    """A client past both log-in steps (ADMIN_2FA=required, as make run serves): a session
    logged in without its device and its log-in time counts as logged out."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from runclub.accounts import twofactor

    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[twofactor.LOGGED_IN_AT] = time.time()
    session.save()
    return client


def measure(data_dir: str) -> None:
    os.environ["DATA_DIR"] = data_dir
    # Thousands of in-process requests: their request lines would bury the figures.
    os.environ.setdefault("LOG_LEVEL", "warning")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runclub.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    # whitenoise warns that collectstatic has not run: the bench serves no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import (
        CaptureQueriesContext,
        override_settings,
        setup_test_environment,
    )

    setup_test_environment()  # the test client needs it; the database stays the temp one
    # Source static files: the manifest exists only after collectstatic.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    years = int(os.environ.get("BENCH_YEARS", "10"))
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("seed_demo", years=years, seed=1)
    print(f"seed_demo --years {years}: {time.monotonic() - started:.1f} s")

    from django.contrib.auth import get_user_model

    from attendance.models import Attendance
    from calendar_app.models import Run, Term, club_today

    admin = get_user_model().objects.create_superuser("bench", "", "bench-password")
    client = logged_in(admin)
    today = club_today()
    first = Run.objects.order_by("date").values_list("date", flat=True)[0]
    # The last run held (its check-ins in the admin inline), not an upcoming empty one.
    last_run = Run.objects.filter(attendances__isnull=False).order_by("date").last()
    assert last_run is not None  # seeded above
    history = "/admin/attendance/attendance/history/"
    term = Term.current(today)  # seed_demo names three terms a year
    assert term is not None
    pages = {
        "history, last 12 months": history,
        f"history, all {years} years": f"{history}?from={first}&to={today}",
        "Today (the admin's first page)": "/admin/",
        "calendar, this month": f"/admin/calendar_app/run/calendar/{today.year}/{today.month}/",
        "admin run list": "/admin/calendar_app/run/",
        "admin check-in list": "/admin/attendance/attendance/",
        "admin check-in search": "/admin/attendance/attendance/?q=ana+silva",
        "admin runner list": "/admin/attendance/runner/",
        "likely the same runner": "/admin/attendance/runner/variants/",
        "a run's page": f"/admin/calendar_app/run/{last_run.pk}/change/",
        "history, this term": f"{history}?term={term.pk}",
        "term report, this term": f"/admin/attendance/attendance/term/{term.pk}/",
        "term report's CSV": f"/admin/attendance/attendance/term/{term.pk}/report.csv",
        "terms": "/admin/calendar_app/term/",
    }
    from attendance.models import Runner

    print(
        f"{Run.objects.count()} runs, {Attendance.objects.count()} check-ins, "
        f"{Runner.objects.count()} runners"
    )
    print(f"{'page':32} {'median ms':>10} {'queries':>8}")
    for label, url in pages.items():
        timings = []
        for _ in range(REPEATS):
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{label:32} {statistics.median(timings):>10.0f} {len(queries):>8}")

    # Flat memory: the peak is the same for one year as for all of them.
    year_ago = today.replace(year=today.year - 1)
    exports = {
        "last 12 months": f"/export/attendance.csv?from={year_ago}",
        f"all {years} years": "/export/attendance.csv",
    }
    print(f"{'export':32} {'MB':>6} {'rows':>8} {'seconds':>8} {'peak MB':>8}")
    for label, url in exports.items():
        for path, read in (("WSGI", sync_reader(client, url)), ("ASGI", async_reader(client, url))):
            began = time.perf_counter()
            size, rows = read()
            elapsed = time.perf_counter() - began
            # tracemalloc slows Python down: a second read, for memory only.
            tracemalloc.start()
            read()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            name = f"{label}, {path}"
            print(f"{name:32} {size / 1e6:>6.1f} {rows:>8} {elapsed:>8.1f} {peak / 1e6:>8.1f}")


def sync_reader(client, url: str):  # type: ignore[no-untyped-def]
    def read() -> tuple[int, int]:
        size = rows = 0
        for chunk in client.get(url).streaming_content:
            size += len(chunk)
            rows += chunk.count(b"\n")
        return size, rows - 1

    return read


def async_reader(logged_in_client, url: str):  # type: ignore[no-untyped-def]
    from django.test import AsyncClient

    async def read() -> tuple[int, int]:
        client = AsyncClient()
        client.cookies = logged_in_client.cookies  # the session past both log-in steps
        response: Any = await client.get(url)
        assert response.is_async
        size = rows = 0
        async for chunk in response.streaming_content:
            size += len(chunk)
            rows += chunk.count(b"\n")
        return size, rows - 1

    return lambda: asyncio.run(read())


if __name__ == "__main__":
    main()
