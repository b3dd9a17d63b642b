"""What a command costs the store at 1 and 30 years of history (issue #16's store half).

    python bench/store_costs.py [--src DIR] [--years 1 30] [--rounds 7]

For each history size it imports ``run.make_history()`` into a fresh store with the
ptcli found in ``--src`` (a source tree, default this one: give another tree's ``src``
to compare), then reports for each command the median wall time of whole processes
(interleaved with ``python -c pass``, the floor), the bytes it wrote (``wchar`` of
/proc/self/io: every byte passed to write(), files and output alike) and the peak
memory. Results are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # bench/run.py: the history generator

# Runs ptcli in this process and reports, at its end, the bytes written. The peak memory
# comes from /usr/bin/time, a small parent: a child forked by this (large) script would
# report this script's peak as its own.
WRAP = (
    "import sys\n"
    "from ptcli.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    "io = dict(line.split(': ') for line in open('/proc/self/io').read().splitlines())\n"
    "print('COST', io['wchar'], file=sys.stderr)\n"
    "sys.exit(code)\n"
)


ENTERS = "\n" * 40  # Enter at every prompt: skip or keep each answer


def cost(argv: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[int, float]:
    """(bytes written, peak MB) of one run of ptcli ``argv``."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "PEAK %M", sys.executable, "-c", WRAP, *argv],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
    )
    lines = done.stderr.splitlines()
    written = [x.split()[1] for x in lines if x.startswith("COST ")]
    peak = [x.split()[1] for x in lines if x.startswith("PEAK ")]
    if done.returncode != 0 or not written or not peak:
        raise SystemExit(f"ptcli {' '.join(argv)} failed:\n{done.stderr}")
    return int(written[-1]), int(peak[-1]) / 1024


def wall(argv: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, text=True, env=env, check=True, input=stdin)
    return time.perf_counter() - start


def history_file(years: int, folder: Path) -> Path:
    path = folder / f"history-{years}y.json"
    if not path.exists():
        # As bench/run.py does (setting run.DAYS changed nothing: a default is bound once).
        history = run.make_history(days=round(365.25 * years), edits=run.CORRECTIONS * years // 10)
        path.write_text(json.dumps(history))
    return path


def measure(src: Path, years: int, rounds: int, folder: Path) -> list[dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTCLI_")}
    store = folder / f"{years}y-{os.getpid()}" / "ptcli.json"
    env |= {"PYTHONPATH": str(src), "PTCLI_DB": str(store), "XDG_CACHE_HOME": str(folder)}
    export = history_file(years, folder)
    rows: list[dict[str, object]] = []
    start = time.perf_counter()
    written, peak = cost(["import", str(export)], env)
    rows.append(
        {
            "command": "import (new store)",
            "ms": (time.perf_counter() - start) * 1000,
            "written": written,
            "peak_mb": peak,
        }
    )
    cost(["screen", "--no-others"], env)  # a guided session needs one
    today = subprocess.run(
        [sys.executable, "-m", "ptcli", "today", "--json"], capture_output=True, env=env
    )
    guided = [item["id"] for item in json.loads(today.stdout)["exercises"]][:3]  # allowed today
    ptcli = [sys.executable, "-m", "ptcli"]
    commands = {
        "pain log 3": ["pain", "log", "3"],
        "session log prone-lying": ["session", "log", "prone-lying", "--minutes", "2"],
        "today --json": ["today", "--json"],
        "history --json": ["history", "--json"],
        "import (again, unchanged)": ["import", str(export)],
        "guided session, 3 exercises": ["session", "start", *guided, "--pace", "0"],
    }
    stdin = {"guided session, 3 exercises": ENTERS}
    floor: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        floor.append(wall([sys.executable, "-c", "pass"], env))
        for name, argv in commands.items():
            times[name].append(wall([*ptcli, *argv], env, stdin.get(name)))
    base = statistics.median(floor)
    for name, argv in commands.items():
        written, peak = cost(argv, env, stdin.get(name))
        median = statistics.median(times[name])
        rows.append(
            {
                "command": name,
                "ms": median * 1000,
                "ratio": median / base,
                "written": written,
                "peak_mb": peak,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "src")
    parser.add_argument("--years", type=int, nargs="+", default=[1, 30])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--folder", type=Path, default=None, help="keep histories here")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="ptcli-store-costs-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"ptcli from {args.src}")
    print(
        f"{'years':>5}  {'command':<28} {'median ms':>9} {'ratio':>6} {'written':>12} {'peak MB':>8}"
    )
    for years in args.years:
        for row in measure(args.src, years, args.rounds, folder):
            ratio = f"{row['ratio']:.1f}x" if "ratio" in row else ""
            print(
                f"{years:>5}  {row['command']:<28} {row['ms']:>9.0f} {ratio:>6} "
                f"{row['written']:>12,} {row['peak_mb']:>8.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
