"""One log line per request: the client as the rate limits see it, method, path without its
query, status and milliseconds; a 429 names the limit it met."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^(\S+) (\S+) (\S+) (\d{3}) (\d+)ms(?: limit=(\S+))?$")


def request_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, ...]]:
    lines = [r.getMessage() for r in caplog.records if r.name == "runclub.requests"]
    return [LINE.match(line).groups() for line in lines]  # type: ignore[union-attr]


def test_each_request_is_one_line_without_its_query(client: Client, caplog) -> None:
    caplog.set_level("INFO", logger="runclub.requests")
    client.get("/privacy/?next=/admin/secret-page&token=abc", REMOTE_ADDR="198.51.100.4")
    [(address, method, path, status, took, limit)] = request_lines(caplog)
    assert (address, method, path, status, limit) == (
        "198.51.100.4",
        "GET",
        "/privacy/",
        "200",
        None,
    )
    assert int(took) >= 0
    assert "secret" not in caplog.text


def test_behind_the_proxies_it_is_the_runners_address(client: Client, caplog, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    caplog.set_level("INFO", logger="runclub.requests")
    client.get(
        "/privacy/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 172.16.0.1",  # the first is the client's lie
    )
    assert request_lines(caplog)[0][0] == "203.0.113.9"


def test_a_429_names_the_limit_and_the_address_it_counted(client: Client, caplog, settings) -> None:
    settings.RATELIMIT_WRONG_CODE_PER_ADDRESS = "2/m"
    caplog.set_level("INFO", logger="runclub.requests")
    for _ in range(3):
        client.get("/c/ZZZZZZZZ", REMOTE_ADDR="203.0.113.50")
    *_, last = request_lines(caplog)
    assert last[0] == "203.0.113.50" and last[3] == "429"
    assert last[5] == "RATELIMIT_WRONG_CODE_PER_ADDRESS"


def test_a_404_is_said_once(client: Client, caplog) -> None:
    caplog.set_level("INFO")
    client.get("/no-such-page/")
    assert [r.name for r in caplog.records if "no-such-page" in r.getMessage()] == [
        "runclub.requests"
    ]
