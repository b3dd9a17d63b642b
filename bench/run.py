"""Daily commands of ptcli by history size, against a real (non-editable) install.

Run it from anywhere:

    python bench/run.py [--years 1,10,30] [--rounds N] [--venv PATH] [--no-peers] [--bulk] [--cpu] [--json]

A quick run: ``--years 1,10 --rounds 5``. What it does:

1. Creates a virtualenv in a temporary folder (or uses ``--venv PATH``, creating it if missing)
   and runs ``pip install PROJECT`` into it, non-editable, so pip compiles the bytecode once at
   install time (this machine sets PYTHONDONTWRITEBYTECODE=1).
2. For each size in ``--years``: writes a history as a ptcli export file (2 pain entries and
   5 sessions a day for the days ending yesterday, 100 corrections a year of which ten,
   whatever the size, are in the last two weeks; seeded so every run is identical; the
   last two weeks calm, so today is the full programme) and imports it into an empty
   store (timed once, with its peak memory).
3. Times whole processes, interleaved over N rounds (alternating order) after one warm-up
   each, and reports the median of each as a ratio to ``python -c pass`` (the floor) in the
   same run; then the peak memory of each (ru_maxrss of the child, one more run under
   GNU time): ``import
   typer`` (a reference), ``pain log``, ``today``, ``history --since -30d``, ``session log``,
   ``today --json``, ``history --since -30d --json``, ``--help``, an import of the store's
   own NDJSON export (which changes nothing) and a guided session of three exercises
   (``session start --pace 0``, Enter at every question from a file).
4. Peers, in the same rounds: the same day's read and a write in Taskwarrior (``task next``,
   ``task log``) and jrnl (``jrnl -on yesterday``, ``jrnl TEXT``), each holding one entry per
   pain entry and session of the same history; skipped with a note when not installed
   (``jrnl`` on PATH, or JRNL=path/to/jrnl). ``--no-peers`` skips them.
5. ``--bulk``: export (JSON, NDJSON, FHIR), import of the NDJSON export into a new store,
   and the printed routine (HTML, PDF), each timed once with its peak memory.

The store, the peers' data and the guided session grow by a few entries a round, as a
patient's would. Progress goes to stderr. Results are reported, not asserted: the exit
code is 0 unless a command failed (then 1, with its error output).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

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
RECENT_CORRECTIONS = 10  # in the last two weeks, at any size: a patient's recent weeks hold
# as many corrections at 30 years as at 1 (a tenth of 30 years' would be 21 a day)
MEMORY_GOAL_MB = 150.0
IMPORT_GOAL_S = 5.0
BULK_GOAL_S = 3.0  # issue #5: export and import of ten years each under 3 s


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


def make_history(seed: int = 2017, days: int = DAYS, edits: int = CORRECTIONS) -> dict[str, Any]:
    """An export holding ``days`` days of pain entries and sessions, ending yesterday.

    The last two weeks are calm (pain at the back, 2 or less), so today's routine is the
    full programme whatever the seed: the guided session always has three exercises."""
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
    first = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    pain: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    for day in range(days):
        midnight = first + timedelta(days=day)
        level = 6.0 - 4.0 * day / max(1, days - 1)  # from about 6 down to about 2
        calm = days - day <= 14
        for hour in (8, 20):
            score = min(2, score_near(level)) if calm else score_near(level)
            note = "stiff after sitting" if rng.random() < 0.05 else None
            at = (midnight + timedelta(hours=hour)).isoformat(timespec="seconds")
            where = "back" if calm else extent(score)
            pain.append({"id": new_id(), "at": at, "score": score, "where": where, "note": note})
        for index, (exercise, reps, hold_s) in enumerate(EXERCISES):
            after = score_near(level - 0.5) if rng.random() < 0.8 else None
            after = min(2, after) if calm and after is not None else after
            sessions.append(
                {
                    "id": new_id(),
                    "at": (midnight + timedelta(hours=9 + 2 * index)).isoformat(timespec="seconds"),
                    "exercise": exercise,
                    "sets": 1,
                    "reps": reps,
                    "hold_s": hold_s,
                    "pain_after": after,
                    "where_after": None if after is None else "back" if calm else extent(after),
                    "note": "felt easier" if rng.random() < 0.03 else None,
                }
            )
    recent = [p for p in pain if p["at"] >= (now - timedelta(days=14)).isoformat()]
    corrections = []
    for number in range(edits):
        if number % 10 == 0 and number < 10 * RECENT_CORRECTIONS:
            target, table = rng.choice(recent), "pain"
        elif number % 3 == 0:
            target, table = rng.choice(sessions), "sessions"
        else:
            target, table = rng.choice(pain), "pain"
        made = datetime.fromisoformat(target["at"]) + timedelta(hours=1)
        calm = target in recent  # calm days stay calm
        score = min(2, score_near(3)) if calm else score_near(3)
        action, changes = "amend", {"score": score} if table == "pain" else {"sets": 2}
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


def run_once(
    argv: list[str], env: dict[str, str], stdin: Path | None = None
) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole process; raises CommandFailed on a
    non-zero exit."""
    with open(stdin or os.devnull, "rb") as given:
        start = time.perf_counter()
        child = subprocess.Popen(
            argv, stdin=given, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        assert child.stderr is not None
        errors = child.stderr.read()  # the child writes little: no deadlock
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.stderr.close()
    if status != 0:
        code = os.waitstatus_to_exitcode(status)
        raise CommandFailed(f"{' '.join(argv)} exited with {code}:\n{errors.decode()}")
    return seconds, usage.ru_utime + usage.ru_stime


def peak_mb(argv: list[str], env: dict[str, str], stdin: Path | None = None) -> float:
    """The peak memory (ru_maxrss) of one run of ``argv``, as GNU time reports it.

    Not this process's own wait4: a child's ru_maxrss starts at its parent's when it
    forks, and this process holds the history. GNU time is small (about 2 MB); without
    it, a fresh Python that does only this (about 9 MB) runs the command."""
    with tempfile.NamedTemporaryFile("r") as report, open(stdin or os.devnull, "rb") as given:
        if os.path.exists(GNU_TIME):
            wrapper = [GNU_TIME, "-f", "%M", "-o", report.name]
        else:
            wrapper = [sys.executable, "-c", MEASURE, report.name]
        run = subprocess.run(
            [*wrapper, *argv],
            stdin=given,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        if run.returncode != 0:
            raise CommandFailed(
                f"{' '.join(argv)} exited with {run.returncode}:\n{run.stderr.decode()}"
            )
        return int(report.read().split()[-1]) / 1024


GNU_TIME = "/usr/bin/time"
MEASURE = (  # GNU time's -f %M -o FILE, in Python
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[2:], check=True)\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
)


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak MB) of one run of ``argv`` (run twice: timed, then measured)."""
    return run_once(argv, env)[0], peak_mb(argv, env)


class Command(NamedTuple):
    argv: list[str]
    goal: float | None = None  # at most this many times the floor
    stdin: Path | None = None


def ptcli_commands(ptcli: str, store: Path, tmp: Path, env: dict[str, str]) -> dict[str, Command]:
    """The issue's daily commands against ``store``, and what they need: a screen (the
    guided session asks for one), today's first three exercises, the store's own NDJSON."""
    db = [ptcli, "--db", str(store)]
    subprocess.run([*db, "screen", "--no-others"], env=env, check=True, stdout=subprocess.DEVNULL)
    today = json.loads(
        subprocess.run([*db, "today", "--json"], env=env, check=True, capture_output=True).stdout
    )
    three = [item["id"] for item in today["exercises"]][:3]
    own = tmp / "own.ndjson"
    with own.open("wb") as out:
        subprocess.run([*db, "export", "--format", "ndjson"], env=env, check=True, stdout=out)
    answers = tmp / "answers.txt"  # Enter at every question: skip, or the default
    answers.write_text("\n" * 200)
    return {
        "pain log": Command([*db, "pain", "log", "3", "--where", "back"], 6.0),
        "today (table)": Command([*db, "today"], 7.0),
        "history (table, 30 days)": Command([*db, "history", "--since", "-30d"], 7.0),
        "session log": Command([*db, "session", "log", three[0], "--pain-after", "2"], 6.0),
        "today --json": Command([*db, "today", "--json"], 6.0),
        "history --json (30 days)": Command([*db, "history", "--since", "-30d", "--json"], 6.0),
        "--help": Command([ptcli, "--help"]),
        "import of its own NDJSON": Command([*db, "import", str(own)]),
        "guided session, 3 exercises": Command(
            [*db, "session", "start", "--pace", "0", *three], None, answers
        ),
    }


def bench(
    venv: Path, tmp: Path, years: int, rounds: int, peers: bool, bulk: bool, by_cpu: bool = False
) -> dict[str, Any]:
    """One history size: ptcli's commands and the peers', interleaved over ``rounds``."""
    python, ptcli = venv / "bin" / "python", str(venv / "bin" / "ptcli")
    tmp = tmp / f"{years}y"
    tmp.mkdir()
    store, export = tmp / "store.json", tmp / "history.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTCLI_")}
    env |= {"XDG_CACHE_HOME": str(tmp / "cache"), "XDG_DATA_HOME": str(tmp / "data")}
    env |= {"COLUMNS": "80", "LINES": "40"}

    days = round(365.25 * years)
    history = make_history(days=days, edits=CORRECTIONS * years // 10)
    log(f"{years} years: writing a {days}-day history to {export}")
    export.write_text(json.dumps(history, indent=1))
    records = len(history["pain"]) + len(history["sessions"]) + len(history["corrections"])
    log(f"{records} records, {export.stat().st_size / 1e6:.1f} MB; importing into {store}")
    import_s, import_mb = measure([ptcli, "--db", str(store), "import", str(export)], env)

    commands = {
        "python -c pass": Command([str(python), "-c", "pass"]),
        # Reference, no goal: what any Typer command pays before ptcli's own code runs.
        "python -c 'import typer'": Command([str(python), "-c", "import typer"]),
        **ptcli_commands(ptcli, store, tmp, env),
    }
    entries = [(e["at"], e) for e in history["pain"]] + [(e["at"], e) for e in history["sessions"]]
    peer = peer_commands(sorted(entries, key=lambda pair: pair[0]), tmp) if peers else {}
    commands |= peer.get("commands", {})
    log("warm-up: one run of each command")
    for command in commands.values():
        run_once(command.argv, peer.get("env", {}).get(command.argv[0], env), command.stdin)
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(1, rounds + 1):
        log(f"{years} years: round {round_}/{rounds}")
        order = list(commands) if round_ % 2 else list(reversed(commands))
        for name in order:
            command = commands[name]
            seconds, used = run_once(
                command.argv, peer.get("env", {}).get(command.argv[0], env), command.stdin
            )
            wall[name].append(seconds)
            cpu[name].append(used)
    log(f"{years} years: peak memory, one more run of each")
    peak = {
        name: peak_mb(command.argv, peer.get("env", {}).get(command.argv[0], env), command.stdin)
        for name, command in commands.items()
    }

    timed = cpu if by_cpu else wall  # what the ratios compare
    floor = statistics.median(timed["python -c pass"])
    rows = []
    for name, command in commands.items():
        median = statistics.median(timed[name])
        rows.append(
            {
                "command": name,
                "median_ms": round(statistics.median(wall[name]) * 1000, 1),
                "cpu_ms": round(statistics.median(cpu[name]) * 1000, 1),
                "ratio": round(median / floor, 2),
                "peak_mb": round(peak[name], 1),
                "goal_ratio": command.goal,
                "ok": command.goal is None or median / floor <= command.goal,
            }
        )
    return {
        "years": years,
        "rounds": rounds,
        "measure": "cpu" if by_cpu else "wall",
        "records": records,
        "store_mb": round(sum(f.stat().st_size for f in _store_files(store)) / 1e6, 1),
        "import": {
            "seconds": round(import_s, 2),
            "peak_mb": round(import_mb, 1),
            "goal_s": IMPORT_GOAL_S,
            "ok": import_s < IMPORT_GOAL_S,
        },
        "commands": rows,
        "peers_note": peer.get("note", "peers not measured (--no-peers)"),
        "bulk": bulk_transfers(python, ptcli, store, tmp, env, years) if bulk else [],
    }


def _store_files(store: Path) -> list[Path]:
    """The store's files: its manifest and the months in its ``.parts`` folder beside it."""
    parts = store.with_name(store.name + ".parts")
    months = [path for path in parts.rglob("*") if path.is_file()] if parts.is_dir() else []
    return ([store] if store.exists() else []) + months


