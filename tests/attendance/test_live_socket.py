"""/ws/live/: what a watcher's screen is sent, and when."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attendance.consumers import LiveConsumer
from attendance.models import Attendance
from attendance.services import check_in
from calendar_app.models import Run
from runclub.lib import announce
from tests.authenticator import log_in
from tests.factories import AttendanceFactory, RunFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_channel_layer(settings: object) -> None:
    # A new in-memory layer per test: no watcher left over from another test.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def count_in(message: str) -> int:
    match = re.search(r'id="attendance-count">(\d+)<', message)
    assert match, message
    return int(match.group(1))


async def until_count(watcher: WebsocketCommunicator, expected: int) -> str:
    """Messages until one shows ``expected``: a burst may be announced in several steps."""
    while True:
        message = await watcher.receive_from(timeout=5)
        if count_in(message) == expected:
            return message


async def assert_stays(watcher: WebsocketCommunicator, expected: int) -> None:
    """Nothing more arrives, or only the same count again."""
    while not await watcher.receive_nothing(timeout=0.5):
        assert count_in(await watcher.receive_from()) == expected


async def logged_in(user: object) -> Client:
    client = Client()
    await in_thread(lambda: log_in(client, user))
    return client


def socket(path: str = "/ws/live/", client: Client | None = None) -> WebsocketCommunicator:
    """A browser's socket, through the same session and auth layers as the server's."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME) if client else None
    headers = [(b"cookie", f"{cookie.key}={cookie.value}".encode())] if cookie else []
    app = AuthMiddlewareStack(LiveConsumer.as_asgi())
    return WebsocketCommunicator(app, path, headers=headers)


async def watch(user: object = None, path: str = "/ws/live/") -> WebsocketCommunicator:
    client = await logged_in(user) if user else None
    communicator = socket(path, client)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def in_thread(func: Callable[[], object]) -> object:
    """Run ``func`` as a request would: synchronously, in its own thread."""
    return await database_sync_to_async(func)()


class RolledBack(Exception):
    pass


async def test_it_sends_todays_count_on_connect() -> None:
    run = await in_thread(RunFactory)
    await in_thread(lambda: AttendanceFactory.create_batch(3, run=run))
    watcher = await watch()
    message = await watcher.receive_from()
    assert count_in(message) == 3
    assert 'hx-swap-oob="true"' in message
    await watcher.disconnect()


async def test_it_sends_the_new_count_once_a_check_in_commits() -> None:
    run: Run = await in_thread(RunFactory)
    watcher = await watch()
    assert count_in(await watcher.receive_from()) == 0
    await in_thread(lambda: check_in(run, "Ana Silva"))
    assert count_in(await watcher.receive_from()) == 1
    await in_thread(lambda: check_in(run, "Bo Chen"))
    assert count_in(await watcher.receive_from()) == 2
    await watcher.disconnect()


async def test_it_announces_nothing_for_a_rolled_back_check_in() -> None:
    run: Run = await in_thread(RunFactory)
    watcher = await watch()
    await watcher.receive_from()

    def check_in_then_fail() -> None:
        with transaction.atomic():
            check_in(run, "Ana Silva")
            raise RolledBack

    with pytest.raises(RolledBack):
        await in_thread(check_in_then_fail)
    assert await watcher.receive_nothing(timeout=0.3)
    await in_thread(lambda: check_in(run, "Bo Chen"))
    assert count_in(await watcher.receive_from()) == 1
    await watcher.disconnect()


