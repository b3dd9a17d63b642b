"""The patient's terminal (issue 13): today in plain words, rest days listed, pain after a
session said at once, lists that fit 60 columns without splitting a word, help in words."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ptcli.cli.examples import EXAMPLES
from ptcli.domain import wording
from ptcli.domain.engine import build_routine
from ptcli.domain.models import PatientLog, SessionEntry
from ptcli.domain.when import local_day
from tests.conftest import ROOT
from tests.test_engine_properties import BASE, CATALOGUE, DAY, PROPERTY, dosed, logs

WIDTHS = (60, 80, 120)


def seed_ten_days(run: Any, screen_days_ago: int = 1) -> None:
    """Ten days of a patient doing the whole routine each day, easy (pain 2 after), with
    morning pain 3 at the buttock; then this morning's entry."""
    run("init", "--name", "Sam", "--side", "left")
    run("screen", "--no-others", "--at", f"-{screen_days_ago}d")
    for back in range(10, 0, -1):
        day = (date.today() - timedelta(days=back)).isoformat()
        run("pain", "log", "3", "--where", "buttock", "--at", f"{day}T08:00")
        routine = run("routine", "--date", day, "--format", "json").json()
        for exercise in routine["exercises"]:
            logged = run(
                "session", "log", exercise["id"], "--pain-after", "2", "--where-after",
                "buttock", "--at", f"{day}T10:00",
            )  # fmt: skip
            assert logged.code == 0, logged.err
    run("pain", "log", "3", "--where", "buttock")


def at_width(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))


# ------------------------------------------------------------------ today in plain words