def peer_commands(entries: list[tuple[str, dict[str, Any]]], tmp: Path) -> dict[str, Any]:
    """The same day's read and a write in Taskwarrior and jrnl, each holding one entry per
    pain entry and session of the history (ptcli's corrections aside): a completed task
    ("task log"), a journal entry. Each peer that is not installed is skipped, with a note."""
    commands: dict[str, Command] = {}
    envs: dict[str, dict[str, str]] = {}
    notes = []
    task = shutil.which("task")
    if task:
        folder = tmp / "task"
        folder.mkdir()
        rc = folder / "taskrc"
        rc.write_text(f"data.location={folder}\nconfirmation=off\nverbose=nothing\nhooks=off\n")
        lines = []
        for at, entry in entries:
            stamp = datetime.fromisoformat(at).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            lines.append(
                json.dumps(
                    {
                        "uuid": str(uuid.UUID(int=int(entry["id"], 16))),
                        "status": "completed",
                        "description": _words(entry),
                        "entry": stamp,
                        "end": stamp,
                    }
                )
            )
        (folder / "history.json").write_text("\n".join(lines) + "\n")
        env = {**os.environ, "TASKRC": str(rc)}
        subprocess.run(
            [task, "import", str(folder / "history.json")], env=env, check=True, capture_output=True
        )
        for name in ("prone-lying", "mcgill-curl-up", "bird-dog"):  # today's to-do
            subprocess.run(
                [task, "add", name, "due:today"], env=env, check=True, capture_output=True
            )
        envs[task] = env
        commands["task next (Taskwarrior read)"] = Command([task, "next"])
        commands["task log (Taskwarrior write)"] = Command([task, "log", "pain 3 back"])
        notes.append(f"Taskwarrior {_version([task, '--version'], env)}")
    else:
        notes.append("Taskwarrior not installed: skipped (apt-get install taskwarrior)")
    jrnl = shutil.which("jrnl") or os.environ.get("JRNL")
    if jrnl:
        folder = tmp / "jrnl"
        folder.mkdir()
        journal, config = folder / "journal.txt", folder / "jrnl.yaml"
        with journal.open("w") as out:
            for at, entry in entries:
                out.write(f"[{datetime.fromisoformat(at):%Y-%m-%d %H:%M}] {_words(entry)}\n\n")
        config.write_text(JRNL_CONFIG.format(journal=journal))
        envs[jrnl] = {**os.environ, "XDG_CONFIG_HOME": str(folder)}
        read = [jrnl, "--config-file", str(config), "-on", "yesterday"]
        commands["jrnl -on yesterday (jrnl read)"] = Command(read)
        commands["jrnl TEXT (jrnl write)"] = Command(
            [jrnl, "--config-file", str(config), "pain 3 back"]
        )
        notes.append(f"jrnl {_version([jrnl, '--version'], envs[jrnl]).split()[-1]}")
    else:
        notes.append("jrnl not installed: skipped (pip install jrnl, or JRNL=path/to/jrnl)")
    return {"commands": commands, "env": envs, "note": "; ".join(notes)}


