"""/ws/live/ as daphne serves it: the origin check and the login session."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from attendance.services import check_in
from runclub.asgi import application
from tests.authenticator import log_in
from tests.factories import RunFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_channel_layer(settings: object) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def socket(*headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, "/ws/live/", headers=[(b"origin", b"http://127.0.0.1:8000"), *headers]
    )


async def test_it_refuses_a_page_from_another_site() -> None:
    communicator = WebsocketCommunicator(
        application, "/ws/live/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()


async def test_a_logged_in_organiser_sees_names_through_the_session_cookie() -> None:
    run = await database_sync_to_async(RunFactory)()

    def session_cookie() -> bytes:
        client = Client()
        log_in(client, StaffFactory())
        return f"sessionid={client.cookies['sessionid'].value}".encode()

    organiser = socket((b"cookie", await database_sync_to_async(session_cookie)()))
    anonymous = socket()
    for communicator in (organiser, anonymous):
        connected, _ = await communicator.connect()
        assert connected
        await communicator.receive_from()
    await database_sync_to_async(check_in)(run, "Ana Silva")
    assert "Ana Silva" in await organiser.receive_from()
    assert "Ana Silva" not in await anonymous.receive_from()
    for communicator in (organiser, anonymous):
        await communicator.disconnect()
