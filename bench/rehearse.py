"""CI's Locust run: a few seconds of the rehearsal against a local server.

    python -m bench.rehearse            # start a server as the Procfile does, run Locust
    python -m bench.rehearse --seconds 10 --users 30

Fails (exit 1) if Locust saw a failure or no check-in succeeded.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.load import ROOT, start_server

PORT = 18675 + int(os.environ.get("RUNCLUB_PORT_OFFSET", "0"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    # One address for every rehearsal runner: lift the per-address limit, as a club would.
    env = {"DATABASE_URL": "", "REDIS_URL": "", "RATELIMIT_CHECKIN_PER_ADDRESS": "100000/m"}
    with start_server(PORT, env) as server, tempfile.TemporaryDirectory() as out:
        stats = Path(out) / "rehearsal"
        done = subprocess.run(
            [
                *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")),
                *("--host", server.base_url, "--checkin-url", server.checkin_url),
                *("--headless", "--users", str(args.users), "--spawn-rate", str(args.users)),
                *("--run-time", f"{args.seconds}s", "--only-summary", "--csv", str(stats)),
            ],
            cwd=ROOT,
        )
        with open(f"{stats}_stats.csv") as table:
            rows = {row["Name"]: row for row in csv.DictReader(table)}
    check_ins = int(rows.get("check-in", {}).get("Request Count", 0))
    failures = int(rows["Aggregated"]["Failure Count"])
    print(f"rehearsal: {check_ins} check-ins, {failures} failures, locust exit {done.returncode}")
    if done.returncode != 0 or failures or not check_ins:
        sys.exit(1)


if __name__ == "__main__":
    main()
