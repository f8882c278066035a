"""Rate limits: a club behind one NAT address passes, a flood from one client does not."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client, RequestFactory

from attendance.models import Attendance
from calendar_app.models import Run
from runclub.lib import breaker
from runclub.lib.ratelimits import client_address
from tests.api.helpers import post_json
from tests.helpers import checkin, text_of
from tests.ports import port

pytestmark = pytest.mark.django_db

CAMPUS = "203.0.113.7"


def phone(address: str = CAMPUS) -> Client:
    return Client(REMOTE_ADDR=address)


@pytest.fixture
def quick_taps() -> object:
    """A burst within one rate-limit window: the clock stands still. (Windows are fixed, each
    key's offset by its hash: a real-time burst can straddle two and never be refused.)"""
    with time_machine.travel(time.time(), tick=False) as traveller:
        yield traveller


def checkin_from_a_fresh_phone(run: Run, name: str, address: str = CAMPUS) -> int:
    """GET the form (the phone gets its CSRF cookie), then send it."""
    client = phone(address)
    client.get(run.checkin_path())
    return checkin(client, run, name).status_code


def test_a_whole_club_behind_one_nat_address_is_never_throttled(run: Run) -> None:
    statuses = [checkin_from_a_fresh_phone(run, f"Runner {i}") for i in range(150)]
    assert statuses == [200] * 150
    assert run.attendances.count() == 150


def test_one_phone_posting_name_after_name_is_stopped(quick_taps: object, run: Run) -> None:
    client = phone()
    client.get(run.checkin_path())
    statuses = [checkin(client, run, f"Fake {i}").status_code for i in range(25)]
    assert statuses == [200] * 20 + [429] * 5
    assert run.attendances.count() == 20


def test_the_429_page_says_so(quick_taps: object, run: Run) -> None:
    client = phone()
    client.get(run.checkin_path())
    for i in range(20):
        checkin(client, run, f"Fake {i}")
    response = checkin(client, run, "One more")
    assert response.status_code == 429
    # The phone's own limit: how long is left of its minute, and the name kept to send then.
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= 60
    assert (
        f"This phone has checked in 20 people in the last minute; wait {seconds} s, "
        "then tap Check in." in text_of(response)
    )
    assert 'value="One more"' in response.content.decode()
    assert not Attendance.objects.filter(runner_name="One more").exists()


def test_htmx_gets_the_429_page_to_swap_into_the_content(quick_taps: object, run: Run) -> None:
    client = phone()
    client.get(run.checkin_path())
    for i in range(20):
        checkin(client, run, f"Fake {i}", HTTP_HX_REQUEST="true")
    response = checkin(client, run, "One more", HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    # The check-in page's script counts down the wait it reads from the card.
    assert f'data-wait="{response["Retry-After"]}"' in response.content.decode()


def test_htmx_gets_the_429_page_past_the_address_limit(
    quick_taps: object, run: Run, settings: object
) -> None:
    settings.RATELIMIT_CHECKIN_PER_ADDRESS = "3/m"  # type: ignore[attr-defined]
    for i in range(3):
        checkin_from_a_fresh_phone(run, f"Runner {i}")
    client = phone()
    response = checkin(client, run, "One more", HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    # base.html's htmx-config swaps any 4xx's #content into the page's #content.
    assert '<main id="content">' in response.content.decode()
    assert "Nothing was saved" in text_of(response)


def test_a_script_without_cookies_is_limited_per_browser_on_the_api(
    quick_taps: object, run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    client = phone()
    body = {"session_id": run.session_id}
    statuses = [
        post_json(client, "/api/register", {**body, "runner_name": f"Bot {i}"}).status_code
        for i in range(21)
    ]
    assert statuses == [201] * 20 + [429]
    assert run.attendances.count() == 20
    assert f"rate limit checkin-browser hit by {CAMPUS} on /api/register" in caplog.text


def test_a_script_changing_its_user_agent_still_meets_the_per_address_limit(run: Run) -> None:
    client = phone()
    body = {"session_id": run.session_id}

    def register(i: int) -> int:
        data = {**body, "runner_name": f"Bot {i}"}
        return post_json(client, "/api/register", data, HTTP_USER_AGENT=f"bot/{i}").status_code

    # The clock stands still: 241 posts on a slow machine must not straddle two of the limit's
    # one-minute windows.
    with time_machine.travel(time.time(), tick=False):
        assert {register(i) for i in range(240)} == {201}
        response = post_json(
            client,
            "/api/register",
            {**body, "runner_name": "Bot 241"},
            HTTP_USER_AGENT="bot/241",
        )
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many check-ins from this address; wait a minute and try again."
    }
    assert run.attendances.count() == 240


def test_the_form_and_the_api_share_one_budget_per_address(run: Run, settings: object) -> None:
    settings.RATELIMIT_CHECKIN_PER_ADDRESS = "3/m"
    client = phone()
    assert checkin(client, run, "Ana").status_code == 200
    body = {"session_id": run.session_id, "runner_name": "Ben"}
    assert post_json(client, "/api/register", body).status_code == 201
    assert checkin(client, run, "Cy").status_code == 200
    assert checkin(client, run, "Di").status_code == 429
    assert phone("198.51.100.1").post(run.checkin_path()).status_code != 429


def test_load_test_clients_sharing_a_cookie_across_addresses_are_not_throttled(
    run: Run,
) -> None:
    statuses = []
    for host in range(30):
        client = phone(f"127.0.1.{host}")
        client.cookies["csrftoken"] = "the-same-cookie-copied-to-every-client"
        statuses += [checkin(client, run, f"Runner {host}-{i}").status_code for i in range(4)]
    assert statuses == [200] * 120


def test_only_posts_count(run: Run) -> None:
    client = phone()
    for _ in range(30):
        client.get(run.checkin_path())
    assert checkin(client, run, "Ana").status_code == 200


def test_a_cache_outage_lets_runners_through(
    run: Run, settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on this port in this project's range.
    dead_redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port(18599)}/0",
        "OPTIONS": {"connection_class": breaker.Connection, "socket_connect_timeout": 0.2},
    }
    settings.CACHES = {"default": dead_redis, "security": dead_redis}
    assert checkin_from_a_fresh_phone(run, "Ana") == 200
    assert checkin_from_a_fresh_phone(run, "Bo") == 200
    assert run.attendances.count() == 2
    # Said once for the outage, not once per request or per limit.
    assert caplog.text.count("is not answering") == 1


class TestClientAddress:
    def request(self, remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return RequestFactory().post("/", REMOTE_ADDR=remote, **extra)

    def test_it_is_remote_addr_without_a_trusted_proxy(self) -> None:
        assert client_address(self.request("192.0.2.1", "10.9.9.9")) == "192.0.2.1"

    def test_behind_one_proxy_it_is_the_rightmost_forwarded_entry(self, settings) -> None:  # type: ignore[no-untyped-def]
        settings.TRUSTED_PROXY_COUNT = 1
        request = self.request("10.0.0.2", "1.2.3.4, 198.51.100.9")
        assert client_address(request) == "198.51.100.9"

    def test_a_spoofed_leftmost_entry_is_never_trusted(self, settings) -> None:  # type: ignore[no-untyped-def]
        settings.TRUSTED_PROXY_COUNT = 2  # e.g. Render: Cloudflare, then the load balancer
        request = self.request("10.0.0.2", "6.6.6.6, 198.51.100.9, 104.16.0.1")
        assert client_address(request) == "198.51.100.9"

    def test_too_few_entries_fall_back_to_remote_addr(self, settings) -> None:  # type: ignore[no-untyped-def]
        settings.TRUSTED_PROXY_COUNT = 2
        assert client_address(self.request("10.0.0.2", "198.51.100.9")) == "10.0.0.2"
        assert client_address(self.request("10.0.0.2")) == "10.0.0.2"
