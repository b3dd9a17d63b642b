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
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pexpect  # type: ignore[import-untyped]  # no stubs; mypy covers src/ only
import pytest

from tests.conftest import run_process

PLACES = "none/back/side/buttock/thigh/calf/foot"
START = "Enter to start, s skip, q finish: "  # one key on a terminal, a line from a pipe
PAIN = "Pain now, 0-10 (Enter: skip): "  # the check-in with no pain logged today
WHERE = f"Where does it reach ({PLACES}): "
# An exercise's heading (bold on a colour terminal), not the live panel's title
EXERCISE = re.compile(r"\n(?:\x1b\[[0-9;]*m)*Exercise \d+ of \d+: ([^\r\n\x1b]+)")
# On a terminal a prompt longer than the line wraps at spaces
WHERE_NOW = re.compile(r"Where is the pain now\s+\([a-z/]+\)(?:\s+\[[^\]]*\])?: ")
PAIN_AT_END = re.compile(r"Pain now, 0-10 \[\d+\]: ")
WHERE_AT_END = re.compile(r"Where does it reach\s+\([a-z/]+\)(?:\s+\[[^\]]*\])?: ")
BEL = "\x07"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and bold
BOX = re.compile("[\u2500-\u259f]")  # box drawing and blocks: the live panel and its bar
KEY_HELP = "Enter next · s skip · p pause · q finish early · Ctrl-C stop"
PAUSED_HELP = "p go on · s skip · q finish early · Ctrl-C stop"
COLUMNS = 80  # a common terminal: every guided session here runs at 80 columns


class Session:
    """One ``ptcli session start`` on a pseudo-terminal, and everything it showed."""

    def __init__(self, args: tuple[str, ...], pace: str, colour: bool) -> None:
        env = dict(os.environ)  # the autouse fixture's store and folders, COLUMNS, NO_COLOR
        env["TERM"] = "xterm-256color"
        env["COLUMNS"] = str(COLUMNS)
        if colour:
            env.pop("NO_COLOR", None)
        self.screen = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "ptcli", "session", "start", "--pace", pace, *args],
            env=env,
            encoding="utf-8",
            timeout=30,
            dimensions=(30, COLUMNS),
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

    def choose(self, key: str = "") -> None:
        """At "Enter to start, s skip, q finish": one key, no Enter after it."""
        self.child.expect_exact(START)
        self.child.send(key or "\r")

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
                self.choose((choices or {}).get(offered[-1], ""))
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
    assert "Kept today's entry: 4/10, reaching the thigh." in s.text
    assert "Session summary:" in s.text
    assert f"Saved {len(routine)} exercises to your log." in s.text
    assert "Pain: 4/10 before, 2/10 after: less than before (thigh before, back after)." in (
        " ".join(s.text.split())
    )
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
    # Enter kept today's entry: no check-in of its own, one check-out
    assert check_in_and_out(run) == {"after a guided session": (2, "back")}
    assert len(pain(run)) == 2
    marked = {e["note"]: e.get("after_exercise", False) for e in pain(run) if e["note"]}
    assert marked == {"after a guided session": True}
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
    s.choose()
    s.expect("Set 1 of 2: done")
    s.expect("Rest")  # announced once set 1 is saved
    s.child.send("s")
    s.answer(PAIN_AT_END, "3")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0

    assert "Set 2 of 2: done" not in s.text
    assert "Nerve glide lying down: 1 of 2 sets of 10 repetitions (partial)" in s.text
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
    s.choose()
    s.expect("Get ready")  # keys are read from here on
    s.child.send("\r" * 11)  # Enter ends the count-in and each of the 10 repetitions
    s.expect("Set 1 of 2: done")
    s.expect("Rest")
    s.child.send("q")
    s.expect("Finishing early.")
    s.answer(PAIN_AT_END, "3")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0

    after = s.text.split("Finishing early.")[1]
    assert "Exercise 2 of 2" not in after  # not offered
    assert "That is it for today. How is your pain now?" in after
    assert "  - Small curl-up: not done" in after  # but the summary says so
    assert "Nerve glide lying down: 1 of 2 sets of 10 repetitions (partial)" in s.text
    [entry] = sessions(run)
    assert (entry["exercise"], entry["sets"], entry["partial"]) == ("lying-sciatic-slider", 1, True)
    assert entry["pain_after"] == 3


