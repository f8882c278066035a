"""Real small disks for the tests of a full or read-only DATA_DIR (tmpfs mounts: needs root).

A filesystem cannot be made read-only under a server that has files open on it for writing
(the kernel answers "busy"; only its own error handling forces it). So the read-only case
mounts a read-only copy of DATA_DIR over it, as when the host's volume goes read-only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


def _umount(path: Path) -> None:
    # Lazily: a server's last file handles may close a moment later.
    subprocess.run(["umount", "--lazy", str(path)], check=False, capture_output=True)


def need_mounts() -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root (CAP_SYS_ADMIN)")


@contextlib.contextmanager
def small_disk(path: Path, megabytes: int = 16) -> Iterator[Path]:
    """A tmpfs of ``megabytes`` at ``path``."""
    need_mounts()
    path.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={megabytes}m,mode=0755", "tmpfs", str(path))
    try:
        yield path
    finally:
        _umount(path)


def fill(disk: Path) -> Path:
    """Write a file until the disk has no room left; delete it to make room again."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for size in (1024 * 1024, 4096, 1):  # megabytes, then the last pages, then bytes
            try:
                while os.write(descriptor, b"\0" * size):
                    pass
            except OSError:
                pass
    finally:
        os.close(descriptor)
    assert shutil.disk_usage(disk).free < 64 * 1024
    return filler


@contextlib.contextmanager
def read_only_over(data_dir: Path, scratch: Path) -> Iterator[None]:
    """``data_dir`` replaced by a read-only copy of itself until the block ends."""
    need_mounts()
    scratch.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(scratch))
    try:
        for item in data_dir.iterdir():
            if item.is_file():
                shutil.copy2(item, scratch / item.name)
        _mount("-o", "remount,ro", str(scratch))
        _mount("--bind", str(scratch), str(data_dir))
        try:
            yield
        finally:
            _umount(data_dir)
    finally:
        _umount(scratch)
