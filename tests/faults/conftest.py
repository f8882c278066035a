from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.ports import port
from tests.servers import Daphne, PrivateRedis

# This ports: 18620-18629 for fault servers, 16601 for the private Redis.
SERVER_PORT = port(18620)
REDIS_PORT = port(16601)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Callable[..., Daphne]]:
    """Make (and afterwards stop) a prepared daphne server with today's run open."""
    started: list[Daphne] = []

    def make(**env: str) -> Daphne:
        daphne = Daphne(tmp_path / "data", SERVER_PORT, **env)
        daphne.data_dir.mkdir(exist_ok=True)
        daphne.prepare()
        started.append(daphne)
        return daphne

    yield make
    for daphne in started:
        daphne.stop()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis(REDIS_PORT).start()
    yield redis
    redis.stop()
