"""/c/<code> (the link QR codes carry), /c/ (type the code), and the long links printed before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from attendance.models import Attendance
from calendar_app.models import Run
from tests.helpers import checkin, text_of

pytestmark = pytest.mark.django_db

UNKNOWN = "That code isn't one of ours"


def test_the_short_link_serves_the_form_itself(client: Client, run: Run) -> None:
    response = client.get(f"/c/{run.short_code}")
    assert response.status_code == 200  # not a redirect: one round trip less on a weak signal
    page = response.content.decode()
    assert 'name="runner_name"' in page
    assert f'action="/c/{run.short_code}"' in page


@pytest.mark.parametrize("spelling", ["lower", "hyphen", "slash"])
def test_the_short_link_works_in_any_case(client: Client, run: Run, spelling: str) -> None:
    code = run.short_code
    path = {
        "lower": f"/c/{code.lower()}",
        "hyphen": f"/c/{code[:4]}-{code[4:]}",
        "slash": f"/c/{code}/",
    }[spelling]
    assert 'name="runner_name"' in client.get(path).content.decode()
    response = client.post(path, {"runner_name": "Ana Silva"})
    assert response.status_code == 200
    assert Attendance.objects.get(run=run).runner_name == "Ana Silva"


def test_look_alikes_in_the_link_are_read_as_the_code(
    client: Client, run: Run, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run.short_code = "0K3M1QXD"
        run.save()
    assert client.get("/c/oK3MiQXD").status_code == 200


def test_checking_in_through_the_short_link(client: Client, run: Run) -> None:
    response = client.post(f"/c/{run.short_code}", {"runner_name": "Ana Silva"})
    assert "You're in, Ana Runner 1 today." in text_of(response)


def test_a_wrong_code_says_so_and_offers_to_type_it_again(client: Client, run: Run) -> None:
    response = client.get("/c/ZZZZZZZZ")
    assert response.status_code == 404
    assert UNKNOWN in text_of(response)
    assert 'value="ZZZZ ZZZZ"' in response.content.decode()
    assert client.post("/c/ZZZZZZZZ", {"runner_name": "Ana"}).status_code == 404
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("path", ["/c/ZZZZ", "/c/ZZZZZZZZZZ", "/c/UUUUUUUU", "/c/%3Cscript%3E"])
def test_what_cannot_be_a_code_is_a_404_before_any_view(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_wrong_codes_are_limited_and_then_the_right_one_is_refused_too(
    client: Client, run: Run, settings: object
) -> None:
    settings.RATELIMIT_WRONG_CODE_PER_ADDRESS = "3/10m"
    for wrong in ["ZZZZZZZZ", "YYYYYYYY", "XXXXXXXX"]:
        assert client.get(f"/c/{wrong}").status_code == 404
    response = client.get("/c/WWWWWWWW")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Too many wrong codes from here" in text_of(response)
    assert (
        '<div class="answer answer-warn"' in response.content.decode()
    )  # "wait", amber, not a red "no"
    # A limited client must not learn which code is right from a different answer.
    assert client.get(f"/c/{run.short_code}").status_code == 429
    assert client.get(f"/c/?code={run.short_code}").status_code == 429


def test_the_limit_counts_per_address(client: Client, run: Run, settings: object) -> None:
    settings.RATELIMIT_WRONG_CODE_PER_ADDRESS = "2/10m"
    for _ in range(2):
        client.get("/c/ZZZZZZZZ", REMOTE_ADDR="10.0.0.1")
    assert client.get(f"/c/{run.short_code}", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(f"/c/{run.short_code}", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_right_codes_are_never_counted(client: Client, run: Run, settings: object) -> None:
    settings.RATELIMIT_WRONG_CODE_PER_ADDRESS = "2/10m"
    for _ in range(10):
        assert client.get(f"/c/{run.short_code}").status_code == 200


def test_the_code_page_asks_for_the_code(client: Client) -> None:
    response = client.get("/c/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="get" action="/c/"' in page
    assert 'name="code"' in page
    assert "shown beside the QR code" in text_of(response)


@pytest.mark.parametrize(
    "typed", ["{code}", "{lower}", " {lower} ", "{half}-{rest}", "{half} {rest}"]
)
def test_a_typed_code_leads_to_the_form(client: Client, run: Run, typed: str) -> None:
    code = run.short_code
    value = typed.format(code=code, lower=code.lower(), half=code[:4], rest=code[4:].lower())
    response = client.get("/c/", {"code": value})
    assert response.status_code == 302
    assert response["Location"] == f"/c/{code}"


def test_a_typed_wrong_code_says_so(client: Client, run: Run) -> None:
    response = client.get("/c/", {"code": "zzzz zzzz"})
    assert response.status_code == 404
    assert UNKNOWN in text_of(response)
    assert 'value="zzzz zzzz"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize("typed", ["", "12345", "7K3M9QXDX", "<script>", "x" * 10_000])
def test_something_that_is_not_a_code_says_what_a_code_looks_like(
    client: Client, typed: str
) -> None:
    response = client.get("/c/", {"code": typed})
    assert response.status_code == 400
    assert "A code has eight letters and digits" in text_of(response)
    assert "<script>" not in response.content.decode()


def test_the_old_long_links_keep_working(client: Client, run: Run) -> None:
    assert 'name="runner_name"' in client.get(run.token_path()).content.decode()
    response = client.post(run.token_path(), {"runner_name": "Ana Silva"})
    assert response.status_code == 200
    assert "You're in, Ana" in text_of(response)
    assert client.post(f"/c/{run.short_code}", {"runner_name": "ana silva"}).status_code == 409


def test_the_short_link_reads_no_database_once_cached(
    client: Client, run: Run, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.get(f"/c/{run.short_code}")
    with django_assert_num_queries(0):
        assert client.get(f"/c/{run.short_code}").status_code == 200


def test_a_run_saved_after_its_code_was_cached_shows_at_once(
    client: Client, run: Run, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client.get(f"/c/{run.short_code}")
    with django_capture_on_commit_callbacks(execute=True):
        run.is_active = False
        run.save()
    assert "This run is cancelled" in text_of(client.get(f"/c/{run.short_code}"))


def test_a_flood_of_new_browsers_does_not_forget_the_wrong_code_count(
    client: Client, run: Run, settings: object
) -> None:
    # On the default set-up counts live in a local-memory cache: the default one keeps 300
    # entries and drops the oldest, so a flood of new keys there used to reset the count.
    settings.RATELIMIT_WRONG_CODE_PER_ADDRESS = "3/10m"
    # One instant: a limit's window (django-ratelimit's, fixed per key) cannot end meanwhile.
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False):
        for wrong in ["ZZZZZZZZ", "YYYYYYYY", "XXXXXXXX"]:
            client.get(f"/c/{wrong}", REMOTE_ADDR="10.0.0.1")
        for i in range(200):  # each a new phone: two new keys (its browser, its address)
            flooder = Client(REMOTE_ADDR=f"10.1.0.{i}")
            flooder.cookies["csrftoken"] = f"{i:032d}"
            checkin(flooder, run, "")  # refused at once, after the limits counted it
        assert client.get(f"/c/{run.short_code}", REMOTE_ADDR="10.0.0.1").status_code == 429
