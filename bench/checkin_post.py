"""The check-in POST in process: server time per check-in, new and returning runners.

No network and no load generator, so its figures move far less than the load
benchmark's: what a change to the check-in path costs shows here first. It posts
the form through Django's test client (the app's own middleware, view, template,
SQLite in a temporary DATA_DIR) and prints the median time per POST for

- new runners: nobody has checked in under these names before;
- returning runners: the same names checked in to an earlier run.

The live announcement is left out: under daphne a burst of check-ins shares a few. Then
the check-in service alone (``attendance.services.check_in``, no request or page), CPU time
per check-in, best of a few rounds.

    python bench/checkin_post.py [--runners 300] [--profile]

--profile new|returning prints cProfile's top functions for those runners' posts.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

SERVICE_ROUNDS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=300)
    parser.add_argument(
        "--profile",
        choices=["new", "returning"],
        help="print cProfile's top functions for these runners' posts",
    )
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="runclub-bench-post-")
    try:
        measure(data_dir, args.runners, args.profile)
    finally:
        shutil.rmtree(data_dir)


def measure(data_dir: str, runners: int, profile: str | None) -> None:
    os.environ["DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    # Every post comes from one address here; the limits still run, they just never bite.
    os.environ["RATELIMIT_CHECKIN_PER_ADDRESS"] = "1000000/m"
    os.environ["RATELIMIT_CHECKIN_PER_BROWSER"] = "1000000/m"
    # Thousands of in-process requests: their request lines would bury the figures.
    os.environ.setdefault("LOG_LEVEL", "warning")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runclub.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from attendance import live
    from calendar_app.models import Run, club_today

    setup_test_environment()
    # Under daphne a burst of check-ins shares a few live announcements, sent from the
    # event loop; here, with no serving loop, every post would read, render and send its
    # own before answering, drowning what the check-in itself costs.
    live.checkins_changed = lambda: None
    # Source static files: the manifest exists only after collectstatic.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    call_command("migrate", verbosity=0)
    names = [f"Runner {uuid.uuid4().hex[:10]}" for _ in range(runners)]

    def post_all(run: Run, prof: cProfile.Profile | None = None) -> tuple[list[float], float]:
        """Wall time of each post, and the CPU time of them all."""
        client = Client()
        timings = []
        cpu = 0.0
        for name in names:
            data = {"runner_name": name, "submission_id": str(uuid.uuid4())}
            began, began_cpu = time.perf_counter(), time.process_time()
            if prof is not None:
                prof.enable()
            response = client.post(run.checkin_path(), data)
            if prof is not None:
                prof.disable()
            timings.append(time.perf_counter() - began)
            cpu += time.process_time() - began_cpu
            assert response.status_code == 200, response.status_code
        return timings, cpu

    today = club_today()
    earlier = Run.objects.create(date=today)
    prof = cProfile.Profile() if profile else None
    new = post_all(earlier, prof if profile == "new" else None)
    # That run becomes last week's; the same names now check in to today's.
    Run.objects.filter(pk=earlier.pk).update(date=today - dt.timedelta(days=7))
    cache.clear()
    returning = post_all(Run.objects.create(date=today), prof if profile == "returning" else None)

    print(f"check-in POST in process (test client, SQLite), {runners} runners each")
    print(f"{'runners':12} {'median ms':>10} {'p90 ms':>8} {'CPU ms/post':>12}")
    for label, (timings, cpu) in (("new", new), ("returning", returning)):
        timings.sort()
        p90 = timings[int(len(timings) * 0.9)]
        median = statistics.median(timings) * 1000
        print(f"{label:12} {median:>10.2f} {p90 * 1000:>8.2f} {cpu / len(timings) * 1000:>12.2f}")

    # The check-in service alone (no request, no page): where the runner lookup lives.
    from attendance.services import check_in

    best = {"new": float("inf"), "returning": float("inf")}
    earlier_days = (today - dt.timedelta(days=8 + n) for n in range(2 * SERVICE_ROUNDS))
    for round_ in range(SERVICE_ROUNDS):
        batch = [f"Service {round_} {n}" for n in range(runners)]
        for label in ("new", "returning"):
            Run.objects.filter(date=today).update(date=next(earlier_days))
            run = Run.objects.create(date=today)
            began = time.process_time()
            for name in batch:
                check_in(run, name)
            best[label] = min(best[label], (time.process_time() - began) / len(batch))
    print(f"check_in() alone, CPU per check-in, best of {SERVICE_ROUNDS} rounds")
    for label, seconds in best.items():
        print(f"{label:12} {seconds * 1e6:>10.0f} us")
    if prof is not None:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()
