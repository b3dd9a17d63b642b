"""Start-up and import benchmark for ptcli, run against a real (non-editable) install.

Run it from anywhere:

    python bench/run.py [--rounds N] [--venv PATH] [--json]

What it does:

1. Creates a virtualenv in a temporary folder (or uses ``--venv PATH``, creating it if missing)
   and runs ``pip install PROJECT`` into it, non-editable, so pip compiles the bytecode once at
   install time (this machine sets PYTHONDONTWRITEBYTECODE=1).
2. Writes a 10-year history as a ptcli export file: 2 pain entries and 5 sessions a day for
   the 3652 days ending yesterday (about 25,500 records, seeded so every run is identical),
   and 1,000 corrections of them (edits and deletions, some moving an entry's time, a
   tenth of them in the last two weeks, which daily commands read).
3. Times ``ptcli --db STORE import FILE`` once into an empty store (goal: under 5 s) and
   records its peak memory (ru_maxrss of the child; goal: under 150 MB).
4. Times whole processes, interleaved over N rounds after one warm-up each, and reports the
   median of each: ``python -c pass`` (the floor), ``python -c 'import typer'`` (a reference:
   what any Typer command pays), ``pain log``, ``today --json``,
   ``history --since -7d --json`` and ``--help``, each as a ratio to the floor against a goal.
   Also records the peak memory of ``today --json`` and ``pain log``.

Progress goes to stderr. Results are reported, not asserted: the exit code is 0 unless a
ptcli command failed (then 1, with its error output).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
EXERCISES = [  # (id, reps, hold_s), done in this order every day
    ("prone-lying", 1, 120),
    ("prone-on-elbows", 1, 120),
    ("mcgill-curl-up", 6, 10),
    ("bird-dog", 6, 10),
    ("walking", 1, 600),
]
EXTENTS = ["none", "back", "buttock", "thigh", "calf", "foot"]
DAYS = 3652
CORRECTIONS = 1000
MEMORY_GOAL_MB = 150.0
IMPORT_GOAL_S = 5.0
BULK_GOAL_S = 3.0  # issue #5: export and import of ten years each under 3 s
# Runs a command and prints its wall time and peak memory (KB on Linux) as JSON.
MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "run = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "seconds = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(json.dumps({'rc': run.returncode, 'seconds': seconds, 'peak_kb': peak,\n"
    "                  'stderr': run.stderr.decode(errors='replace')}))\n"
)


class CommandFailed(Exception):
    """A benchmarked command exited with a non-zero code."""


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def prepare_venv(venv: Path) -> None:
    if not (venv / "bin" / "python").exists():
        log(f"creating virtualenv {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    log(f"pip install {PROJECT} (non-editable) into {venv}")
    run = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(PROJECT)],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise CommandFailed(f"pip install {PROJECT} failed:\n{run.stdout}{run.stderr}")


def make_history(seed: int = 2017) -> dict[str, Any]:
    """An export holding DAYS days of pain entries and sessions, ending yesterday."""
    rng = random.Random(seed)
    used: set[str] = set()

    def new_id() -> str:
        while (value := f"{rng.getrandbits(64):016x}") in used:
            pass
        used.add(value)
        return value

    def score_near(level: float) -> int:
        return max(0, min(10, round(level + rng.gauss(0, 1.2))))

    def extent(score: int) -> str | None:
        return None if rng.random() < 0.1 else EXTENTS[min(5, (score + 1) // 2)]

    now = datetime.now().astimezone()
    first = (now - timedelta(days=DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)
    pain: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    for day in range(DAYS):
        midnight = first + timedelta(days=day)
        level = 6.0 - 4.0 * day / (DAYS - 1)  # from about 6 down to about 2
        for hour in (8, 20):
            score = score_near(level)
            note = "stiff after sitting" if rng.random() < 0.05 else None
            at = (midnight + timedelta(hours=hour)).isoformat(timespec="seconds")
            pain.append(
                {"id": new_id(), "at": at, "score": score, "where": extent(score), "note": note}
            )
        for index, (exercise, reps, hold_s) in enumerate(EXERCISES):
            after = score_near(level - 0.5) if rng.random() < 0.8 else None
            sessions.append(
                {
                    "id": new_id(),
                    "at": (midnight + timedelta(hours=9 + 2 * index)).isoformat(timespec="seconds"),
                    "exercise": exercise,
                    "sets": 1,
                    "reps": reps,
                    "hold_s": hold_s,
                    "pain_after": after,
                    "where_after": extent(after) if after is not None else None,
                    "note": "felt easier" if rng.random() < 0.03 else None,
                }
            )
    recent = [p for p in pain if p["at"] >= (now - timedelta(days=14)).isoformat()]
    corrections = []
    for number in range(CORRECTIONS):
        if number % 10 == 0:  # a tenth in the last two weeks
            target, table = rng.choice(recent), "pain"
        elif number % 3 == 0:
            target, table = rng.choice(sessions), "sessions"
        else:
            target, table = rng.choice(pain), "pain"
        made = datetime.fromisoformat(target["at"]) + timedelta(hours=1)
        action, changes = "amend", {"score": score_near(3)} if table == "pain" else {"sets": 2}
        if number % 7 == 0:
            action, changes = "void", {}
        elif number % 11 == 0:  # an entry moved an hour earlier
            earlier = datetime.fromisoformat(target["at"]) - timedelta(hours=1)
            changes = {"at": earlier.isoformat(timespec="seconds")}
        corrections.append(
            {
                "id": new_id(),
                "at": made.isoformat(timespec="seconds"),
                "target": target["id"],
                "table": table,
                "target_at": target["at"],
                "action": action,
                "changes": changes,
                "reason": None,
            }
        )
    return {
        "format": "ptcli-export",
        "version": 2,
        "exported_at": now.isoformat(timespec="seconds"),
        "profile": {"name": "Bench", "side": "left", "pool": False, "preference": None},
        "pain": pain,
        "sessions": sessions,
        "corrections": corrections,
    }


def run_once(argv: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one whole process; raises CommandFailed on a non-zero exit."""
    start = time.perf_counter()
    code = subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    ).returncode
    seconds = time.perf_counter() - start
    if code != 0:  # run it again to show why (the timed run discards its output)
        again = subprocess.run(argv, capture_output=True, text=True, env=env)
        raise CommandFailed(f"{' '.join(argv)} exited with {code}:\n{again.stderr}")
    return seconds


