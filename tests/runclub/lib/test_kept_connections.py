"""SQLite connections kept between requests notice a database file moved under them."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

from runclub.lib.sqlite3.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="kept connections are the SQLite backend's"
    ),
]


def opened(path: Path) -> DatabaseWrapper:
    database = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)})
    database.ensure_connection()
    return database


def test_a_kept_connection_to_its_file_is_usable(tmp_path: Path) -> None:
    with closing(opened(tmp_path / "club.sqlite3")) as database:
        assert database.is_usable()


def test_it_is_not_usable_once_its_file_is_moved_away(tmp_path: Path) -> None:
    path = tmp_path / "club.sqlite3"
    with closing(opened(path)) as database:
        path.rename(tmp_path / "aside.sqlite3")
        assert not database.is_usable()


def test_it_is_not_usable_once_another_file_takes_its_place(tmp_path: Path) -> None:
    path = tmp_path / "club.sqlite3"
    with closing(opened(path)) as database:
        path.rename(tmp_path / "aside.sqlite3")
        opened(path).close()  # a restored copy, say
        assert not database.is_usable()


def test_a_new_connection_after_the_move_opens_the_file_now_there(tmp_path: Path) -> None:
    path = tmp_path / "club.sqlite3"
    database = opened(path)
    path.rename(tmp_path / "aside.sqlite3")
    database.close()
    database.ensure_connection()
    with closing(database):
        assert database.is_usable()
