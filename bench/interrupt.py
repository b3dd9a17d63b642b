"""Ctrl-C at a random moment of start-up: how often does ptcli answer with its one line?

    python bench/interrupt.py [--runs 250] [--command PATH-TO-ptcli]

Starts ``ptcli today --json`` (on a throwaway store) RUNS times and sends SIGINT a random
0-120 ms after each start; counts the answers: ``ptcli: interrupted`` with exit 130, a
Python traceback (only possible before ptcli's first line runs), a silent death by the
signal (before Python has a handler), or finished first. Reported, not asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=250)
    parser.add_argument("--command", default=shutil.which("ptcli") or "ptcli")
    args = parser.parse_args()
    random.seed(1)
    seen: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PTCLI_DB": os.path.join(folder, "ptcli.json")}
        for _ in range(args.runs):
            process = subprocess.Popen(
                [args.command, "today", "--json"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=env,
            )
            time.sleep(random.uniform(0, 0.12))
            process.send_signal(signal.SIGINT)
            err = process.communicate()[1].decode(errors="replace")
            if "Traceback" in err:
                seen["Python traceback"] += 1
            elif process.returncode == 130 and err == "ptcli: interrupted\n":
                seen["'ptcli: interrupted', 130"] += 1
            elif process.returncode == -signal.SIGINT:
                seen["died silently by the signal"] += 1
            elif process.returncode == 0:
                seen["finished first"] += 1
            else:
                seen[f"other: exit {process.returncode}"] += 1
    print(f"{args.runs} runs of {args.command}:")
    for answer, count in seen.most_common():
        print(f"  {count:4}  {answer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