def measure(python: Path, argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak MB) of one run of argv, reported by a fresh wrapper process."""
    out = subprocess.run(
        [str(python), "-c", MEASURE, *argv], capture_output=True, text=True, env=env, check=True
    ).stdout
    result = json.loads(out)
    if result["rc"] != 0:
        raise CommandFailed(f"{' '.join(argv)} exited with {result['rc']}:\n{result['stderr']}")
    return float(result["seconds"]), result["peak_kb"] / 1024


def bench(venv: Path, tmp: Path, rounds: int) -> dict[str, Any]:
    python, ptcli = venv / "bin" / "python", str(venv / "bin" / "ptcli")
    store, export = tmp / "store.json", tmp / "history.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTCLI_")}
    env |= {"XDG_CACHE_HOME": str(tmp / "cache"), "XDG_DATA_HOME": str(tmp / "data")}

    log(f"writing a {DAYS}-day history to {export}")
    history = make_history()
    export.write_text(json.dumps(history, indent=1))
    records = len(history["pain"]) + len(history["sessions"]) + len(history["corrections"])
    log(f"{records} records, {export.stat().st_size / 1e6:.1f} MB; importing into {store}")
    import_s, import_mb = measure(python, [ptcli, "--db", str(store), "import", str(export)], env)

    db = [ptcli, "--db", str(store)]
    commands: dict[str, tuple[list[str], float | None]] = {
        "python -c pass": ([str(python), "-c", "pass"], None),
        # Reference, no goal: what any Typer command pays before ptcli's own code runs.
        "python -c 'import typer'": ([str(python), "-c", "import typer"], None),
        "pain log 3 --where thigh": ([*db, "pain", "log", "3", "--where", "thigh"], 7.0),
        "today --json": ([*db, "today", "--json"], 8.0),
        "history --since -7d --json": ([*db, "history", "--since", "-7d", "--json"], 8.0),
        "--help": ([ptcli, "--help"], 12.0),
    }
    log("warm-up: one run of each command")
    for argv, _ in commands.values():
        run_once(argv, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(1, rounds + 1):
        log(f"round {round_}/{rounds}")
        for name, (argv, _) in commands.items():
            times[name].append(run_once(argv, env))

    floor = statistics.median(times["python -c pass"])
    rows = []
    for name, (_, goal) in commands.items():
        median = statistics.median(times[name])
        rows.append(
            {
                "command": name,
                "median_ms": round(median * 1000, 1),
                "ratio": round(median / floor, 2),
                "goal_ratio": goal,
                "ok": goal is None or median / floor <= goal,
            }
        )
    bulk = bulk_transfers(python, ptcli, store, tmp, env)
    memory = {"import": import_mb}
    log("peak memory of today --json and pain log")
    memory["today --json"] = measure(python, commands["today --json"][0], env)[1]
    memory["pain log 3 --where thigh"] = measure(
        python, commands["pain log 3 --where thigh"][0], env
    )[1]
    return {
        "rounds": rounds,
        "records": records,
        "import": {
            "seconds": round(import_s, 2),
            "goal_s": IMPORT_GOAL_S,
            "ok": import_s < IMPORT_GOAL_S,
        },
        "commands": rows,
        "bulk": bulk,
        "peak_memory": [
            {
                "command": name,
                "mb": round(mb, 1),
                "goal_mb": MEMORY_GOAL_MB,
                "ok": mb < MEMORY_GOAL_MB,
            }
            for name, mb in memory.items()
        ],
    }


def bulk_transfers(
    python: Path, ptcli: str, store: Path, tmp: Path, env: dict[str, str]
) -> list[dict[str, Any]]:
    """Ten years out (JSON, NDJSON) and back in, and the printed routine, each timed once
    with its peak memory.

    NDJSON streams a month at a time, so its memory should not grow with the history:
    the same export of the last year alone is measured beside it.
    """
    db = [ptcli, "--db", str(store)]
    one_year, year_store = tmp / "year.json", tmp / "year-store.json"
    subprocess.run(
        [*db, "export", "--since", "-365d", "--output", str(one_year)], env=env, check=True
    )
    subprocess.run(
        [ptcli, "--db", str(year_store), "import", str(one_year)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    jobs = {
        "export json (10 years)": [*db, "export", "--output", str(tmp / "out.json")],
        "export ndjson (10 years)": [*db, "export", "--format", "ndjson"],
        "export ndjson (1 year)": [ptcli, "--db", str(year_store), "export", "--format", "ndjson"],
        "export fhir (10 years)": [*db, "export", "--format", "fhir"],
        "import ndjson (10 years)": [
            ptcli,
            "--db",
            str(tmp / "fresh.json"),
            "import",
            str(tmp / "out.ndjson"),
        ],
        # The printable routine reads 4 weeks of the log; the PDF pays for WeasyPrint.
        "routine --format html": [*db, "routine", "--format", "html", "-o", str(tmp / "r.html")],
        "routine --format pdf": [*db, "routine", "--format", "pdf", "-o", str(tmp / "r.pdf")],
    }
    with (tmp / "out.ndjson").open("wb") as out:
        subprocess.run([*db, "export", "--format", "ndjson"], env=env, check=True, stdout=out)
    rows = []
    for name, argv in jobs.items():
        log(name)
        seconds, mb = measure(python, argv, env)
        rows.append(
            {
                "job": name,
                "seconds": round(seconds, 2),
                "peak_mb": round(mb, 1),
                "goal_s": BULK_GOAL_S,
                "ok": seconds < BULK_GOAL_S,
            }
        )
    return rows


def table(results: dict[str, Any]) -> str:
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "OVER"

    lines = [f"{'command':<30} {'median ms':>10} {'x floor':>8} {'goal':>8}  result", "-" * 66]
    for row in results["commands"]:
        reference = "floor" if row["command"] == "python -c pass" else "ref"
        goal = f"<= {row['goal_ratio']:g}x" if row["goal_ratio"] else reference
        status = verdict(row["ok"]) if row["goal_ratio"] else ""
        lines.append(
            f"{row['command']:<30} {row['median_ms']:>10.1f} {row['ratio']:>7.2f}x "
            f"{goal:>8}  {status}"
        )
    imp = results["import"]
    lines += [
        "",
        f"import of {results['records']} records: {imp['seconds']:.2f} s "
        f"(goal < {imp['goal_s']:g} s)  {verdict(imp['ok'])}",
        "",
    ]
    lines.append(f"{'bulk':<30} {'seconds':>10} {'peak MB':>8}  goal")
    for row in results["bulk"]:
        lines.append(
            f"{row['job']:<30} {row['seconds']:>10.2f} {row['peak_mb']:>8.1f}"
            f"  < {row['goal_s']:g} s {verdict(row['ok'])}"
        )
    lines.append("")
    lines.append(f"{'peak memory':<30} {'MB':>10} {'goal':>8}  result")
    for row in results["peak_memory"]:
        lines.append(
            f"{row['command']:<30} {row['mb']:>10.1f} {'< ' + str(int(row['goal_mb'])):>8}"
            f"  {verdict(row['ok'])}"
        )
    lines.append(f"\n(medians of {results['rounds']} interleaved rounds; reported, not asserted)")
    return "\n".join(line.rstrip() for line in lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark ptcli start-up, import and memory.")
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds (default 15)")
    parser.add_argument("--venv", type=Path, help="reuse (or create) this virtualenv")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    with tempfile.TemporaryDirectory(prefix="ptcli-bench-") as folder:
        tmp = Path(folder)
        venv = args.venv.resolve() if args.venv else tmp / "venv"
        try:
            prepare_venv(venv)
            results = bench(venv, tmp, args.rounds)
        except CommandFailed as error:
            log(f"FAILED: {error}")
            return 1
    if args.json:
        print(json.dumps(results, indent=2))
        print(table(results), file=sys.stderr)
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