def test_an_eight_item_day_fits_25_lines_and_155_words_at_80_columns(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_ten_days(run)
    at_width(monkeypatch, 80)
    routine = run("today", "--json").json()
    assert len(routine["exercises"]) == 8  # seven exercises and a self-massage
    shown = run("today").out
    lines = shown.rstrip("\n").split("\n")
    assert len(lines) <= 25 and len(shown.split()) <= 150, (len(lines), len(shown.split()))
    for exercise in routine["exercises"]:
        assert exercise["name"] in shown
    # Every exercise holds for the same reason: said once under the list, not eight times.
    assert {e["change"] for e in routine["exercises"]} == {"held"}
    changes = re.findall(r"^ +(New|Same|A bit harder|Easier)(: [a-z0-9' -]+)?\. *$", shown, re.M)
    assert changes == [], shown
    assert "\nEvery exercise today: same (needs one more easy session).\n" in shown
    assert "A good day (pain 3/10, buttock): the full programme." in shown
    assert "Stop any exercise that spreads pain down your leg." in shown
    # Levels, rule names, evidence and band names are --explain's.
    for technical in ("Level ", "chain", "[", "GREEN", "AMBER", "1 x ", " s,", "(every 2 to 3"):
        assert technical not in shown, technical
    explained = run("today", "--explain").out
    assert "Level 1 of 5 of" in explained
    assert "[one-easy-session]" in explained and "read: " in explained


def test_an_exercise_resting_today_is_listed_with_the_day_it_comes_back(run: Any) -> None:
    seed_ten_days(run)
    shown = run("today").out
    tomorrow = f"{date.today() + timedelta(days=1):%A}"
    assert re.search(rf"Bottom lifts +rest today \(next: {tomorrow}\)", shown), shown
    assert "dynamic-bridge" not in {e["id"] for e in run("today", "--json").json()["exercises"]}


def test_a_bad_day_is_said_in_words_and_no_band_name_is_shown_alone(run: Any) -> None:
    run("screen", "--no-others")
    run("pain", "log", "5", "--where", "thigh")
    shown = run("today").out
    assert "A harder day (pain 5/10, thigh): gentle exercises, no step up." in shown
    assert "Same: not on a bad day." not in shown or "New" in shown
    assert "AMBER" not in shown and "amber" not in shown
    run("pain", "log", "8", "--where", "calf")
    assert "A bad day (pain 8/10, calf): relief positions" in run("today").out


def test_pain_after_a_session_today_changes_the_headline_at_once_and_not_the_doses(
    run: Any,
) -> None:
    seed_ten_days(run)
    before = run("today", "--json").json()
    logged = run("session", "log", "prone-on-elbows", "--pain-after", "6", "--where-after", "foot")
    assert logged.code == 0
    after = run("today", "--json").json()
    shown = run("today").out
    assert "Pain reached 6/10 after Lying on your elbows today (over 5 is too much)" in shown
    assert "Lying on your elbows made pain spread further down the leg today" in shown
    assert shown.index("Pain reached 6/10") < shown.index("Lying face down")  # above the list
    # The stop rule leaves the exercise out at once; every other dose stays as the day began.
    doses = {e["id"]: (e["sets"], e["reps"], e["hold_s"]) for e in before["exercises"]}
    for exercise in after["exercises"]:
        if exercise["id"] in doses:
            assert doses[exercise["id"]] == (exercise["sets"], exercise["reps"], exercise["hold_s"])
    assert "prone-on-elbows" not in {e["id"] for e in after["exercises"]}
    assert after["band"] == before["band"] == "green"  # pain after never sets the band


@given(logs(), st.lists(st.tuples(dosed, st.integers(0, 10), st.integers(0, 24 * 60 - 1))))
@PROPERTY
def test_sessions_today_never_change_a_dose_and_pain_over_5_after_one_is_said(
    log: PatientLog, done: list[tuple[tuple[str, tuple[int, int, int | None]], int, int]]
) -> None:
    today = tuple(
        SessionEntry(
            f"t{n:02}", BASE + timedelta(minutes=minute, seconds=45), ex, *dose, after, None
        )
        for n, ((ex, dose), after, minute) in enumerate(done)
    )
    later = log._replace(sessions=log.sessions + today)
    first, second = build_routine(CATALOGUE, log, DAY), build_routine(CATALOGUE, later, DAY)
    assert second.band is first.band
    doses = {i.exercise.id: (i.sets, i.reps, i.hold_s, i.times_per_day) for i in first.items}
    for item in second.items:
        if item.exercise.id in doses:
            assert doses[item.exercise.id] == (
                item.sets,
                item.reps,
                item.hold_s,
                item.times_per_day,
            )
    too_painful = {
        s.exercise
        for s in later.sessions
        if local_day(s.at) == DAY and s.pain_after is not None and s.pain_after > 5
    }
    said = [a for a in second.alerts if a.item == "pain-after"]
    if second.status == "ok":
        assert len(said) == len(too_painful)
        for alert in said:
            assert "today (over 5 is too much)" in alert.text


@given(logs())
@PROPERTY
def test_every_exercise_resting_today_is_listed_with_a_day_within_the_week(
    log: PatientLog,
) -> None:
    routine = build_routine(CATALOGUE, log, DAY)
    rests = {o.exercise for o in routine.left_out if o.rule == "rest-day"}
    assert {r.exercise.id for r in routine.resting} == rests
    for rest in routine.resting:
        assert rest.next_day is not None and DAY < rest.next_day <= DAY + timedelta(days=7)


# ------------------------------------------------------------------ doses in words


def test_a_long_hold_is_said_in_minutes_in_every_output(run: Any, tmp_path: Path) -> None:
    run("screen", "--no-others")
    run("pain", "log", "2", "--where", "back")
    run("plan", "set", "walking", "--hold", "1200")
    run("session", "log", "walking", "--hold", "1200", "--pain-after", "1", "--at", "-1d")
    outputs = {
        "today": run("today").out,
        "explain": run("today", "--explain").out,
        "markdown": run("routine", "--format", "markdown").out,
        "history": run("history").out,
        "plan": run("plan", "show").out,
        "plan history": run("plan", "history").out,
        "html": run("routine", "--format", "html").out,
        "ics": run("export", "--format", "ics").out.replace("\r\n ", ""),
    }
    for name, text in outputs.items():
        assert "20 minutes" in text, name
        assert not re.search(r"\b1200 ?s\b|\bx 1 x\b|\bhold 1200\b", text), name


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (45, "45 seconds"), (90, "90 seconds"), (120, "2 minutes"),
     (150, "2 minutes 30 seconds"), (1200, "20 minutes")],
)  # fmt: skip
def test_durations_are_minutes_over_90_seconds(seconds: int, words: str) -> None:
    assert wording.duration(seconds) == words


