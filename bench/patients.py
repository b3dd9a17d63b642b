"""Time ``ptcli patients`` over 200 patient stores with a year of history each (issue 18).

    python bench/patients.py [--patients 200] [--rounds 3] [--python PATH]

Makes the stores once in a temporary folder: 4 histories of 365 days (bench/run.py's
``make_history``, 2 pain entries and 5 sessions a day, with corrections; each seeded
differently) imported with ``ptcli import``, each copied to make up the number of
patients. Then times ``ptcli patients DIR --json`` as a whole process, ``--rounds``
times, and reports the median wall time against the goal (5 s) and the CPU time of
all its processes (on a busy machine the wall time mostly measures the others).
Reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as history  # bench/run.py, beside this file

GOAL_S = 5.0
VARIANTS = 4


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", default=sys.executable, help="a Python with ptcli installed")
    args = parser.parse_args()
    history.DAYS = 365  # a year each
    history.CORRECTIONS = 100
    env = {**os.environ, "PYTHONPATH": str(history.PROJECT / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "patients")
        folder.mkdir()
        for variant in range(VARIANTS):
            export = Path(tmp, f"history-{variant}.json")
            document = history.make_history(seed=2017 + variant)
            document["profile"]["name"] = f"Patient {variant}"
            export.write_text(json.dumps(document))
            store = folder / f"patient-{variant:03d}.json"
            subprocess.run(
                [args.python, "-m", "ptcli", "--db", str(store), "import", str(export)],
                check=True,
                env=env,
                capture_output=True,
            )
        for number in range(VARIANTS, args.patients):
            shutil.copy(
                folder / f"patient-{number % VARIANTS:03d}.json",
                folder / f"patient-{number:03d}.json",
            )
        for extra in folder.glob("*.json.*"):  # backups and locks of the imports
            extra.unlink()
        times, cpu = [], []
        for _ in range(args.rounds):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(
                [args.python, "-m", "ptcli", "patients", str(folder), "--json"],
                env=env,
                capture_output=True,
                text=True,
            )
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers included
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
        listed = json.loads(done.stdout)
        size = sum(path.stat().st_size for path in folder.iterdir()) / len(listed) / 1024
        median = statistics.median(times)
        print(
            f"patients: {len(listed)} stores of {size:.0f} KB (a year each): "
            f"median {median:.2f} s wall, {statistics.median(cpu):.2f} s CPU (all processes) "
            f"over {args.rounds} runs on {os.cpu_count()} CPUs at load "
            f"{os.getloadavg()[0]:.1f} (goal {GOAL_S:.0f} s wall: "
            f"{'met' if median < GOAL_S else 'NOT met'})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
