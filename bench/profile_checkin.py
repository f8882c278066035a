"""CPU per check-in request in process: the form's GET and the name's POST, as the load sends them.

``python -m bench.compare`` moves with whatever else the machine is doing; the CPU time
this process spends does not. So a change to the check-in path is judged here first.
Each runner is a new browser (no cookies) on a loopback address of its own: it fetches
``/c/<code>`` and posts a new name, form-encoded, with the page's CSRF token (CSRF
enforced), through the app's whole middleware chain with the settings the benchmark's
server runs (SQLite in a temporary DATA_DIR, local-memory cache, collected static
files). The request's database connection is closed after it, as the server does. It
prints the median and mean CPU ms per GET and per POST over ``--runners`` runners (best
of ``--rounds`` rounds) and the queries each made.

    python bench/profile_checkin.py [--runners 500] [--rounds 3]
    python bench/profile_checkin.py --bare          # the same for bench/bare, the yardstick
    python bench/profile_checkin.py --profile post --sort tottime
    python bench/profile_checkin.py --queries       # the SQL of one GET and one POST

The live announcement is handed to a stand-in for the serving loop, as under daphne
(where a burst of check-ins shares a few announcements, sent off the request's thread).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_id" value="([^"]+)"')
FORM_ENCODED = "application/x-www-form-urlencoded"
WARM_UP = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bare", action="store_true", help="measure bench/bare instead")
    parser.add_argument("--profile", choices=["get", "post"], help="print cProfile's top calls")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order (tottime, ...)")
    parser.add_argument("--queries", action="store_true", help="print one GET's and POST's SQL")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="runclub-profile-")
    os.environ.update({"DATA_DIR": data_dir, "LOG_LEVEL": "WARNING"})
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = (
        "bench.bare.settings" if args.bare else "runclub.settings"
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    try:
        import django

        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        django.setup()
        url = bare_site() if args.bare else app_site()
        measure(url, args)
    finally:
        shutil.rmtree(data_dir)


def app_site() -> str:
    """Migrate, collect static files and open today's run, as bench/load.py does; its link."""
    from django.core.management import call_command

    from calendar_app.models import Run, club_today
    from runclub.lib import background

    # Under daphne the announcement is queued on the serving loop and the request goes
    # on; what the loop then does (at most five rounds a second) is not this request's.
    background.call_soon = lambda callback: True
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    run, _ = Run.open_day(club_today())
    return run.checkin_path()


def bare_site() -> str:
    from bench.bare.urls import create_table

    create_table()
    return "/checkin/bench/"


def measure(url: str, args: argparse.Namespace) -> None:
    from django.db import close_old_connections, connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    prof = cProfile.Profile() if args.profile else None
    # One client, so one handler and middleware chain as in the server; each runner is a
    # new browser all the same (cookies cleared) on an address of its own.
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    runners = iter(range(10**9))

    def timed(method: str, request: Callable[[], object]) -> float:
        began = time.process_time()
        if prof is not None and args.profile == method:
            prof.enable()
        request()
        # What the server does at each request's end and the test client leaves out: the
        # app keeps its SQLite connection (CONN_MAX_AGE None), bare closes it (Django's 0).
        close_old_connections()
        if prof is not None:
            prof.disable()
        return time.process_time() - began

    def get_form(address: str) -> str:
        """The form's page for a new browser; the body its POST will send."""
        client.cookies.clear()
        page = client.get(url, REMOTE_ADDR=address)
        assert page.status_code == 200, page.status_code
        html = page.content.decode()
        csrf, submission = CSRF.search(html), SUBMISSION.search(html)
        form = {
            "csrfmiddlewaretoken": csrf.group(1) if csrf else "",
            "submission_id": submission.group(1) if submission else str(uuid.uuid4()),
            "runner_name": f"Profile Runner {address}",
        }
        return urlencode(form)

    def post_form(address: str, body: str) -> None:
        answer = client.post(url, body, content_type=FORM_ENCODED, REMOTE_ADDR=address)
        assert answer.status_code == 200, answer.status_code

    def one_runner() -> tuple[float, float]:
        i = next(runners)
        address = f"127.{i // 62500 + 1}.{i // 250 % 250 + 1}.{i % 250 + 1}"
        bodies = []
        get = timed("get", lambda: bodies.append(get_form(address)))
        post = timed("post", lambda: post_form(address, bodies[0]))
        return get, post

    for _ in range(WARM_UP):
        one_runner()
    saved = prof
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.rounds):
        gets, posts = zip(*(one_runner() for _ in range(args.runners)), strict=True)
        for method, seconds in (("GET", gets), ("POST", posts)):
            figures = (statistics.median(seconds) * 1000, statistics.fmean(seconds) * 1000)
            best[method] = min(best.get(method, figures), figures)
    prof = None
    with CaptureQueriesContext(connection) as get_queries:
        body = get_form("127.255.0.1")
    with CaptureQueriesContext(connection) as post_queries:
        post_form("127.255.0.1", body)
    connections.close_all()
    made = {"GET": get_queries.captured_queries, "POST": post_queries.captured_queries}
    print(f"check-in CPU per request in process, {args.runners} runners, best of {args.rounds}")
    print(f"{'request':8} {'median ms':>10} {'mean ms':>9} {'queries':>8}")
    for method, (median, mean) in best.items():
        print(f"{method:8} {median:>10.3f} {mean:>9.3f} {len(made[method]):>8}")
    if args.queries:
        for method, queries in made.items():
            for query in queries:
                print(f"{method:8} {query['sql'][:150]}")
    if saved is not None:
        pstats.Stats(saved).sort_stats(args.sort).print_stats(50)


if __name__ == "__main__":
    main()
