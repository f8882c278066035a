"""Real servers: the live count across two daphne processes and a command, and through a Redis
outage."""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path

import aiohttp
import pytest
import redis

from tests.ports import port
from tests.servers import daphne, manage, redis_server, server_env

pytestmark = pytest.mark.slow

SHARED_REDIS = "redis://127.0.0.1:6379/3"
# This worktree's ports (see DEVELOPERS.md): two app servers and a private Redis.
FIRST, SECOND, PRIVATE_REDIS = port(18320), port(18321), port(16303)
# The site both servers serve (behind a balancer): its pages, and so their sockets' Origin,
# come from here whichever server answers (the servers check scheme, host and port).
SITE = f"http://127.0.0.1:{FIRST}"


def count_in(message: str) -> int:
    match = re.search(r'id="attendance-count">(\d+)<', message)
    assert match, message
    return int(match.group(1))


async def check_in(checkin_url: str, name: str) -> int:
    """A phone: fetch the form, then post the name with the form's cookie and token."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(checkin_url) as response:
            page = await response.text()
        form = {
            "csrfmiddlewaretoken": re.search(r'"csrfmiddlewaretoken" value="([^"]+)"', page)[1],
            "submission_id": re.search(r'name="submission_id" value="([^"]+)"', page)[1],
            "runner_name": name,
        }
        async with session.post(checkin_url, data=form) as response:
            return response.status


async def next_count(ws: aiohttp.ClientWebSocketResponse) -> int:
    message = await ws.receive(timeout=10)
    assert message.type is aiohttp.WSMsgType.TEXT, message
    return count_in(message.data)


async def reconnect(session: aiohttp.ClientSession, port: int) -> aiohttp.ClientWebSocketResponse:
    """Retry as the live page does, with a short pause between attempts."""
    for _ in range(20):
        try:
            return await session.ws_connect(ws_url(port), origin=SITE)
        except aiohttp.WSServerHandshakeError:
            await asyncio.sleep(0.5)
    raise AssertionError("the watcher could not reconnect in 10 s")


def ws_url(port: int) -> str:
    return f"ws://127.0.0.1:{port}/ws/live/"


def origin(port: int) -> str:
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def redis_prefix() -> object:
    prefix = f"runclub-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    # Only this run's keys, in this worktree's own database: never a flush.
    shared = redis.Redis.from_url(SHARED_REDIS)
    for key in shared.scan_iter(f"{prefix}*"):
        shared.delete(key)


async def test_a_check_in_on_one_server_reaches_a_watcher_on_the_other(
    data_dir: Path, redis_prefix: str
) -> None:
    env = server_env(data_dir, REDIS_URL=SHARED_REDIS, REDIS_PREFIX=redis_prefix, SITE_URL=SITE)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    checkin_url = manage({**env, "SITE_URL": origin(FIRST)}, "add_run_day", "today").splitlines()[
        -1
    ]
    log = data_dir / "servers.log"
    with daphne(FIRST, env, log), daphne(SECOND, env, log):
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(ws_url(SECOND), origin=SITE) as watcher:
                assert await next_count(watcher) == 0
                assert await check_in(checkin_url, "Ana Silva") == 200
                assert await next_count(watcher) == 1
                # Today's run moved from the command line, a third process: heard likewise.
                await asyncio.to_thread(manage, env, "add_run_day", "today", "--place", "Boathouse")
                message = await watcher.receive(timeout=10)
                assert message.type is aiohttp.WSMsgType.TEXT, message
                assert "18:00 · Boathouse" in message.data
                assert count_in(message.data) == 1


async def test_check_ins_go_on_while_redis_is_down_and_watchers_catch_up(
    data_dir: Path,
) -> None:
    redis_url = f"redis://127.0.0.1:{PRIVATE_REDIS}/0"
    env = server_env(data_dir, REDIS_URL=redis_url, SITE_URL=SITE)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    checkin_url = manage({**env, "SITE_URL": origin(FIRST)}, "add_run_day", "today").splitlines()[
        -1
    ]
    log = data_dir / "servers.log"
    with daphne(FIRST, env, log):
        async with aiohttp.ClientSession() as session:
            with redis_server(PRIVATE_REDIS, log):
                watcher = await session.ws_connect(ws_url(FIRST), origin=SITE)
                assert await next_count(watcher) == 0

            # Redis has stopped: the runner is still checked in...
            assert await check_in(checkin_url, "Ana Silva") == 200
            # ...and the watcher is told to come back later, which the page does by itself.
            closed = await watcher.receive(timeout=10)
            assert closed.type is aiohttp.WSMsgType.CLOSE
            # The code in the server's close frame: "try again later", which
            # static/js/live.js reconnects after. (aiohttp's own close_code turns 1006 when
            # its reply to that frame finds the connection already gone.)
            assert closed.data == 4013
            # A browser sees a refused handshake as close code 1006, and retries.
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await session.ws_connect(ws_url(FIRST), origin=SITE)

            with redis_server(PRIVATE_REDIS, log):
                back = await reconnect(session, FIRST)
                assert await next_count(back) == 1
                assert await check_in(checkin_url, "Bo Chen") == 200
                assert await next_count(back) == 2
                await back.close()
