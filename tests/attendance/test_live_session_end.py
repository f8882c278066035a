"""A live socket shows names only while its session counts: ADMIN_SESSION_HOURS without a
request, reset_2fa or a password change end the names, on an open socket and a new one alike."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from attendance import consumers
from attendance.services import check_in
from calendar_app.models import Run
from tests.attendance.test_live_socket import count_in, in_thread, logged_in, socket
from tests.factories import RunFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_channel_layer(settings: object) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


async def test_after_the_session_hours_an_open_socket_and_a_new_one_get_no_names(
    settings: object,
) -> None:
    settings.ADMIN_SESSION_HOURS = 1 / 60  # a minute
    run: Run = await in_thread(RunFactory)
    # Midday of the run's day: two minutes on must still be the run's day (a suite running at
    # 23:58 once travelled past midnight, where the run is over).
    start = timezone.make_aware(dt.datetime.combine(run.date, dt.time(12)))
    with time_machine.travel(start, tick=False):
        committee = await logged_in(await in_thread(StaffFactory))
        await in_thread(lambda: committee.get("/admin/"))  # a request: the minute starts
        watcher = socket(client=committee)
        assert (await watcher.connect())[0]
        await watcher.receive_from()
        await in_thread(lambda: check_in(run, "Ana Silva"))
        assert "Ana Silva" in await watcher.receive_from()
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        await in_thread(lambda: check_in(run, "Bo Chen"))
        message = await watcher.receive_from()
        assert count_in(message) == 2
        assert "Bo Chen" not in message and "Ana Silva" not in message
        stale = socket(client=committee)
        assert (await stale.connect())[0]
        first = await stale.receive_from()
        assert count_in(first) == 2 and "Bo Chen" not in first
        await stale.disconnect()
    await watcher.disconnect()


async def test_names_stop_between_check_ins_too_once_the_session_has_ended(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(consumers, "SESSION_CHECK_SECONDS", 0.05)
    run: Run = await in_thread(RunFactory)
    await in_thread(lambda: check_in(run, "Ana Silva"))
    user = await in_thread(StaffFactory)
    committee = await logged_in(user)
    watcher = socket(client=committee)
    assert (await watcher.connect())[0]
    assert "Ana Silva" in await watcher.receive_from()
    await in_thread(lambda: call_command("reset_2fa", user.username))  # a lost phone
    message = await watcher.receive_from(timeout=5)
    assert count_in(message) == 1 and "Ana Silva" not in message
    await watcher.disconnect()


async def test_a_password_change_ends_the_names(settings: object) -> None:
    run: Run = await in_thread(RunFactory)
    user = await in_thread(StaffFactory)
    committee: Client = await logged_in(user)
    watcher = socket(client=committee)
    assert (await watcher.connect())[0]
    await watcher.receive_from()

    def change_password() -> None:
        user.set_password("a new password for the season")
        user.save()

    await in_thread(change_password)
    await in_thread(lambda: check_in(run, "Ana Silva"))
    message = await watcher.receive_from()
    assert count_in(message) == 1 and "Ana Silva" not in message
    await watcher.disconnect()
