"""The safety gate's answers (DOMAIN.md section 1, issue 11): clearances that name the
reports they saw, the questions as DOMAIN asks them, answers kept as they are given, and
the emergency stop (exit code 3) everywhere it happens. Through the CLI, and through a
real process or a pseudo-terminal where only that shows it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pexpect  # type: ignore[import-untyped]  # no stubs; mypy covers src/ only
import pytest

from ptcli.domain.models import Clearance, Screen
from ptcli.domain.safety import EMERGENCY, ITEMS, URGENT, active_flags, flags, question
from tests.conftest import run_process

PANEL = "ptcli: EMERGENCY (stopped for safety): You reported "
ADVICE = (
    "ptcli: Seek emergency care now: call your emergency number or go to an emergency department."
)
EMERGENCY_ITEMS = [item.id for item in ITEMS.values() if item.level == EMERGENCY]


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def screens(run: Any) -> list[dict[str, Any]]:
    return list(run("export").json()["screens"])


def active(run: Any, *db: str) -> list[str]:
    found = run(*db, "flag", "list", "--json").json()["flags"]
    return [f["item"] for f in found if f["active"]]


def the_id(result: Any) -> str:
    return str(re.search(r"\(id ([0-9a-f]+)\)", result.out).group(1))


# 1. Clearances name the reports they saw


def test_a_clearance_names_every_report_it_clears(run: Any) -> None:
    first = the_id(run("screen", "--yes", "fever", "--at", "-2d"))
    run("pain", "log", "3", "--flag", "fever", "--at", "-1d")  # a partial screen: a report
    cleared = run("flag", "clear", "fever", "--note", "seen by GP")
    assert cleared.code == 0, cleared.err
    assert cleared.out.startswith("Cleared fever (2 reports) at ")
    [clearance] = run("export").json()["clearances"]
    pain_screen = next(s["id"] for s in screens(run) if s["id"] != first)
    assert clearance["reports"] == [first, pain_screen]
    assert active(run) == []


def test_a_report_dated_before_the_clearance_but_made_after_it_keeps_the_flag(run: Any) -> None:
    run("screen", "--yes", "bladder", "--at", "-2d")
    assert run("flag", "clear", "bladder", "--note", "seen in A&E").code == 0
    late = run("pain", "log", "2", "--flag", "bladder", "--at", "-3d")  # earlier --at
    assert late.code == 3  # the clearance never saw it
    assert active(run) == ["bladder"]
    assert run("today", "--json").json()["status"] == "blocked"


def test_flag_clear_refuses_a_time_before_a_report_and_writes_nothing(run: Any) -> None:
    run("screen", "--yes", "bladder", "--at", "2026-03-02T10:15")
    refused = run("flag", "clear", "bladder", "--note", "seen", "--at", "2026-03-01T09:00")
    assert refused.code == 2
    assert refused.err == (
        "ptcli: bladder was reported at 2026-03-02 10:15, after --at 2026-03-01 09:00: "
        "clear it at or after that time\n"
    )
    assert run("export").json()["clearances"] == []
    assert active(run) == ["bladder"]
    assert run("flag", "clear", "bladder", "--note", "seen", "--at", "2026-03-02T10:15").code == 0
    assert active(run) == []


def test_flag_clear_refuses_the_future_even_a_few_minutes_ahead(run: Any) -> None:
    run("screen", "--yes", "fever")
    ahead = (datetime.now() + timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M")
    refused = run("flag", "clear", "fever", "--note", "seen", "--at", ahead)
    assert refused.code == 2
    assert refused.err.startswith(f"ptcli: --at: '{ahead}' is in the future")
    assert refused.err.count("\n") == 1
    assert run("export").json()["clearances"] == []


def test_a_report_from_another_device_survives_a_later_clearance_both_ways(
    run: Any, tmp_path: Path
) -> None:
    a, b = ["--db", str(tmp_path / "a.json")], ["--db", str(tmp_path / "b.json")]
    run(*a, "screen", "--yes", "saddle-numbness", "--at", "2026-03-01T08:00")
    run(*a, "export", "--output", str(tmp_path / "a0.json"))
    run(*b, "import", str(tmp_path / "a0.json"))
    # Device A: the flag is seen to on the 5th. Device B, not yet synced: a new report
    # dated the 4th (before the clearance), which A's clearance never saw.
    assert run(*a, "flag", "clear", "saddle-numbness", "--note", "MRI clear").code == 0
    assert run(*b, "screen", "--yes", "saddle-numbness", "--at", "2026-03-04T10:00").code == 3
    run(*a, "export", "--output", str(tmp_path / "a1.json"))
    run(*b, "export", "--output", str(tmp_path / "b1.json"))
    assert run(*a, "import", str(tmp_path / "b1.json")).code == 0
    assert run(*b, "import", str(tmp_path / "a1.json")).code == 0
    for db in (a, b):
        assert active(run, *db) == ["saddle-numbness"], db
        assert run(*db, "today", "--json").json()["status"] == "blocked"
    # Clearing it again on either device names the new report, and both agree after a sync.
    assert run(*b, "flag", "clear", "saddle-numbness", "--note", "seen again").out.startswith(
        "Cleared saddle-numbness (1 report)"
    )
    run(*b, "export", "--output", str(tmp_path / "b2.json"))
    run(*a, "import", str(tmp_path / "b2.json"))
    assert active(run, *a) == active(run, *b) == []


def test_a_clearance_from_an_earlier_ptcli_clears_what_came_before_it(
    run: Any, tmp_path: Path
) -> None:
    run("screen", "--yes", "fever", "--at", "2026-03-01T08:00")
    run("screen", "--yes", "trauma", "--at", "2026-03-03T08:00")
    document = run("export").json()
    legacy = {"id": "legacy1", "at": "2026-03-02T08:00:00+00:00", "item": "fever", "note": "ok"}
    document["clearances"] = [legacy, {**legacy, "id": "legacy2", "item": "trauma"}]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))
    assert run("--db", str(tmp_path / "other.json"), "import", str(path)).code == 0
    # fever was reported before its clearance; trauma after its own: still active.
    assert active(run, "--db", str(tmp_path / "other.json")) == ["trauma"]


def test_flags_match_reports_by_id_whatever_the_order_or_time() -> None:
    report = Screen("r1", moment("2026-03-01T08:00+00:00"), ("bowel",))
    late_claim = Screen("r2", moment("2026-02-01T08:00+00:00"), ("bowel",))  # dated earlier
    named = Clearance("c1", moment("2026-03-02T08:00+00:00"), "bowel", "seen", ("r1",))
    legacy = Clearance("c0", moment("2026-03-02T08:00+00:00"), "bowel", "seen")
    day = moment("2026-03-10T00:00+00:00").date()
    for order in ([report, late_claim], [late_claim, report]):
        [flag] = active_flags(order, [named], day)
        assert (flag.item.id, flag.reports, flag.since) == ("bowel", ("r2",), late_claim.at)
    assert active_flags([report, late_claim], [legacy], day) == []  # legacy: by time
    done = flags([report], [named, named._replace(id="c2")], day)
    assert [(f.cleared.id if f.cleared else None) for f in done] == ["c1"]  # one episode


def test_clearances_carry_their_reports_in_csv(run: Any) -> None:
    report = the_id(run("screen", "--yes", "fever"))
    run("flag", "clear", "fever", "--note", "seen")
    csv = run("export", "--format", "csv", "--table", "clearances").out.splitlines()
    assert csv[0] == "id,at,item,note,reports,local_time"
    assert csv[1].rsplit(",", 1)[0].endswith(f",fever,seen,{report}")


# 2. The questions as DOMAIN asks them


def test_weakness_in_both_legs_is_an_emergency_one_leg_slowly_is_urgent(run: Any) -> None:
    assert "both legs" in ITEMS["leg-weakness"].question
    assert ITEMS["leg-weakness"].level == EMERGENCY
    assert ITEMS["one-leg-weakness"].level == URGENT
    assert ITEMS["one-leg-weakness"].question.startswith("Is one leg slowly getting weaker")
    assert all("new" in ITEMS[item].question for item in EMERGENCY_ITEMS)
    assert run("screen", "--yes", "one-leg-weakness", "--no-others").code == 0
    run("pain", "log", "2")
    routine = run("today", "--json").json()
    assert routine["status"] == "ok" and routine["band"] == "amber"
    assert [a["level"] for a in routine["alerts"] if a["item"] == "one-leg-weakness"] == ["urgent"]


def test_a_lasting_fact_once_reported_is_asked_as_anything_new() -> None:
    cancer = ITEMS["cancer-history"]
    assert question(cancer, []) == "Have you ever had cancer?"
    told = [Screen("s1", moment("2026-03-01T08:00+00:00"), ("cancer-history",))]
    assert question(cancer, told).startswith("Anything new about cancer")
    assert question(ITEMS["immunosuppression"], told) == ITEMS["immunosuppression"].question
    assert (
        question(ITEMS["fever"], [told[0]._replace(yes=("fever",))])
        == "Do you have a fever or chills, or feel unwell?"
    )


def test_anything_new_no_keeps_a_cleared_lasting_fact_cleared(run: Any) -> None:
    run("screen", "--yes", "cancer-history", "--no-others", "--at", "-1d")
    run("flag", "clear", "cancer-history", "--note", "in remission, GP aware")
    process = run_process("screen", input="n\n" * len(ITEMS))
    assert process.returncode == 0, process.stderr
    assert "Anything new about cancer" in process.stdout
    assert "Have you ever had cancer?" not in process.stdout
    assert active(run) == []
    again = run_process("screen", input="\n".join(["n"] * 7 + ["y"] + ["n"] * 5) + "\n")
    assert again.returncode == 0  # something new: a yes, a new report, an urgent flag
    assert active(run) == ["cancer-history"]


# 3. Answers as given, 4. exit code 3


def test_a_piped_screen_keeps_an_emergency_yes_when_input_ends(run: Any) -> None:
    process = run_process("screen", input="n\nn\ny\n")
    assert process.returncode == 3
    assert (
        "open your bowels? [y/n] y\n    EMERGENCY: a change in bowel control. "
        "Seek emergency care now" in process.stdout
    )  # the answer echoed from the pipe, then the advice at once
    assert "Screen recorded at" in process.stdout and "3 answers" in process.stdout
    assert process.stderr.splitlines() == [
        PANEL + "a change in bowel control.",
        ADVICE + " This can be a sign of nerve compression (cauda equina syndrome) that needs "
        "treatment within hours. No exercises until a clinician has seen you; then record it "
        "with 'ptcli flag clear ITEM --note TEXT'.",
    ]
    [screen] = screens(run)
    assert (screen["yes"], screen["no"]) == (["bowel"], ["saddle-numbness", "bladder"])
    assert active(run) == ["bowel"]
    assert run("today", "--json").json()["status"] == "blocked"


def test_the_screen_goes_on_after_an_emergency_yes(run: Any) -> None:
    process = run_process("screen", input="y\n" + "n\n" * (len(ITEMS) - 1))
    assert process.returncode == 3
    shown = process.stdout
    advice = shown.index("EMERGENCY: numbness around the saddle area")
    assert advice < shown.index(" 2. ")  # at once, before the next question
    [screen] = screens(run)
    assert len(screen["yes"]) + len(screen["no"]) == len(ITEMS)
    assert run("flag", "list", "--json").json()["last_full_screen"] is not None


def test_a_partial_screen_does_not_reset_the_weekly_reminder(run: Any) -> None:
    run_process("screen", input="n\nn\n")
    alerts = run("today", "--json").json()["alerts"]
    assert any(a["item"] == "screen" for a in alerts)


def test_the_guided_check_in_keeps_an_emergency_yes_when_input_ends(run: Any) -> None:
    done = run_process("session", "start", "--pace", "0", input="4\nthigh\nn\nn\ny\n")
    assert done.returncode == 3
    assert "EMERGENCY: a change in bowel control. Seek emergency care now" in done.stdout
    assert done.stderr.startswith(PANEL + "a change in bowel control.\n")
    assert "Exercise 1 of" not in done.stdout
    [screen] = screens(run)
    assert (screen["yes"], screen["no"]) == (["bowel"], ["saddle-numbness", "bladder"])
    assert active(run) == ["bowel"]
    assert run("export").json()["sessions"] == []


def test_the_guided_check_in_keeps_its_answers_when_input_ends_without_a_yes(run: Any) -> None:
    done = run_process("session", "start", "--pace", "0", input="4\nthigh\nn\nn\n")
    assert done.returncode == 2
    assert done.stderr == (
        "ptcli: input ended after 2 of 6 safety answers: those are saved; nothing was "
        "started; run 'ptcli screen' again to finish\n"
    )
    [screen] = screens(run)
    assert (screen["yes"], screen["no"]) == ([], ["saddle-numbness", "bladder"])
    assert run("export").json()["pain"] == []  # the session did not start


@pytest.mark.parametrize(
    "args",
    [
        ["screen", "--yes", "saddle-numbness", "--no-others"],
        ["screen", "--yes", "bladder"],
    ],
)
def test_screen_with_an_emergency_yes_stops_for_safety(run: Any, args: list[str]) -> None:
    stopped = run(*args)
    assert stopped.code == 3
    assert stopped.out.startswith("Screen recorded at ")
    assert stopped.err.startswith(PANEL)
    assert len(stopped.err.splitlines()) == 2
    assert "Traceback" not in stopped.err
    assert active(run) == [args[2]]  # saved before the stop


def test_screen_stops_while_an_earlier_emergency_flag_is_active(run: Any) -> None:
    run("screen", "--yes", "both-legs")
    again = run("screen", "--no-others")
    assert again.code == 3 and again.err.startswith(PANEL + "symptoms in both legs.")
    assert run("flag", "clear", "both-legs", "--note", "seen").code == 0
    assert run("screen", "--no-others").code == 0


def test_pain_log_with_an_emergency_flag_stops_for_safety(run: Any) -> None:
    logged = run("pain", "log", "5", "--flag", "sexual-function")
    assert logged.code == 3
    assert logged.out.startswith("Logged pain 5/10")
    assert logged.err.startswith(PANEL + "a loss of genital feeling or sexual function.")
    assert len(run("export").json()["pain"]) == 1
    assert active(run) == ["sexual-function"]


def test_session_start_stops_before_asking_anything_while_a_flag_is_active(run: Any) -> None:
    run("screen", "--yes", "saddle-numbness", "--no-others")
    done = run_process("session", "start", "--pace", "0", input="4\nthigh\n")
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.startswith(PANEL + "numbness around the saddle area.")
    assert run("export").json()["pain"] == []


def test_today_and_routine_show_the_block_with_exit_0(run: Any) -> None:
    run("screen", "--yes", "bladder")
    today = run("today", "--json")
    assert today.code == 0 and today.json()["status"] == "blocked"
    assert run("routine").code == 0


# 5. Logging while flagged


def test_logging_while_an_emergency_flag_is_active_records_and_reminds(run: Any) -> None:
    run("screen", "--yes", "bowel")
    reminder = (
        "ptcli: an emergency flag is active (a change in bowel control): seek emergency "
        "care now; see 'ptcli flag list'\n"
    )
    pain = run("pain", "log", "4")
    assert (pain.code, pain.err) == (0, reminder)
    session = run("session", "log", "prone-lying", "--pain-after", "3")
    assert (session.code, session.err) == (0, reminder)
    urgent = run("pain", "log", "4", "--flag", "fever")
    assert urgent.code == 0 and urgent.err.endswith(reminder)
    assert len(run("export").json()["pain"]) == 2 and len(run("export").json()["sessions"]) == 1


def test_logging_without_a_flag_says_nothing_more(run: Any) -> None:
    assert run("pain", "log", "4").err == ""


# 6. Import of screen items


def test_import_refuses_an_unknown_screen_item_and_reads_case(run: Any, tmp_path: Path) -> None:
    run("screen", "--yes", "fever")
    document = run("export").json()
    other = ["--db", str(tmp_path / "other.json")]
    document["screens"][0]["yes"] = [" Saddle-Numbness "]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document))
    assert run(*other, "import", str(path)).code == 0
    assert active(run, *other) == ["saddle-numbness"]
    document["screens"][0]["yes"] = ["headache"]
    path.write_text(json.dumps(document))
    refused = run("--db", str(tmp_path / "third.json"), "import", str(path))
    assert refused.code == 2
    assert refused.err.startswith("ptcli: ")
    assert "screens[0]: unknown screen item 'headache'" in refused.err
    assert refused.err.count("\n") == 1
    assert not (tmp_path / "third.json").exists()


# A terminal: the advice at once, Ctrl-D keeps the yes, the red panel


def test_on_a_terminal_the_advice_comes_at_once_and_ctrl_d_keeps_the_yes(run: Any) -> None:
    env = dict(os.environ)
    env["TERM"] = "xterm-256color"
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ptcli", "screen"],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    child.expect_exact("[y/n] ")
    child.sendline("y")
    child.expect_exact("EMERGENCY: numbness around the saddle area. Seek emergency care now")
    child.expect_exact(" 2. ")
    child.sendeof()
    child.expect_exact("EMERGENCY: stopped for safety")  # the red panel's title
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    assert active(run) == ["saddle-numbness"]