# ------------------------------------------------------------------ narrow terminals


def tokens(text: str) -> set[str]:
    """The words of a rendering, without table rules and punctuation at their ends."""
    found = set()
    for raw in text.split():
        word = raw.strip(",.;:()[]'\"")
        if re.search(r"\w", word):  # not a table's rule or corner
            found.add(word)
    return found


def screens_at(run: Any, monkeypatch: pytest.MonkeyPatch, columns: int) -> dict[str, str]:
    at_width(monkeypatch, columns)
    answers = "n\n" * 15
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(answers))
    questions = run("screen", "--at", "-1d").out
    return {
        "today": run("today").out,
        "today --explain": run("today", "--explain").out,
        "history": run("history", "--since", "-2d").out,
        "pain list": run("pain", "list", "--since", "-2d").out,
        "catalogue list": run("catalogue", "list").out,
        "plan show": run("plan", "show").out,
        "plan history": run("plan", "history").out,
        "flag list": run("flag", "list", "--all").out,
        "screen": questions,
    }


def test_no_word_is_split_and_no_id_is_cut_at_60_80_and_120_columns(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each narrow rendering uses only words of the same rendering at 1000 columns (where
    nothing wraps): a word split in two ('mcken', 'zie') or an id cut short is a word the
    wide one never had. An ellipsis ('lying-sciat…') is the only cut allowed."""
    seed_ten_days(run)
    run("plan", "set", "lateral-shift-correction", "--per-day", "6")
    run("plan", "set", "seated-sciatic-slider", "--sets", "2", "--reps", "8")
    run("pain", "log", "5", "--flag", "fever", "--note", "a long note about the morning walk")
    wide = {name: tokens(text) for name, text in screens_at(run, monkeypatch, 1000).items()}
    for columns in WIDTHS:
        for name, text in screens_at(run, monkeypatch, columns).items():
            assert max(len(line) for line in text.splitlines()) <= columns, (name, columns)
            for word in tokens(text) - wide[name]:
                if re.fullmatch(r"[0-9a-f]{20}", word):
                    continue  # a whole record id (the screen records a new one each time)
                cut = word.endswith("…") and any(w.startswith(word[:-1]) for w in wide[name])
                assert cut, (name, columns, word, text)


def test_history_and_plan_show_exercise_names(run: Any) -> None:
    run("session", "log", "bird-dog", "--pain-after", "7")
    run("plan", "set", "walking")
    history = run("history").out
    assert "Opposite arm and leg lift: 6 holds of 10 seconds" in history
    assert "after: 7/10" in history
    assert "Walking" in run("plan", "show").out


def test_pain_scores_are_coloured_by_band_and_not_with_no_color(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("pain", "log", "2")
    run("pain", "log", "8")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)  # a terminal
    plain = run("pain", "list").out  # NO_COLOR is set by the tests: bold at most
    assert "2/10" in plain and not re.search(r"\x1b\[[0-9;]*3[0-7]m", plain)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")
    for args in (("pain", "list"), ("history",)):
        shown = run(*args).out
        assert "\x1b[1;32m2/10" in shown and "\x1b[1;31m8/10" in shown, args  # green, red


# ------------------------------------------------------------------ help


def test_the_top_help_groups_the_commands() -> None:
    from tests.conftest import run_process

    shown = run_process("--help").stdout
    groups = re.findall(r"^(\w+) commands:\n((?:  .*\n)+)", shown, re.M)
    listed = {group: [line.split()[0] for line in rows.splitlines()] for group, rows in groups}
    assert listed == {
        "Start": ["init", "profile"],
        "Daily": [
            *("today", "pain", "session", "history"),
            *("appointment", "learn", "assess", "progress", "measure"),
        ],
        "Safety": ["screen", "flag"],
        "Therapist": ["plan", "routine", "report", "catalogue", "patients"],
        "Data": ["export", "import", "push"],
        "Mistakes": ["delete", "undo", "db"],
    }
    assert "Examples:\n    ptcli pain log 4 --where thigh" in shown


def every_command(run: Any) -> list[str]:
    top = run("--help").out
    paths = []
    for name in re.findall(r"^  (\w+)  ", top, re.M):
        sub = run(name, "--help").out
        subcommands = re.findall(r"^  (\w+)  ", sub.split("Commands:")[-1], re.M)
        paths += [f"{name} {s}" for s in subcommands] if "Commands:" in sub else [name]
    return paths


def test_every_command_s_help_has_examples_that_run(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import shlex

    paths = every_command(run)
    assert len(paths) >= 20 and set(paths) == set(EXAMPLES)
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "exercises.yaml", tmp_path / "my-exercises.yaml")
    for path, examples in EXAMPLES.items():
        shown = run(*path.split(), "--help").out
        for example in examples:
            assert f"    {example}\n" in shown, (path, example)
            if path == "session start":
                example += " --pace 0"
            monkeypatch.setattr("sys.stdin", io.StringIO("3\nbuttock\n" + "\n" * 40 + "n\n" * 15))
            result = run(*shlex.split(example)[1:])
            assert result.code == 0, (example, result.err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["session", "log", "walking", "--sets", "0"], "ptcli: --sets must be 1 or more\n"),
        (["plan", "set", "walking", "--per-day", "0"], "ptcli: --per-day must be 1 or more\n"),
        (["routine", "--format", "pdf", "--weeks", "13"], "ptcli: --weeks must be from 1 to 12\n"),
        (["today", "--db", "x.json"], "ptcli: --db goes before the command: ptcli --db FILE COMMAND ...\n"),
        (["history", "--debug"], "ptcli: --debug goes before the command: ptcli --debug COMMAND ...\n"),
    ],
)  # fmt: skip
def test_usage_errors_are_said_in_words(run: Any, args: list[str], message: str) -> None:
    result = run(*args)
    assert (result.code, result.out, result.err) == (2, "", message)


def test_every_option_s_value_is_named_in_one_style(run: Any) -> None:
    """Metavars are upper-case names (SCORE, LOC, WHEN, FORMAT...): choices are listed in
    the help text, never as '<a|b>' or '[a|b]' in one place and a name in another."""
    for path in [*every_command(run), ""]:
        shown = run(*path.split(), "--help").out.split("Options:\n")[1].split("\n\n")[0]
        options = re.findall(r"^  (?:-\w, )?(--[\w-]+(?: / --[\w-]+)?)( \S+)?", shown, re.M)
        for option, metavar in options:
            if metavar:
                assert re.fullmatch(r" [A-Z]+", metavar), (path, option, metavar)


def test_help_says_ranges_in_words(run: Any) -> None:
    assert "[1 or more]" in " ".join(run("plan", "set", "--help").out.split())
    assert "from 1 to 12]" in " ".join(run("routine", "--help").out.split())
    for path in every_command(run):
        assert "x>=" not in run(*path.split(), "--help").out, path


def test_the_why_words_quote_the_pain_monitoring_limits() -> None:
    """The words are typed (``pain log`` does not load the monitoring model): they must
    still say its numbers."""
    from ptcli.domain.monitoring import ACCEPTABLE, EASY
    from ptcli.render.words import WHY

    assert WHY["acceptable"] == f"pain after was {EASY + 1}-{ACCEPTABLE}"
    assert WHY["too-painful"] == f"pain after was over {ACCEPTABLE}"


def test_long_lines_of_corrections_and_db_wrap_at_spaces_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``db check`` names the store's path: wrapped on a narrow terminal, never cut."""
    import os
    import sys

    from ptcli.cli.corrections import say

    path = "/home/sam/" + "a-very-long-folder-name" * 3 + "/ptcli.json"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda *a: os.terminal_size((60, 24)))
    say(f"{path} is sound: 3 pain entries, 0 sessions.", 4)
    shown = capsys.readouterr().out
    assert path in shown.split() and len(shown.splitlines()) > 1
