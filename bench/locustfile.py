"""Rehearse a run day against your own deployment with Locust.

Runners open the check-in link, type a name and send it, as phones do; watchers keep
the live page's socket open and count the updates they are sent.

    locust -f bench/locustfile.py --host https://club.example.org \\
        --checkin-url https://club.example.org/c/ABCD2345 \\
        --headless --users 150 --spawn-rate 10 --run-time 3m

The check-in URL is the one ``add_run_day`` prints (or the QR page's link). Every
rehearsal runner's name starts with "Rehearsal": search for it in the admin's
check-ins afterwards and delete them. All rehearsal runners come from one address:
raise ``RATELIMIT_CHECKIN_PER_ADDRESS`` on the server for the rehearsal, or its
per-address limit will answer 429 long before your club does.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import websocket
from locust import HttpUser, User, between, events, task
from locust.env import Environment

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
COUNT = re.compile(r'id="attendance-count">(\d+)<')
# The page's markup, not its words: the wording (attendance/wording.py) may change.
CHECKED_IN = 'class="answer answer-ok"'
HEADLINE = re.compile(r'class="answer-headline"[^>]*>([^<]*)<')


@events.init_command_line_parser.add_listener
def _arguments(parser: Any) -> None:
    parser.add_argument(
        "--checkin-url", default="", help="today's check-in link (add_run_day prints it)"
    )


class Runner(HttpUser):
    """One phone after another: opens the form, types a name, sends it; a few seconds later,
    the next phone (no cookies: a phone that has checked in is shown its answer, not the form)."""

    weight = 10
    wait_time = between(1, 5)

    @task
    def check_in(self) -> None:
        url = self.environment.parsed_options.checkin_url
        self.client.cookies.clear()
        with self.client.get(url, name="check-in form", catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"form answered {page.status_code}")
                return
            fields = dict(HIDDEN.findall(page.text))
        fields["runner_name"] = f"Rehearsal {uuid.uuid4().hex[:10]}"
        with self.client.post(
            url, data=fields, name="check-in", headers={"Referer": url}, catch_response=True
        ) as answer:
            if answer.status_code != 200 or CHECKED_IN not in answer.text:
                said = HEADLINE.search(answer.text)
                answer.failure(
                    f"check-in answered {answer.status_code}: {said.group(1) if said else '?'}"
                )


class Watcher(User):
    """A committee laptop on the live page: one socket, updates as they come."""

    weight = 1
    wait_time = between(0, 1)

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.socket: websocket.WebSocket | None = None

    def on_start(self) -> None:
        self.connect()

    def on_stop(self) -> None:
        if self.socket is not None:
            self.socket.close()

    def connect(self) -> None:
        host = str(self.host)
        started = time.perf_counter()
        try:
            self.socket = websocket.create_connection(
                host.replace("http", "ws", 1) + "/ws/live/", origin=host, timeout=30
            )
            first = self.socket.recv()
        except Exception as error:
            self.report("connect", started, 0, error)
            self.socket = None
            return
        self.report("connect", started, len(first), None)

    @task
    def listen(self) -> None:
        if self.socket is None:
            self.connect()
            return
        started = time.perf_counter()
        try:
            message = self.socket.recv()
        except websocket.WebSocketTimeoutException:
            return  # a quiet spell: nobody checked in
        except Exception as error:
            self.report("update", started, 0, error)
            self.socket = None
            return
        if isinstance(message, str) and COUNT.search(message):
            self.report("update", started, len(message), None)

    def report(self, name: str, started: float, size: int, error: Exception | None) -> None:
        self.environment.events.request.fire(
            request_type="WS",
            name=f"/ws/live/ {name}",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=size,
            exception=error,
            context={},
        )
