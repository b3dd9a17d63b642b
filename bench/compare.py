"""Daily commands of this tree against another ptcli tree, interleaved in one run.

    python bench/compare.py --against ../main [--rounds 21] [--keep DIR]

Both trees are installed (non-editable) into their own virtualenv, each gets a store
with the same 10-year history (bench/run.py's), and every round runs each command once
per tree, in alternating order, so both see the same machine. Reported per command:
the median CPU time (user + system of the child: on a busy machine wall time mostly
measures the other processes) and the median wall time, each tree's and the difference.
Reported, not asserted.
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
import run as bench  # make_history, prepare_venv, log

THIS = Path(__file__).resolve().parent.parent
COMMANDS = {
    "pain log 3 --where thigh": ["pain", "log", "3", "--where", "thigh"],
    "today --json": ["today", "--json"],
    "today": ["today"],
    "history --since -7d --json": ["history", "--since", "-7d", "--json"],
    "history --since -7d": ["history", "--since", "-7d"],
    "history --since -30d": ["history", "--since", "-30d"],
    "pain list --since -7d": ["pain", "list", "--since", "-7d"],
    "--help": ["--help"],
}


def prepare(name: str, tree: Path, tmp: Path, export: Path, env: dict[str, str]) -> list[str]:
    """Install ``tree`` into its own virtualenv and import the history: the command prefix."""
    venv = tmp / f"venv-{name}"
    bench.PROJECT = tree  # prepare_venv installs bench.PROJECT
    bench.prepare_venv(venv)
    store = tmp / f"store-{name}.json"
    ptcli = str(venv / "bin" / "ptcli")
    if not store.exists():
        subprocess.run(
            [ptcli, "--db", str(store), "import", str(export)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return [ptcli, "--db", str(store)]


def once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``argv``."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(
            f"{' '.join(argv)} failed: {child.stderr.read().decode() if child.stderr else ''}"
        )
    return usage.ru_utime + usage.ru_stime, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--against", type=Path, required=True, help="the other ptcli tree")
    parser.add_argument("--rounds", type=int, default=21, help="timed rounds (default 21)")
    parser.add_argument("--keep", type=Path, help="reuse this folder (venvs, stores)")
    args = parser.parse_args()
    trees = {"other": args.against.resolve(), "this": THIS}
    with tempfile.TemporaryDirectory(prefix="ptcli-compare-") as folder:
        tmp = args.keep.resolve() if args.keep else Path(folder)
        tmp.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PTCLI_")}
        env |= {"XDG_CACHE_HOME": str(tmp / "cache"), "XDG_DATA_HOME": str(tmp / "data")}
        env["COLUMNS"] = "80"
        export = tmp / "history.json"
        if not export.exists():
            export.write_text(json.dumps(bench.make_history()))
        prefix = {name: prepare(name, tree, tmp, export, env) for name, tree in trees.items()}
        for name in trees:  # warm-up
            for args_ in COMMANDS.values():
                once([*prefix[name], *args_], env)
        cpu: dict[tuple[str, str], list[float]] = {}
        wall: dict[tuple[str, str], list[float]] = {}
        for round_ in range(args.rounds):
            bench.log(f"round {round_ + 1}/{args.rounds}")
            order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
            for command, args_ in COMMANDS.items():
                for name in order:
                    c, w = once([*prefix[name], *args_], env)
                    cpu.setdefault((name, command), []).append(c)
                    wall.setdefault((name, command), []).append(w)
    print(f"this: {THIS}\nother: {trees['other']}\n")
    print(
        f"{'command':<28} {'CPU ms: other':>13} {'this':>7} {'diff':>7}   {'wall ms: other':>14} {'this':>7} {'diff':>7}"
    )
    for command in COMMANDS:
        c = [statistics.median(cpu[(n, command)]) * 1000 for n in trees]
        w = [statistics.median(wall[(n, command)]) * 1000 for n in trees]
        print(
            f"{command:<28} {c[0]:>13.1f} {c[1]:>7.1f} {c[1] - c[0]:>+7.1f}   "
            f"{w[0]:>14.1f} {w[1]:>7.1f} {w[1] - w[0]:>+7.1f}"
        )
    print(f"\n(medians of {args.rounds} interleaved rounds; reported, not asserted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
