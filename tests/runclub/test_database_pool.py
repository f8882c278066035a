"""On PostgreSQL each server process pools enough connections for a burst of check-ins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

PRINT_POOL = "from runclub import settings; print(settings.DATABASES['default']['OPTIONS']['pool'])"


def pool_setting(data_dir: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DATA_DIR=str(data_dir), DATABASE_URL="postgres://u@127.0.0.1:5432/db", **extra)
    return subprocess.run(
        [sys.executable, "-c", PRINT_POOL],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_pools_twenty_connections_per_process_by_default(tmp_path: Path) -> None:
    result = pool_setting(tmp_path)
    assert result.stdout.strip() == "{'min_size': 4, 'max_size': 20}", result.stderr


def test_it_takes_the_pool_size_from_the_environment(tmp_path: Path) -> None:
    result = pool_setting(tmp_path, DATABASE_POOL_SIZE="8")
    assert result.stdout.strip() == "{'min_size': 4, 'max_size': 8}", result.stderr


def test_it_refuses_a_pool_smaller_than_its_minimum(tmp_path: Path) -> None:
    result = pool_setting(tmp_path, DATABASE_POOL_SIZE="2")
    assert result.returncode != 0
    assert "DATABASE_POOL_SIZE='2' must be at least 4" in result.stderr
