"""A process capped at a fraction of one CPU, as on a small host: the cgroup v1 cpu controller.

    with cpu_capped(pid, 0.1):
        ...  # the process and every thread it has or starts get 10 ms of CPU per 100 ms

Needs root and a cgroup v1 ``cpu`` hierarchy at /sys/fs/cgroup/cpu (Debian's hybrid
layout). The cgroup is named after this process and removed afterwards, the capped
process moved back to the root group first if it is still alive.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

HIERARCHY = Path("/sys/fs/cgroup/cpu")
PERIOD_US = 100_000


def why_not() -> str | None:
    """Why a process cannot be capped here, or None if it can."""
    if not (HIERARCHY / "cgroup.procs").exists():
        return f"no cgroup v1 cpu controller at {HIERARCHY}"
    if not os.access(HIERARCHY, os.W_OK):
        return f"{HIERARCHY} is not writable (run as root)"
    return None


@contextlib.contextmanager
def cpu_capped(pid: int, cpus: float) -> Iterator[None]:
    """Cap ``pid`` (all its threads, present and future) at ``cpus`` of one CPU."""
    reason = why_not()
    if reason:
        raise RuntimeError(f"cannot cap the server's CPU: {reason}")
    offset = os.environ.get("RUNCLUB_PORT_OFFSET", "0")
    group = HIERARCHY / f"runclub-bench-{offset}-{os.getpid()}-{pid}"
    group.mkdir()
    try:
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (group / "cpu.cfs_quota_us").write_text(str(round(PERIOD_US * cpus)))
        (group / "cgroup.procs").write_text(str(pid))
        yield
    finally:
        with contextlib.suppress(ProcessLookupError, OSError):
            (HIERARCHY / "cgroup.procs").write_text(str(pid))
        group.rmdir()


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system, all threads, ended ones included) ``pid`` has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command's ")": state is field 3, utime 14 and stime 15 (man 5 proc).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
