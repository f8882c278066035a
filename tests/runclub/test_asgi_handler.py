"""runclub.asgi: each request runs on one thread, and only so many at once."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from unittest import mock

from asgiref.testing import ApplicationCommunicator

from calendar_app.tokens import make_token
from runclub.asgi import OneThreadASGIHandler

SESSION_ID = "x" * 22


def scope(method: str = "GET", path: str = "") -> dict[str, object]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path or f"/checkin/{make_token(SESSION_ID)}/",
        "raw_path": b"",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }


async def request(handler: OneThreadASGIHandler, method: str = "GET", path: str = "") -> int:
    communicator = ApplicationCommunicator(handler, scope(method, path))
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(10)
    await communicator.receive_output(10)
    return start["status"]


async def test_only_request_threads_requests_run_at_once(settings: object) -> None:
    settings.REQUEST_THREADS = 2
    running = 0
    most = 0
    lock = threading.Lock()
    threads: set[int] = set()

    def slow_lookup(session_id: str) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            threads.add(threading.get_ident())
        time.sleep(0.2)
        with lock:
            running -= 1

    handler = OneThreadASGIHandler()
    with (
        mock.patch("calendar_app.models.Run.for_checkin", side_effect=slow_lookup),
        mock.patch("attendance.failures.record"),  # counting the unknown link needs a database
    ):
        statuses = await asyncio.gather(*(request(handler) for _ in range(6)))
    assert statuses == [404] * 6  # the lookup found no run
    assert most == 2
    assert threading.get_ident() not in threads  # never on the event loop's thread
    assert len(threads) == 2  # one kept thread per place, not one per request


def test_one_handler_serves_more_than_one_event_loop(settings: object) -> None:
    settings.REQUEST_THREADS = 1
    handler = OneThreadASGIHandler()

    async def three_at_once() -> list[int]:
        return await asyncio.gather(*(request(handler) for _ in range(3)))

    def slow_lookup(session_id: str) -> None:
        time.sleep(0.05)

    with (
        mock.patch("calendar_app.models.Run.for_checkin", side_effect=slow_lookup),
        mock.patch("attendance.failures.record"),
    ):
        assert asyncio.run(three_at_once()) == [404] * 3
        assert asyncio.run(three_at_once()) == [404] * 3


async def test_readers_never_queue_behind_writers(settings: object) -> None:
    settings.REQUEST_THREADS = 2
    writers_inside = 0
    release = threading.Event()

    def stuck_writer() -> bool:
        nonlocal writers_inside
        writers_inside += 1
        release.wait(10)  # a writer waiting for a database lock
        return True

    handler = OneThreadASGIHandler()
    try:
        with mock.patch("calendar_app.models.RunQuerySet.exists", side_effect=stuck_writer):
            # /healthz answers any method; as POSTs these take the writers' places.
            writers = [
                asyncio.ensure_future(request(handler, "POST", "/healthz")) for _ in range(4)
            ]
            for _ in range(500):
                if writers_inside == 2:
                    break
                await asyncio.sleep(0.01)
            # Both writing places are taken and two more writers queue; a reader gets in.
            with (
                mock.patch("calendar_app.models.Run.for_checkin", return_value=None),
                mock.patch("attendance.failures.record"),
            ):
                assert await request(handler) == 404
            assert writers_inside == 2
            release.set()
            assert await asyncio.gather(*writers) == [200] * 4
    finally:
        release.set()


def on_thread(threads: list[threading.Thread], fails: bool = False) -> Callable[[str], None]:
    """A run lookup that notes the thread it ran on (and fails, if asked: a 500)."""

    def lookup(session_id: str) -> None:
        threads.append(threading.current_thread())
        if fails:
            raise RuntimeError("boom")

    return lookup


async def test_a_requests_thread_serves_the_next_request(settings: object) -> None:
    threads: list[threading.Thread] = []

    handler = OneThreadASGIHandler()
    with (
        mock.patch("calendar_app.models.Run.for_checkin", side_effect=on_thread(threads)),
        mock.patch("attendance.failures.record"),
    ):
        assert await request(handler) == 404
        await asyncio.sleep(0.05)  # the first request hands its thread back
        assert await request(handler) == 404
    # One thread, kept: no thread started and joined per request (nor its connection).
    assert len(threads) == 2 and threads[0] is threads[1]


async def test_a_request_that_fails_gives_its_thread_back(settings: object) -> None:
    threads: list[threading.Thread] = []

    handler = OneThreadASGIHandler()
    with mock.patch("attendance.failures.record"):
        with mock.patch(
            "calendar_app.models.Run.for_checkin", side_effect=on_thread(threads, fails=True)
        ):
            assert await request(handler) == 500
        await asyncio.sleep(0.05)
        with mock.patch("calendar_app.models.Run.for_checkin", side_effect=on_thread(threads)):
            assert await request(handler) == 404
    assert len(threads) == 2 and threads[0] is threads[1]
