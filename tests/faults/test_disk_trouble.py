"""A full or read-only DATA_DIR under the Procfile's server: runners are told plainly to give
their name to an organiser (never "busy"), /healthz says why in one word, the log names the
cause once, and check-ins work again without a restart once the disk is fixed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.disks import fill, read_only_over, small_disk
from tests.faults.conftest import SERVER_PORT
from tests.faults.helpers import get, until
from tests.phone import Answer, Phone
from tests.servers import Daphne

pytestmark = pytest.mark.slow

CAUSE = "check-ins cannot be saved: "


@pytest.fixture
def on_a_small_disk(tmp_path: Path) -> Iterator[Daphne]:
    with small_disk(tmp_path / "disk") as disk:
        daphne = Daphne(disk, SERVER_PORT)
        daphne.log_path = tmp_path / "daphne.log"  # not on the disk that fills up
        daphne.prepare()
        try:
            yield daphne
        finally:
            daphne.stop()


def check_in(port: int, path: str, name: str) -> tuple[Phone, Answer]:
    phone = Phone(port)
    assert phone.open_form(path).status in (200, 507)
    return phone, phone.send_name(path, name)


def assert_told_to_see_an_organiser(answer: Answer) -> None:
    assert answer.status == 507, answer.text[:300]
    assert "please give your name to an organiser" in answer.text
    assert "busy" not in answer.text.lower()
    assert "retry-after" not in answer.headers


def test_a_full_disk_sends_runners_to_an_organiser_until_there_is_room(
    on_a_small_disk: Daphne,
) -> None:
    daphne = on_a_small_disk
    path, _ = daphne.add_run_day()
    daphne.start()
    assert check_in(daphne.port, path, "Ana Silva")[1].status == 200

    filler = fill(daphne.data_dir)
    answers = [check_in(daphne.port, path, f"Runner {n}") for n in range(12)]
    # Space SQLite had already taken may save a few more; none is told to wait.
    statuses = [answer.status for _, answer in answers]
    assert set(statuses) <= {200, 507} and 507 in statuses, statuses
    refused = [(phone, answer) for phone, answer in answers if answer.status == 507]
    assert_told_to_see_an_organiser(refused[0][1])
    health = get(daphne.port, "/healthz")
    assert (health.status, health.body) == (503, "disk-full\n")
    assert daphne.log().count(CAUSE + "the disk holding the database is full") == 1

    filler.unlink()
    phone, _ = refused[0]
    resent = phone.send_name(path, "Runner again")  # the same submission, sent again
    assert resent.status == 200, resent.text[:300]
    assert get(daphne.port, "/healthz").body == "ok\n"
    assert "Traceback" not in daphne.log()


def test_a_read_only_data_dir_sends_runners_to_an_organiser_until_it_is_writable(
    on_a_small_disk: Daphne, tmp_path: Path
) -> None:
    daphne = on_a_small_disk
    path, _ = daphne.add_run_day()
    daphne.start()
    assert check_in(daphne.port, path, "Ana Silva")[1].status == 200

    with read_only_over(daphne.data_dir, tmp_path / "read-only"):
        phone, answer = check_in(daphne.port, path, "Ben Okafor")
        assert_told_to_see_an_organiser(answer)
        health = get(daphne.port, "/healthz")
        assert (health.status, health.body) == (503, "read-only\n")
        until(lambda: CAUSE + "the database cannot be written" in daphne.log(), 5)

    resent = phone.send_name(path, "Ben Okafor")
    assert resent.status == 200, resent.text[:300]
    assert "Runner 2 today." in resent.text
    assert get(daphne.port, "/healthz").body == "ok\n"
    assert daphne.log().count(CAUSE) == 1
    assert "Traceback" not in daphne.log()
