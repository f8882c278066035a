"""Announcing the count must never cost a runner their check-in."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer
from django.db import transaction
from django.test import Client

from attendance import live
from attendance.models import Attendance
from attendance.services import check_in
from calendar_app.models import Run
from runclub.asgi import application
from runclub.lib import announce, breaker
from tests.factories import RunFactory
from tests.helpers import checkin, text_of
from tests.ports import port


@pytest.mark.django_db(transaction=True)
def test_a_check_in_succeeds_while_redis_is_unreachable(
    settings: object, client: Client, run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Nothing listens there: this machine's test ports, left unused on purpose.
            "CONFIG": {
                "hosts": [
                    {
                        "address": f"redis://127.0.0.1:{port(18399)}/3",
                        "connection_class": breaker.AsyncConnection,
                    }
                ]
            },
        }
    }
    response = checkin(client, run, "Ana Silva")
    assert response.status_code == 200
    assert "You're in, Ana" in text_of(response)
    assert Attendance.objects.filter(run=run).count() == 1
    assert "is not answering" in caplog.text


class HeldLayer(InMemoryChannelLayer):
    """A channel layer that takes each message only when the test lets it."""

    go = asyncio.Event()
    sends: ClassVar[list[str]] = []

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        self.sends.append("started")
        await self.go.wait()
        await super().group_send(group, message)
        self.sends.append("done")


def api_post(path: str, body: dict[str, str]) -> ApplicationCommunicator:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }
    communicator = ApplicationCommunicator(application, scope)
    return communicator


@pytest.mark.django_db(transaction=True)
async def test_the_runner_is_answered_before_the_channel_layer_takes_the_news(
    settings: object,
) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.HeldLayer"}}
    HeldLayer.go = asyncio.Event()
    HeldLayer.sends = []
    run = await database_sync_to_async(RunFactory)()
    request = api_post("/api/register", {})
    body = json.dumps({"session_id": run.session_id, "runner_name": "Ana Silva"}).encode()
    await request.send_input({"type": "http.request", "body": body, "more_body": False})

    start = await request.receive_output(10)
    assert start["status"] == 201
    await request.receive_output(10)
    # Answered while the announcement was still waiting for the layer (or not yet sent).
    assert "done" not in HeldLayer.sends
    HeldLayer.go.set()
    for _ in range(100):
        if "done" in HeldLayer.sends:
            break
        await asyncio.sleep(0.05)
    assert HeldLayer.sends == ["started", "done"]


async def register(run: Run, name: str) -> int:
    request = api_post("/api/register", {})
    body = json.dumps({"session_id": run.session_id, "runner_name": name}).encode()
    await request.send_input({"type": "http.request", "body": body, "more_body": False})
    start = await request.receive_output(10)
    await request.receive_output(10)
    return int(start["status"])


@pytest.mark.django_db(transaction=True)
async def test_check_ins_during_an_announcement_wait_for_it_and_share_the_next(
    settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No spacing between rounds: what keeps the second round back is the first one.
    monkeypatch.setattr(announce, "MIN_INTERVAL", 0)
    monkeypatch.setattr(announce, "SPACING", 0)
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.HeldLayer"}}
    HeldLayer.go = asyncio.Event()
    HeldLayer.sends = []
    run = await database_sync_to_async(RunFactory)()

    assert await register(run, "Ana Silva") == 201
    for _ in range(100):
        if HeldLayer.sends:
            break
        await asyncio.sleep(0.05)
    assert await register(run, "Bo Chen") == 201
    assert await register(run, "Cy Diaz") == 201
    await asyncio.sleep(0.3)
    # The first announcement is still on its way: no second one reads and renders meanwhile.
    assert HeldLayer.sends == ["started"]
    HeldLayer.go.set()
    for _ in range(100):
        if HeldLayer.sends.count("done") == 2:
            break
        await asyncio.sleep(0.05)
    # One more carries both later check-ins.
    assert HeldLayer.sends == ["started", "done", "started", "done"]


@pytest.mark.django_db(transaction=True)
def test_one_transaction_of_many_changes_is_announced_once(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, Any]] = []

    async def send(group: str, event: dict[str, Any], what: str) -> None:
        sent.append(event)

    monkeypatch.setattr(announce, "_send", send)
    with transaction.atomic():
        for name in ("Ana", "Bo", "Cy"):
            check_in(run, name)
        assert sent == []  # not before the commit
    assert len(sent) == 1
    assert 'id="attendance-count">3<' in sent[0]["public"]

    live.checkins_changed()  # outside a transaction: at once
    assert len(sent) == 2


LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("now", "hours"),
    [
        (dt.datetime(2026, 11, 24, 18, 0, tzinfo=LONDON), 6),
        # The night the clocks go forward: 00:00 to 00:00 is only 23 hours.
        (dt.datetime(2026, 3, 29, 0, 0, tzinfo=LONDON), 23),
        # ...and back: 25 hours.
        (dt.datetime(2026, 10, 25, 0, 0, tzinfo=LONDON), 25),
        # 22:30 UTC in summer is 23:30 in London: half an hour to go, not an hour and a half.
        (dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC), 0.5),
    ],
)
def test_midnight_is_the_clubs_midnight(settings: object, now: dt.datetime, hours: float) -> None:
    settings.TIME_ZONE = "Europe/London"
    assert live.seconds_to_midnight(now) == hours * 3600
