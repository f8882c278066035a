"""/ws/live/ as daphne serves it: the origin check and the login session."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from attendance.services import check_in
from runclub.asgi import application
from tests.authenticator import log_in
from tests.factories import RunFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_channel_layer(settings: object) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


SITE = urlsplit(settings.SITE_URL)  # what the application was built with


def socket(*headers: tuple[bytes, bytes], origin: str = settings.SITE_URL) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, "/ws/live/", headers=[(b"origin", origin.encode()), *headers]
    )


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        f"http://{SITE.hostname}:9999",  # another port of the same host: another site
        f"https://{SITE.hostname}:{SITE.port}",  # another scheme
        f"http://evil.example:{SITE.port}",
    ],
)
async def test_it_refuses_a_page_from_another_site(origin: str) -> None:
    communicator = socket(origin=origin)
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()


async def test_it_takes_the_sites_pages_on_any_of_its_allowed_hosts() -> None:
    for host in ("127.0.0.1", "localhost"):
        communicator = socket(origin=f"{SITE.scheme}://{host}:{SITE.port}")
        connected, _ = await communicator.connect()
        assert connected, host
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