JRNL_CONFIG = """\
colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default: {{journal: '{journal}'}}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
"""


def _words(entry: dict[str, Any]) -> str:
    """A record in a few words, as a person would write it in a journal or a task."""
    if "score" in entry:
        return f"pain {entry['score']} {entry['where'] or ''}".strip()
    return f"{entry['exercise']} {entry['sets']}x{entry['reps']}"


def _version(argv: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(argv, env=env, capture_output=True, text=True).stdout.strip()
    return out.split("\n")[0]


def bulk_transfers(
    python: Path, ptcli: str, store: Path, tmp: Path, env: dict[str, str], years: int
) -> list[dict[str, Any]]:
    """The history out (JSON, NDJSON) and back in, and the printed routine, each timed once
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
        f"export json ({years} years)": [*db, "export", "--output", str(tmp / "out.json")],
        f"export ndjson ({years} years)": [*db, "export", "--format", "ndjson"],
        "export ndjson (1 year)": [ptcli, "--db", str(year_store), "export", "--format", "ndjson"],
        f"export fhir ({years} years)": [*db, "export", "--format", "fhir"],
        f"import ndjson ({years} years)": [
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
        seconds, mb = measure(argv, env)
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


def table(results: list[dict[str, Any]]) -> str:
    """The issue's table: a row per command, a column per history size, each cell the
    ratio to the floor and the child's peak memory."""
    sizes = [f"{r['years']} year{'s' if r['years'] != 1 else ''}" for r in results]
    lines = [f"{'command':<34}" + "".join(f"{size:>18}" for size in sizes) + "  goal"]
    lines.append("-" * len(lines[0]))
    by_name = [{row["command"]: row for row in r["commands"]} for r in results]
    for name in by_name[0]:
        cells = []
        goal = by_name[0][name]["goal_ratio"]
        for rows in by_name:
            row = rows[name]
            if name == "python -c pass":
                ms = row["cpu_ms" if results[0]["measure"] == "cpu" else "median_ms"]
                cells.append(f"{ms:.1f} ms {row['peak_mb']:.0f} MB")
            else:
                mark = "" if row["ok"] else "!"
                cells.append(f"{row['ratio']:.1f}x{mark} {row['peak_mb']:.0f} MB")
        label = f"<= {goal:g}x" if goal else ("floor" if name == "python -c pass" else "")
        lines.append(f"{name:<34}" + "".join(f"{cell:>18}" for cell in cells) + f"  {label}")
    lines += ["", "records, store MB, import into an empty store (s, peak MB):"]
    for r in results:
        imp = r["import"]
        lines.append(
            f"  {r['years']:>2} years: {r['records']:,} records, {r['store_mb']} MB; "
            f"import {imp['seconds']:.2f} s, {imp['peak_mb']:.0f} MB"
        )
    lines.append(f"peers: {results[0]['peers_note']}")
    for r in results:
        if r["bulk"]:
            lines += [
                "",
                f"{'bulk (' + str(r['years']) + ' years)':<34} {'seconds':>10} {'peak MB':>8}  goal",
            ]
            for row in r["bulk"]:
                verdict = "PASS" if row["ok"] else "OVER"
                lines.append(
                    f"{row['job']:<34} {row['seconds']:>10.2f} {row['peak_mb']:>8.1f}"
                    f"  < {row['goal_s']:g} s {verdict}"
                )
    lines.append(
        f"\n({results[0]['measure']} time as a ratio to python -c pass in the same run: medians of {results[0]['rounds']} "
        "interleaved rounds; peak: the child's ru_maxrss in one more run; "
        "! marks a ratio over its goal; reported, not asserted)"
    )
    return "\n".join(line.rstrip() for line in lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark ptcli's daily commands by history size."
    )
    parser.add_argument("--years", default="1,10,30", help="history sizes (default 1,10,30)")
    parser.add_argument("--rounds", type=int, default=9, help="timed rounds (default 9)")
    parser.add_argument("--venv", type=Path, help="reuse (or create) this virtualenv")
    parser.add_argument("--no-peers", action="store_true", help="skip Taskwarrior and jrnl")
    parser.add_argument(
        "--bulk", action="store_true", help="also time export, FHIR, the printed routine"
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="ratios of CPU time (user + system of the child) instead of wall time: "
        "steadier on a busy machine",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    try:
        sizes = [int(word) for word in args.years.split(",")]
    except ValueError:
        parser.error("--years takes whole numbers separated by commas, e.g. 1,10")
    if not sizes or min(sizes) < 1:
        parser.error("--years takes whole numbers of 1 or more")
    with tempfile.TemporaryDirectory(prefix="ptcli-bench-") as folder:
        tmp = Path(folder)
        venv = args.venv.resolve() if args.venv else tmp / "venv"
        try:
            prepare_venv(venv)
            results = [
                bench(venv, tmp, years, args.rounds, not args.no_peers, args.bulk, args.cpu)
                for years in sizes
            ]
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
