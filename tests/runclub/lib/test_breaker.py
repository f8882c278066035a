"""runclub.lib.breaker: a failing Redis is skipped for a while, probed, and logged once."""

from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError

from runclub.lib import breaker
from runclub.lib.breaker import Breaker, RedisSkipped
from tests.ports import port
from tests.servers import PrivateRedis


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(breaker.time, "monotonic", lambda: now[0])
    return now


def test_after_a_failure_redis_is_skipped_then_probed_by_one_connection(
    clock: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    state = Breaker("127.0.0.1:6379")
    first, second = object(), object()
    state.check(first)  # closed: anything goes
    state.failed(TimeoutError("Timeout reading from socket"))
    with pytest.raises(RedisSkipped):
        state.check(first)
    clock[0] += breaker.RETRY_AFTER
    state.check(first)  # the probe
    state.check(first)  # its own next command (e.g. after the handshake)
    with pytest.raises(RedisSkipped):
        state.check(second)  # others wait for the probe's answer
    state.failed(TimeoutError("again"))
    state.failed(TimeoutError("and again"))
    clock[0] += breaker.RETRY_AFTER
    state.check(second)
    state.succeeded()
    state.check(first)
    assert caplog.text.count("is not answering") == 1
    assert caplog.text.count("answers again, after 10 s") == 1


def test_a_probe_that_never_answers_lets_another_connection_try(clock: list[float]) -> None:
    state = Breaker("127.0.0.1:6379")
    state.failed(ConnectionError("refused"))
    clock[0] += breaker.RETRY_AFTER
    state.check("lost probe")
    clock[0] += breaker.PROBE_WINDOW
    state.check("next probe")


def test_one_server_has_one_breaker() -> None:
    assert breaker.breaker_for("127.0.0.1", 6379) is breaker.breaker_for("127.0.0.1", "6379")


@pytest.mark.slow
def test_a_connection_made_before_an_outage_is_made_afresh_after_it(
    clock: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    redis = PrivateRedis(port(16604)).start()
    try:
        older, probe = (breaker.Connection(port=redis.port) for _ in range(2))
        for connection in (older, probe):
            connection.send_command("PING")
            assert connection.read_response() == b"PONG"
        redis.stop()
        with pytest.raises(ConnectionError):
            probe.send_command("PING")
            probe.read_response()
        redis.start()
        clock[0] += breaker.RETRY_AFTER
        probe.send_command("PING")
        assert probe.read_response() == b"PONG"
        # Its socket led to the Redis that stopped: used as it is, it would fail at once
        # and start a second outage just as the first ended.
        older.send_command("PING")
        assert older.read_response() == b"PONG"
        assert caplog.text.count("is not answering") == 1
    finally:
        redis.stop()