def test_a_hold_ended_early_with_enter_is_logged_as_long_as_it_lasted(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("prone-lying", pace="1")  # one 2-minute hold, in real time
    s.check_in()
    s.choose()
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


def test_p_pauses_the_clock_until_p_and_enter_does_nothing_meanwhile(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("lying-sciatic-slider", pace="0.02")  # set 1 would end after 0.66 s
    s.check_in()
    s.choose()
    s.expect("Get ready")
    s.child.send("p")
    s.expect(f"Paused: {PAUSED_HELP}.")  # no "Enter next" while paused
    s.child.send("\r\r")  # Enter neither goes on nor ends anything
    with pytest.raises(pexpect.TIMEOUT):
        s.child.expect_exact("Set 1 of 2", timeout=1.5)
    assert sessions(run) == []
    s.child.send("p")  # p goes on
    s.expect("Set 1 of 2: done")
    s.expect("Set 2 of 2: done")
    s.answer(PAIN_AT_END, "")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0
    [entry] = sessions(run)
    assert (entry["sets"], entry["reps"], "partial" in entry) == (2, 10, False)


def test_the_key_that_ends_a_pause_never_ends_the_hold(
    spawn: Callable[..., Session], run: Any
) -> None:
    """The live panel at 80 columns: paused, its footer offers no Enter; Enter pressed then
    (the patient's extra Enter) and p to go on leave the 2-minute hold to run its time."""
    run("screen", "--no-others")
    s = spawn("prone-lying", pace="0.02", colour=True)  # 2 minutes: 2.4 s
    s.check_in()
    s.choose()
    s.child.expect(r"Hold(?:\x1b\[[0-9;]*m)* +1:[0-4]\d")  # well into the hold
    s.child.send("p")
    s.expect("Paused: press p to go on")
    s.expect(PAUSED_HELP)
    s.child.send("\r")
    time.sleep(0.5)
    s.child.send("p")
    s.answer(WHERE_NOW, "")
    s.answer(PAIN_AT_END, "")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0
    paused = SGR.sub("", s.text).split("Paused: press p to go on", 1)[1].split("╰", 1)[0]
    assert "Enter" not in paused and PAUSED_HELP in paused
    [entry] = sessions(run)
    assert (entry["hold_s"], "partial" in entry) == (120, False)  # the whole 2 minutes


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
    s.choose()
    s.answer(WHERE_NOW, "calf")
    s.expect("Stop: the pain spread further down your leg (to the calf) after Lying face down.")
    s.expect(f"  Left out: {catalogue[harder]['name']}")
    answered = int(time.time())  # "calf" is saved by now
    s.expect(f"Exercise 2 of 2: {catalogue[other]['name']}")
    s.choose()
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
    s.choose()
    s.expect("Set 1 of 2: done")
    s.expect("Rest")  # set 1 is saved before the rest is announced
    s.child.sendintr()
    s.expect("Session stopped.")
    assert s.finish() == 130
    assert "Nerve glide lying down: 1 of 2 sets of 10 repetitions (partial)" in s.text
    assert "Saved 1 exercise to your log (1 stopped part way" in s.text
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
    s.choose()
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
            "Pain now, 0-10 (Enter: skip): 11\n",
            "Please type a whole number from 0 to 10.\n",
            "Pain now, 0-10 (Enter: skip): 5\n",
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
    # The emergency panel's words on stderr, a line each (stdout stays the session's own)
    assert done.stderr.splitlines() == [
        "ptcli: EMERGENCY (stopped for safety): You reported a change in bladder control "
        "(bladder).",
        "ptcli: Seek emergency care now: call your emergency number or go to an emergency "
        "department. This can be a sign of nerve compression (cauda equina syndrome) that "
        "needs treatment within hours.",
        "ptcli: No exercises until a clinician has seen you; then record it, with who saw you "
        "and when:",
        'ptcli:   ptcli flag clear bladder --note "seen by ..."',
    ]
    assert "flag clear" not in done.stdout
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
    s.choose()
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


# 9. Every hold kept (issue 13): a set ended part way is saved as it stands


def part_saved(text: str, name: str) -> str:
    """The summary's line for ``name`` (after "- name: "), its words joined."""
    line = re.search(rf"- {re.escape(name)}: ([^\r\n]*)", text)
    assert line is not None, text
    return line.group(1)


def test_s_in_the_middle_of_a_set_keeps_the_holds_done(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("mcgill-curl-up", "lying-sciatic-slider", pace="0.1")  # 6 holds of 10 s: 1 s each
    s.check_in()
    s.choose()
    s.expect("Hold 3 of 6")  # two holds done, the third begun
    s.child.send("s")
    s.expect("Exercise 2 of 2: Nerve glide lying down")  # skipped to the next one
    s.choose("s")
    s.answer(PAIN_AT_END, "3")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0

    [entry] = sessions(run)
    assert (entry["exercise"], entry["sets"], entry["reps"], entry["hold_s"]) == (
        "mcgill-curl-up",
        1,
        2,
        10,
    )
    assert entry["partial"] is True and entry["pain_after"] == 3
    assert part_saved(s.text, "Small curl-up") == "2 of 6 holds of 10 seconds (partial)"
    assert "Saved 1 exercise to your log (1 stopped part way: the next dose goes by your last" in (
        s.text
    )
    assert "All done" not in s.text
    # The next routine does not start from 2 holds
    item = {e["id"]: e for e in run("today", "--json").json()["exercises"]}["mcgill-curl-up"]
    assert (item["sets"], item["reps"], item["hold_s"]) == (1, 6, 10)


def test_q_in_the_middle_of_a_long_hold_keeps_the_time_held(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("prone-lying", pace="1")  # a 2-minute hold, in real time
    s.check_in()
    s.choose()
    s.expect("Get ready")
    s.child.send("\r")
    s.expect("Hold: 2 minutes.")
    time.sleep(3)
    s.child.send("q")
    s.expect("Finishing early.")
    s.answer(PAIN_AT_END, "")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0
    [entry] = sessions(run)
    assert entry["partial"] is True and (entry["sets"], entry["reps"]) == (1, 1)
    assert 2 <= entry["hold_s"] <= 10
    assert part_saved(s.text, "Lying face down") == (
        f"{entry['hold_s']} seconds of 2 minutes (partial)"
    )


@pytest.mark.parametrize("how", ["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_the_end_of_input_in_the_middle_of_a_set_keeps_its_repetitions(
    spawn: Callable[..., Session], run: Any, how: str
) -> None:
    run("screen", "--no-others")
    s = spawn("lying-sciatic-slider", pace="0.1")  # a repetition every 0.3 s
    s.check_in()
    s.choose()
    s.expect("Set 1 of 2: 10 repetitions")
    time.sleep(1)
    if how == "ctrl-c":
        s.child.sendintr()
    else:
        s.child.sendeof()
    s.expect("Session stopped.")
    assert s.finish() == 130
    [entry] = sessions(run)
    assert entry["partial"] is True and entry["sets"] == 1
    assert 1 <= entry["reps"] < 10
    assert part_saved(s.text, "Nerve glide lying down") == (
        f"{entry['reps']} of 10 repetitions in set 1 (partial)"
    )
    assert "Saved 1 exercise to your log" in s.text


def test_a_set_under_way_when_the_terminal_closes_is_kept(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("lying-sciatic-slider", pace="0.1")
    s.check_in()
    s.choose()
    s.expect("Set 1 of 2: 10 repetitions")
    time.sleep(1)
    s.child.close(force=True)  # SIGHUP: the set under way is saved before the process ends
    [entry] = sessions(run)
    assert entry["partial"] is True and (entry["sets"], entry["note"] or "") >= (1, "set 1")
    assert 1 <= entry["reps"] < 10


def test_a_set_stopped_on_the_second_side_says_how_many_on_each(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("side-bridge-knees", pace="0.1")  # 6 holds of 10 s each side
    s.check_in()
    s.choose()
    s.expect("Now the other side: right")
    s.expect("Hold 2 of 6")  # one hold done on the right
    s.child.send("q")
    s.answer(PAIN_AT_END, "")
    s.answer(WHERE_AT_END, "")
    assert s.finish() == 0
    [entry] = sessions(run)
    assert (entry["sets"], entry["reps"], entry["hold_s"], entry["partial"]) == (1, 6, 10, True)
    assert entry["note"] == "set 1 of 1 stopped part way: left side 6, right side 1"
    assert part_saved(s.text, "Side plank on knees") == (
        "6 of 6 holds of 10 seconds on the left side, 1 on the right (partial)"
    )


# 10. What the patient reads before starting, and the keys at the first prompt


def test_the_start_position_comes_before_step_1_with_a_hanging_indent(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("side-bridge-knees", colour=True)
    s.check_in()
    s.choose("q")
    assert s.finish() == 0
    shown = SGR.sub("", s.text).replace("\r\n", "\n")
    lines = shown[shown.index("Exercise 1 of 1") :].splitlines()
    start = next(n for n, line in enumerate(lines) if "Start: Lie on your side" in line)
    step = next(n for n, line in enumerate(lines) if "1. Lift your hips" in line)
    assert start < step
    indent = lines[start].index("Lie on your side")
    assert lines[step].index("Lift your hips") == indent  # the steps' text lines up
    for line in [*lines[start + 1 : step], lines[step + 1]]:  # wrapped: under the text
        assert line[:indent].strip() == "" and line[indent] != " ", line
    assert all(len(line) <= COLUMNS for line in lines)


def test_single_keys_at_the_first_prompt_and_q_says_nothing_was_done(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    s = spawn("prone-lying", "lying-sciatic-slider")
    s.check_in()
    s.child.expect_exact(START)
    s.child.send("s")  # no Enter: one key, as inside an exercise
    s.expect("Exercise 2 of 2: Nerve glide lying down")
    s.child.expect_exact(START)
    s.child.send("x")  # not a key of this prompt: nothing happens
    s.child.send("q")
    assert s.finish() == 0
    assert "No exercise was done, so none was saved." in s.text
    assert "How is your pain now?" not in s.text  # no check-out after nothing
    assert "Saved " not in s.text
    assert sessions(run) == []


def test_q_at_the_first_prompt_from_a_pipe(run: Any) -> None:
    run("screen", "--no-others")
    done = run_process("session", "start", "prone-lying", "--pace", "0", input="4\nthigh\nq\n")
    assert done.returncode == 0, done.stderr
    assert f"{START}q\n" in done.stdout
    assert "No exercise was done, so none was saved." in done.stdout
    assert "Pain before: 4/10, reaching the thigh; not asked after." in done.stdout
    assert sessions(run) == []
    assert len(pain(run)) == 1  # the check-in: a real reading


# 11. Check-in and check-out: at most one of each, and the pain compared


def test_enter_at_the_check_in_with_nothing_logged_today_logs_nothing(
    spawn: Callable[..., Session], run: Any
) -> None:
    run("screen", "--no-others")
    yesterday = (datetime.now().astimezone() - timedelta(days=1)).replace(hour=8, minute=0)
    run("pain", "log", "1", "--where", "back", "--at", yesterday.isoformat(timespec="minutes"))
    s = spawn("abdominal-brace")
    s.answer(PAIN, "")  # no [1]: yesterday's score is not today's
    s.expect("Nothing logged: today's routine goes by your last pain entry.")
    s.choose()
    s.answer(re.compile(r"Pain now, 0-10: "), "2")  # no default to take at the end either
    s.answer(WHERE_AT_END, "back")
    assert s.finish() == 0
    assert "Where does it reach" not in s.text.split("Exercise 1 of 1")[0]
    assert check_in_and_out(run) == {"after a guided session": (2, "back")}
    assert len(pain(run)) == 2  # yesterday's and the check-out
    assert "Pain after: 2/10, reaching the back." in s.text
    assert "Next: log your pain tomorrow morning" in s.text


def test_a_session_adds_one_check_in_and_one_check_out_and_compares_them(run: Any) -> None:
    run("screen", "--no-others")
    done = run_process(
        "session", "start", "prone-lying", "abdominal-brace", "--pace", "0",
        input="6\nthigh\n\nbuttock\n\n3\n\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert check_in_and_out(run) == {
        "before a guided session": (6, "thigh"),
        "after a guided session": (3, "buttock"),
    }
    assert len(pain(run)) == 2
    summary = done.stdout[done.stdout.index("Session summary:") :]
    in_order(
        summary,
        [
            "  - Lying face down: 2 minutes\n",
            "  - Tummy muscle tightening: 10 holds of 10 seconds\n",
            "Saved 2 exercises to your log.\n",
            "Pain: 6/10 before, 3/10 after: less than before (thigh before, buttock after).\n",
            "Next: log your pain tomorrow morning (ptcli pain log SCORE --where PLACE): it "
            "shows whether today's exercise settled.\n",
        ],
    )
    again = run_process("session", "start", "abdominal-brace", "--pace", "0", input="\n\n\n\n")
    assert again.returncode == 0, again.stderr
    assert "Kept today's entry: 3/10, reaching the buttock." in again.stdout
    assert len(pain(run)) == 3  # only the second check-out


# 12. The emergency panel at the guided check-in, on a terminal


def test_an_emergency_at_the_check_in_shows_the_red_panel_at_80_columns(
    spawn: Callable[..., Session], run: Any
) -> None:
    s = spawn(colour=True)
    s.check_in()
    for answer in "nynnnn":  # yes to the second: bladder
        s.child.expect_exact("[y/n] ")
        s.child.sendline(answer)
    assert s.finish() == 3
    shown = SGR.sub("", s.text).replace("\r\n", "\n")
    panel = shown[shown.index("╭─ EMERGENCY: stopped for safety") :]
    assert "You reported a change in bladder control (bladder)." in " ".join(
        line.strip("│ ") for line in panel.splitlines()
    )
    assert "bowel" not in panel
    assert 'ptcli flag clear bladder --note "seen by ..."' in panel
    assert all(len(line) <= COLUMNS for line in shown.splitlines())
    assert "Exercise 1 of" not in shown
    # The questions wrap at spaces: each reads whole once the line ends are spaces again
    from ptcli.domain.safety import EMERGENCY, ITEMS

    flat = " ".join(shown.split())
    for item in (i for i in ITEMS.values() if i.level == EMERGENCY):
        assert item.question in flat
