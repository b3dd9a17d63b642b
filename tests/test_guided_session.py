"""ptcli session start, driven as a person would: through a pseudo-terminal (pexpect), and
from a pipe as a script would. Each test checks the store afterwards through the CLI
(``history --json``, ``export --format json``, ``today --json``), not only the screen.

``--pace 0`` removes the waiting; a key that must land during an exercise uses a small
pace, or a real-time pace and Enter to end each phase at once. The prompts are the
runner's own words (ptcli.cli.guide).
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pexpect  # type: ignore[import-untyped]  # no stubs; mypy covers src/ only
import pytest

from tests.conftest import run_process

PLACES = "none/back/side/buttock/thigh/calf/foot"
START = "Enter to start, s to skip, q to finish: "
PAIN = "Pain now, 0-10: "  # the check-in with no pain logged today: no default
WHERE = f"Where does it reach ({PLACES}): "
# An exercise's heading (bold on a colour terminal), not the live panel's title
EXERCISE = re.compile(r"\n(?:\x1b\[[0-9;]*m)*Exercise \d+ of \d+: ([^\r\n\x1b]+)")
WHERE_NOW = re.compile(r"Where is the pain now \([a-z/]+\)(?: \[[^\]\r\n]*\])?: ")
PAIN_AT_END = re.compile(r"Pain now, 0-10 \[\d+\]: ")
WHERE_AT_END = re.compile(r"Where does it reach \([a-z/]+\)(?: \[[^\]\r\n]*\])?: ")
BEL = "\x07"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and bold
BOX = re.compile("[\u2500-\u259f]")  # box drawing and blocks: the live panel and its bar
KEY_HELP = "Enter next · s skip · p pause · q finish early · Ctrl-C stop"


class Session:
    """One ``ptcli session start`` on a pseudo-terminal, and everything it showed."""

    def __init__(self, args: tuple[str, ...], pace: str, colour: bool) -> None:
        env = dict(os.environ)  # the autouse fixture's store and folders, COLUMNS, NO_COLOR
        env["TERM"] = "xterm-256color"
        if colour:
            env.pop("NO_COLOR", None)
        self.screen = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "ptcli", "session", "start", "--pace", pace, *args],
            env=env,
            encoding="utf-8",
            timeout=30,
            dimensions=(40, 120),
        )
        self.child.logfile_read = self.screen

    @property
    def text(self) -> str:
        return self.screen.getvalue()

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)

    def answer(self, prompt: str | re.Pattern[str], line: str) -> None:
        if isinstance(prompt, str):
            self.child.expect_exact(prompt)
        else:
            self.child.expect(prompt)
        self.child.sendline(line)

    def check_in(self, pain: str = "4", where: str = "thigh") -> None:
        self.answer(PAIN, pain)
        self.answer(WHERE, where)

    def go_through(
        self,
        choices: dict[str, str] | None = None,
        where_now: dict[str, str] | None = None,
        end: tuple[str, str] = ("", ""),
    ) -> list[str]:
        """Answer each exercise's prompt and McKenzie question, then the check-out.

        ``choices`` and ``where_now`` by exercise name (default: Enter); ``end`` the
        pain and where at the check-out. Returns the exercises offered, in order.
        """
        offered: list[str] = []
        while True:
            found = self.child.expect([EXERCISE, WHERE_NOW, PAIN_AT_END, pexpect.EOF])
            if found == 0:
                offered.append(self.child.match.group(1))
                self.answer(START, (choices or {}).get(offered[-1], ""))
            elif found == 1:
                self.child.sendline((where_now or {}).get(offered[-1], ""))
            elif found == 2:
                self.child.sendline(end[0])
                self.answer(WHERE_AT_END, end[1])
                return offered
            else:
                raise AssertionError(f"the session ended before its check-out:\n{self.text}")

    def finish(self) -> int:
        """Wait for the end; the exit status."""
        self.child.expect(pexpect.EOF)
        self.child.close()
        status: int = self.child.exitstatus
        return status

    def close(self) -> None:
        self.child.close(force=True)


@pytest.fixture
def spawn() -> Iterator[Callable[..., Session]]:
    """Start guided sessions on a pseudo-terminal; every child is closed at the end."""
    started: list[Session] = []

    def start(*args: str, pace: str = "0", colour: bool = False) -> Session:
        started.append(Session(args, pace, colour))
        return started[-1]

    try:
        yield start
    finally:
        for session in started:
            session.close()


def sessions(run: Any) -> list[dict[str, Any]]:
    return [r for r in run("history", "--json").json() if r["type"] == "session"]


def pain(run: Any) -> list[dict[str, Any]]:
    return [r for r in run("history", "--json").json() if r["type"] == "pain"]


def check_in_and_out(run: Any) -> dict[str, tuple[int, str | None]]:
    """The pain entries by note ("before/after a guided session"): (score, where)."""
    entries = [e for e in pain(run) if "guided session" in (e["note"] or "")]
    notes = [e["note"] for e in entries]
    assert len(notes) == len(set(notes)), notes
    return {e["note"]: (e["score"], e["where"]) for e in entries}


def holds(entry: dict[str, Any], per_side: bool) -> int:
    from ptcli.domain.guide import phases

    timeline = phases(entry["sets"], entry["reps"], entry["hold_s"], per_side)
    return sum(1 for phase in timeline if phase.kind == "hold")


def in_order(text: str, lines: list[str]) -> None:
    """Each line appears in ``text``, in this order."""
    at = 0
    for line in lines:
        found = text.find(line, at)
        assert found >= 0, f"{line!r} not found after position {at} in:\n{text}"
        at = found + len(line)


# 1-2. Today's routine from start to end


def test_a_full_session_saves_each_exercise_of_todays_routine_once(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    run("pain", "log", "4", "--where", "thigh")  # the check-in repeats it: the same routine
    routine = run("today", "--json").json()["exercises"]
    assert len(routine) >= 3

    s = spawn()
    s.answer("Pain now, 0-10 [4]: ", "")  # today's pain is the default
    s.answer(f"Where does it reach ({PLACES}) [thigh]: ", "")
    offered = s.go_through(end=("2", "back"))
    assert s.finish() == 0

    assert offered == [e["name"] for e in routine]
    assert "safety questions" not in s.text  # answered by the screen two lines up
    assert "Session summary:" in s.text
    assert f"Saved {len(routine)} exercises to your log." in s.text
    done = sessions(run)
    assert [e["exercise"] for e in done] == [e["id"] for e in routine]
    assert len({e["id"] for e in done}) == len(done)
    for entry, item in zip(done, routine, strict=True):
        assert (entry["sets"], entry["reps"], entry["hold_s"]) == (
            item["sets"],
            item["reps"],
            item["hold_s"],
        )
        assert "partial" not in entry
        assert entry["pain_after"] == 2
        # "where" after an exercise comes only from the McKenzie question (Enter: unchanged)
        assert entry["where_after"] == ("thigh" if item["category"] == "mckenzie" else None)
    assert check_in_and_out(run) == {
        "before a guided session": (4, "thigh"),
        "after a guided session": (2, "back"),
    }
    marked = {e["note"]: e.get("after_exercise", False) for e in pain(run) if e["note"]}
    assert marked == {"before a guided session": False, "after a guided session": True}
    exported = run("export", "--format", "json").json()
    assert [e["id"] for e in exported["sessions"]] == [e["id"] for e in done]


def test_an_exercise_skipped_at_its_prompt_is_not_saved(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    run("pain", "log", "4", "--where", "thigh")
    routine = run("today", "--json").json()["exercises"]
    skipped = routine[1]

    s = spawn()
    s.answer("Pain now, 0-10 [4]: ", "")
    s.answer(f"Where does it reach ({PLACES}) [thigh]: ", "")
    offered = s.go_through(choices={skipped["name"]: "s"}, end=("3", ""))
    assert s.finish() == 0

    assert offered == [e["name"] for e in routine]  # the ones after it are still offered
    assert f"  - {skipped['name']}: skipped" in s.text
    assert [e["exercise"] for e in sessions(run)] == [
        e["id"] for e in routine if e["id"] != skipped["id"]
    ]
    assert all(e["pain_after"] == 3 for e in sessions(run))


# 3. Keys during an exercise


def test_s_during_the_second_set_saves_the_first_as_partial(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("lying-sciatic-slider", pace="0.05")  # 2 sets of 10; set 1 ends after 1.65 s
    s.check_in()
    s.answer(START, "")
    s.expect("Set 1 of 2: done")
    s.expect("Rest")  # announced once set 1 is saved
    s.child.send("s")
    s.answer(PAIN_AT_END, "3")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0

    assert "Set 2 of 2: done" not in s.text
    assert "Nerve glide lying down: 10 repetitions (1 of 2 sets: partial)" in s.text
    [entry] = sessions(run)
    assert (entry["exercise"], entry["sets"], entry["partial"]) == ("lying-sciatic-slider", 1, True)
    assert entry["pain_after"] == 3
    table = run("history").out
    assert "partial" in table
    assert "Nerve glide lying down" in table  # history names the exercise


def test_q_during_an_exercise_finishes_early_keeping_its_sets(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("lying-sciatic-slider", "mcgill-curl-up", pace="1")  # real time: keys move it on
    s.check_in()
    s.answer(START, "")
    s.expect("Get ready")  # keys are read from here on
    s.child.send("\r" * 11)  # Enter ends the count-in and each of the 10 repetitions
    s.expect("Set 1 of 2: done")
    s.expect("Rest")
    s.child.send("q")
    s.expect("Finishing early.")
    s.answer(PAIN_AT_END, "3")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0

    assert "Small curl-up" not in s.text.split("Finishing early.")[1]
    assert "Nerve glide lying down: 10 repetitions (1 of 2 sets: partial)" in s.text
    [entry] = sessions(run)
    assert (entry["exercise"], entry["sets"], entry["partial"]) == ("lying-sciatic-slider", 1, True)
    assert entry["pain_after"] == 3


def test_a_hold_ended_early_with_enter_is_logged_as_long_as_it_lasted(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("prone-lying", pace="1")  # one 2-minute hold, in real time
    s.check_in()
    s.answer(START, "")
    s.expect("Get ready")
    s.child.send("\r")  # end the count-in
    s.expect("Hold")
    time.sleep(2)
    s.child.send("\r")  # end the hold after about 2 seconds
    s.answer(WHERE_NOW, "")
    s.answer(PAIN_AT_END, "")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0
    [entry] = sessions(run)
    assert 1 <= entry["hold_s"] <= 10, entry  # not the 120 seconds prescribed
    assert "partial" not in entry  # the set was done, only shorter


def test_p_pauses_the_clock_until_p_or_enter(spawn: Callable[..., Session], run: Any) -> None:
    run("screen", "--no-others")
    s = spawn("lying-sciatic-slider", pace="0.02")  # set 1 would end after 0.66 s
    s.check_in()
    s.answer(START, "")
    s.expect("Get ready")
    s.child.send("p")
    s.expect("Paused")
    with pytest.raises(pexpect.TIMEOUT):
        s.child.expect_exact("Set 1 of 2: done", timeout=1.5)
    assert sessions(run) == []
    s.child.send("\r")  # Enter goes on (and does not end the repetition it paused)
    s.expect("Set 1 of 2: done")
    s.expect("Set 2 of 2: done")
    s.answer(PAIN_AT_END, "")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0
    [entry] = sessions(run)
    assert (entry["sets"], "partial" in entry) == (2, False)


# 4. The stop rule in the middle of a session


def test_pain_spreading_after_a_mckenzie_exercise_stops_its_direction_at_once(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    catalogue = {e["id"]: e for e in run("catalogue", "list", "--json").json()}
    # A level above the one reached would be refused (level-ahead): the other exercise in
    # the same direction is standing extension, first of its own chain.
    first, harder, other = "prone-lying", "standing-extension", "lying-sciatic-slider"
    assert catalogue[first]["direction"] == catalogue[harder]["direction"] == "extension"
    assert catalogue[first]["chain"] != catalogue[harder]["chain"]
    assert catalogue[other]["direction"] == "neutral"

    s = spawn(first, harder, other)
    s.check_in(pain="4", where="thigh")  # amber: all three suit it
    s.answer(START, "")
    s.answer(WHERE_NOW, "calf")
    s.expect("Stop: the pain spread further down your leg (to the calf) after Lying face down.")
    s.expect(f"  Left out: {catalogue[harder]['name']}")
    answered = int(time.time())  # "calf" is saved by now
    s.expect(f"Exercise 2 of 2: {catalogue[other]['name']}")
    s.answer(START, "")
    s.expect("All done.")
    while int(time.time()) == answered:  # the check-out in a later second: see the next test
        time.sleep(0.02)
    s.answer(PAIN_AT_END, "3")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0

    assert catalogue[harder]["name"] not in s.text.split("Left out:")[1].split("\n", 1)[1]
    assert "Lying face down: 2 minutes; pain spread" in s.text
    done = {e["exercise"]: e for e in sessions(run)}
    assert set(done) == {first, other}
    assert done[first]["where_after"] == "calf"
    assert done[other]["where_after"] is None
    today = run("today", "--json").json()
    assert first not in [e["id"] for e in today["exercises"]]
    assert "pain spread" in {e["id"]: e["why"] for e in today["left_out"]}[first]


def test_a_spread_answered_in_the_last_second_of_a_session_still_counts(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ptcli import services

    run("screen", "--no-others")
    monkeypatch.setattr(services.Workspace, "clock", lambda self: self.now)  # within a second
    monkeypatch.setattr(sys, "stdin", io.StringIO("4\nthigh\n\ncalf\n\n\n"))  # README's example
    result = run("session", "start", "prone-lying", "--pace", "0")
    assert result.code == 0
    assert "Stop: the pain spread further down your leg" in result.out
    assert [e["where_after"] for e in sessions(run)] == ["calf"]
    today = run("today", "--json").json()
    assert "prone-lying" not in [e["id"] for e in today["exercises"]]


# 5. Ctrl-C


def test_ctrl_c_after_the_first_set_keeps_it_once_and_a_new_session_adds_another(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("lying-sciatic-slider", pace="0.05")
    s.check_in()
    s.answer(START, "")
    s.expect("Set 1 of 2: done")
    s.expect("Rest")  # set 1 is saved before the rest is announced
    s.child.sendintr()
    s.expect("Session stopped.")
    assert s.finish() == 130
    assert "Nerve glide lying down: 10 repetitions (1 of 2 sets: partial)" in s.text
    assert "Saved 1 exercise to your log." in s.text
    assert "Set 2 of 2: done" not in s.text
    assert "All done" not in s.text  # no check-out after Ctrl-C
    [stopped] = sessions(run)
    assert (stopped["sets"], stopped["partial"], stopped["pain_after"]) == (1, True, None)

    again = spawn("lying-sciatic-slider")
    again.answer("Pain now, 0-10 [4]: ", "")
    again.answer(f"Where does it reach ({PLACES}) [thigh]: ", "")
    again.go_through(end=("3", ""))
    assert again.finish() == 0
    first, second = sessions(run)
    assert first == stopped  # untouched
    assert second["id"] != first["id"]
    assert (second["sets"], "partial" in second, second["pain_after"]) == (2, False, 3)


def test_a_closed_terminal_keeps_the_sets_done(spawn: Callable[..., Session], run: Any) -> None:
    """The terminal goes away mid-exercise (SIGHUP, then pexpect's harder signals)."""
    run("screen", "--no-others")
    s = spawn("lying-sciatic-slider", pace="0.05")
    s.check_in()
    s.answer(START, "")
    s.expect("Set 1 of 2: done")
    s.expect("Rest")
    s.child.close(force=True)
    assert not s.child.isalive()
    [kept] = sessions(run)
    assert (kept["sets"], kept["partial"]) == (1, True)
    assert run("history").code == 0  # the store reads cleanly


def test_ctrl_c_says_interrupted_on_stderr(spawn: Callable[..., Session], run: Any) -> None:
    run("screen", "--no-others")
    s = spawn("lying-sciatic-slider")
    s.check_in()
    s.expect(START)
    s.child.sendintr()
    assert s.finish() == 130
    assert "Session stopped." in s.text
    assert "ptcli: interrupted" in s.text  # stderr shares the terminal


# 6. From a pipe


def test_a_piped_session_reads_one_answer_per_question_in_order(run: Any) -> None:
    run("screen", "--no-others")
    answers = ["11", "5", "knee", "thigh", "", "buttock", "s", "3", "back"]
    done = run_process(
        "session",
        "start",
        "prone-lying",
        "lying-sciatic-slider",
        "--pace",
        "0",
        input="\n".join(answers) + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert "\x1b" not in out
    assert BEL not in out
    assert not BOX.search(out)
    in_order(
        out,
        [
            "Pain now, 0-10: 11\n",
            "Please type a whole number from 0 to 10.\n",
            "Pain now, 0-10: 5\n",
            f"Where does it reach ({PLACES}): knee\n",
            "Please type one of: none, back, side, buttock, thigh, calf, foot.\n",
            f"Where does it reach ({PLACES}): thigh\n",
            "Exercise 1 of 2: Lying face down\n",
            f"{START}\n",
            "Set 1 of 1: done",
            f"Where is the pain now ({PLACES}) [Enter: unchanged, thigh]: buttock\n",
            "Exercise 2 of 2: Nerve glide lying down\n",
            f"{START}s\n",
            "Pain now, 0-10 [5]: 3\n",
            f"Where does it reach ({PLACES}) [Enter: unchanged, buttock]: back\n",
            "Session summary:\n",
            "  - Lying face down: 2 minutes\n",
            "  - Nerve glide lying down: skipped\n",
        ],
    )
    [entry] = sessions(run)
    assert (entry["exercise"], entry["where_after"], entry["pain_after"]) == (
        "prone-lying",
        "buttock",
        3,
    )
    assert check_in_and_out(run) == {
        "before a guided session": (5, "thigh"),
        "after a guided session": (3, "back"),
    }


def test_the_end_of_input_takes_each_default(run: Any) -> None:
    run("screen", "--no-others")
    done = run_process(
        "session", "start", "lying-sciatic-slider", "--pace", "0", input="4\nthigh\n"
    )
    assert done.returncode == 0, done.stderr
    assert "Session summary:" in done.stdout
    [entry] = sessions(run)
    assert (entry["sets"], "partial" in entry, entry["pain_after"]) == (2, False, 4)
    assert check_in_and_out(run)["after a guided session"] == (4, "thigh")


def test_no_pain_score_at_the_end_of_input_starts_nothing(run: Any, db: Path) -> None:
    run("screen", "--no-others")
    before = db.read_bytes()
    done = run_process("session", "start", "--pace", "0", input="")
    assert done.returncode == 2
    assert done.stderr.startswith("ptcli: ") and done.stderr.count("\n") == 1
    assert db.read_bytes() == before


def test_an_emergency_answer_at_the_check_in_stops_before_any_exercise(run: Any) -> None:
    from ptcli.domain.safety import EMERGENCY, ITEMS

    questions = [item.id for item in ITEMS.values() if item.level == EMERGENCY]
    assert len(questions) == 6
    yes_no = ["y" if item == "bladder" else "n" for item in questions]
    done = run_process(
        "session", "start", "--pace", "0", input="\n".join(["6", "calf", *yes_no]) + "\n"
    )
    assert done.returncode == 3  # stopped for safety: the emergency panel, not an error
    assert done.stderr.startswith(
        "ptcli: EMERGENCY (stopped for safety): You reported a change in bladder control."
    )
    assert "Seek emergency care now" in done.stderr
    assert "A few safety questions first" in done.stdout
    assert "EMERGENCY: a change in bladder control. Seek emergency care now" in done.stdout
    assert done.stdout.count("[y/n] ") == 6
    assert "Exercise 1 of" not in done.stdout

    flags = run("flag", "list", "--json").json()["flags"]
    assert [(f["item"], f["active"]) for f in flags] == [("bladder", True)]
    exported = run("export", "--format", "json").json()
    assert exported["sessions"] == []
    [check_in] = exported["pain"]
    assert (check_in["score"], check_in["where"], check_in["note"]) == (
        6,
        "calf",
        "before a guided session",
    )
    [screen] = exported["screens"]
    assert screen["yes"] == ["bladder"]
    assert sorted(screen["no"]) == sorted(set(questions) - {"bladder"})


def test_the_emergency_questions_are_not_asked_again_within_a_week(run: Any) -> None:
    first = run_process(
        "session", "start", "lying-sciatic-slider", "--pace", "0", input="4\nthigh\n" + "n\n" * 6
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("[y/n] ") == 6
    second = run_process("session", "start", "lying-sciatic-slider", "--pace", "0", input="\n\n")
    assert second.returncode == 0, second.stderr
    assert "[y/n]" not in second.stdout
    assert len(sessions(run)) == 2


# 7. A named exercise that today's pain does not allow


def test_a_named_exercise_not_for_todays_band_is_refused_after_the_check_in(
    run: Any, db: Path
) -> None:
    run("screen", "--no-others")
    catalogue = {e["id"]: e for e in run("catalogue", "list", "--json").json()}
    assert "red" not in catalogue["goblet-squat"]["bands"]
    before = db.read_bytes()
    done = run_process("session", "start", "goblet-squat", "--pace", "0", input="8\ncalf\n")
    assert done.returncode == 2
    assert f"Where does it reach ({PLACES}): calf" in done.stdout  # asked first: pain 8 is red
    assert "Exercise 1 of" not in done.stdout
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("ptcli: goblet-squat is not for today")
    assert "red" in done.stderr
    assert db.read_bytes() == before  # not even the check-in


# 8. What the terminal shows


def test_the_live_panel_on_a_colour_terminal(spawn: Callable[..., Session], run: Any) -> None:
    run("screen", "--no-others")
    s = spawn("abdominal-brace", pace="0.01", colour=True)  # 10 holds of 10 s: 1.3 s
    s.check_in()
    s.answer(START, "")
    s.answer(PAIN_AT_END, "")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0

    assert SGR.search(s.text)  # colour is on
    shown = SGR.sub("", s.text)
    assert "╭─ Exercise 1 of 1: Tummy muscle tightening " in shown  # the panel's title
    assert "Get ready  0:03" in shown
    assert re.search(r"Hold 1 of 10  0:(10|09)", shown)
    assert "Relax  0:0" in shown
    assert re.search(r"━+ session \d+%", shown)
    assert KEY_HELP in shown
    [entry] = sessions(run)
    assert s.text.count(BEL) == holds(entry, per_side=False) == 10  # one at the end of each hold
    assert "Done: 10 holds of 10 seconds." in shown


def test_quiet_rings_no_bell(spawn: Callable[..., Session], run: Any) -> None:
    run("screen", "--no-others")
    s = spawn("abdominal-brace", "--quiet", colour=True)
    s.check_in()
    s.go_through()
    assert s.finish() == 0
    assert BEL not in s.text
    assert len(sessions(run)) == 1


def test_no_color_on_a_terminal_is_plain_lines_with_the_bell(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("abdominal-brace", "side-bridge-knees")  # NO_COLOR=1 from the autouse fixture
    s.check_in()
    s.go_through()
    assert s.finish() == 0

    assert "\x1b" not in s.text  # no colour, no cursor movement
    assert not BOX.search(s.text)
    in_order(
        s.text,
        [
            "Exercise 1 of 2: Tummy muscle tightening",
            "Set 1 of 1: done",
            "Exercise 2 of 2: Side plank on knees",
            "Now the other side: right",
            "Set 1 of 1: done",
        ],
    )
    brace, bridge = sessions(run)
    assert s.text.count(BEL) == holds(brace, per_side=False) + holds(bridge, per_side=True)