async def test_it_sends_the_lower_count_when_check_ins_are_deleted() -> None:
    run = await in_thread(RunFactory)
    await in_thread(lambda: AttendanceFactory.create_batch(3, run=run))
    watcher = await watch()
    assert count_in(await watcher.receive_from()) == 3
    organiser = await logged_in(await in_thread(StaffFactory))
    ids = [
        str(pk)
        for pk in await in_thread(lambda: list(Attendance.objects.values_list("pk", flat=True)))
    ]
    changelist = reverse("admin:attendance_attendance_changelist")
    selected = {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    response = await in_thread(lambda: organiser.post(changelist, selected))
    assert response.status_code == 302
    await until_count(watcher, 0)
    await assert_stays(watcher, 0)
    await watcher.disconnect()


async def test_names_reach_staff_but_never_anonymous_watchers() -> None:
    run: Run = await in_thread(RunFactory)
    staff = await in_thread(StaffFactory)
    anonymous, committee = await watch(), await watch(staff)
    projector = await watch(staff, "/ws/live/?view=count")
    for watcher in (anonymous, committee, projector):
        assert "Zoë Ó Briain" not in await watcher.receive_from()
    await in_thread(lambda: check_in(run, "Zoë Ó Briain"))

    assert "Zoë Ó Briain" in await committee.receive_from()
    for watcher in (anonymous, projector):
        message = await watcher.receive_from()
        assert count_in(message) == 1
        assert "Zoë" not in message
        assert "Latest check-ins" not in message
    for watcher in (anonymous, committee, projector):
        await watcher.disconnect()


async def test_it_moves_to_the_new_day_at_the_clubs_midnight() -> None:
    today = dt.date(2026, 11, 24)
    tomorrow = today + dt.timedelta(days=1)
    just_before_midnight = dt.datetime.combine(
        today, dt.time(23, 59, 59, 700_000), timezone.get_current_timezone()
    )
    today_run = await in_thread(lambda: RunFactory(date=today))
    await in_thread(lambda: AttendanceFactory.create_batch(2, run=today_run))
    tomorrow_run = await in_thread(lambda: RunFactory(date=tomorrow, place="Riverside"))
    await in_thread(lambda: AttendanceFactory(run=tomorrow_run))

    with time_machine.travel(just_before_midnight, tick=True):
        watcher = await watch()
        message = await watcher.receive_from()
        # Until midnight (announcements of the setup's check-ins may still arrive): Tuesday.
        while "Tuesday 24 November" in message:
            assert count_in(message) == 2
            message = await watcher.receive_from(timeout=3)
        after = message
        assert count_in(after) == 1
        assert "Wednesday 25 November" in after
        assert "Riverside" in after
        await watcher.disconnect()


async def test_it_turns_watchers_away_to_retry_later_when_the_channel_layer_is_down(
    settings: object,
) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Nothing listens there: this machine's test ports, left unused on purpose.
            "CONFIG": {"hosts": ["redis://127.0.0.1:18399/3"]},
        }
    }
    communicator = socket()
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4013  # "try again later": static/js/live.js reconnects
    await communicator.disconnect()


async def test_after_a_burst_of_check_ins_every_watcher_ends_on_the_exact_count() -> None:
    run: Run = await in_thread(RunFactory)
    watchers = [await watch() for _ in range(5)]
    for watcher in watchers:
        await watcher.receive_from()

    def burst() -> None:
        for i in range(30):
            check_in(run, f"Runner {i}")

    await in_thread(burst)
    for watcher in watchers:
        await until_count(watcher, 30)
        await assert_stays(watcher, 30)
        await watcher.disconnect()


async def test_an_older_snapshot_arriving_late_does_not_overwrite_a_newer_one() -> None:
    await in_thread(RunFactory)
    watcher = await watch()
    await watcher.receive_from()
    layer = get_channel_layer()
    late = {"type": "live.state", "stamp": 0.0, "public": "stale", "names": "stale"}
    await layer.group_send(announce.TODAY, late)
    assert await watcher.receive_nothing(timeout=0.3)
    await watcher.disconnect()


async def test_names_stop_once_the_watcher_logs_out() -> None:
    run: Run = await in_thread(RunFactory)
    committee = await logged_in(await in_thread(StaffFactory))
    watcher = socket(client=committee)
    assert (await watcher.connect())[0]
    await watcher.receive_from()
    await in_thread(lambda: check_in(run, "Ana Silva"))
    assert "Ana Silva" in await watcher.receive_from()

    await in_thread(committee.logout)
    await in_thread(lambda: check_in(run, "Bo Chen"))
    message = await watcher.receive_from()
    assert count_in(message) == 2
    assert "Bo Chen" not in message
    assert "Ana Silva" not in message
    await watcher.disconnect()
