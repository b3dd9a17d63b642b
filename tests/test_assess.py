"""ptcli assess: the McKenzie self-assessment (DOMAIN.md section 8), driven as people do:
from a pipe, on a pseudo-terminal (pexpect), and as a therapist's record; and its rules
as properties (hypothesis). Every test reads the store back through the CLI.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pexpect  # type: ignore[import-untyped]  # no stubs; mypy covers src/ only
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptcli.domain import assessment
from ptcli.domain.models import Assessment, Extent, MovementSet
from tests.conftest import run_process

PLACES = "none/back/side/buttock/thigh/calf/foot"
START = "Enter to start, s skip, q finish: "


@pytest.fixture
def ready(run: Any) -> None:
    """A profile whose preference the therapist set, and the safety questions answered."""
    assert run("init", "--side", "left", "--preference", "flexion").code == 0
    assert run("screen", "--no-others").code == 0


def assess(*answers: str, args: tuple[str, ...] = ()) -> Any:
    return run_process("assess", "--pace", "0", *args, input="".join(f"{a}\n" for a in answers))


def saved_tests(run: Any) -> list[dict[str, Any]]:
    result = run("assess", "list", "--json")
    assert result.code == 0, result.err
    return result.json()  # type: ignore[no-any-return]


def in_order(text: str, lines: list[str]) -> None:
    at = 0
    for line in lines:
        found = text.find(line, at)
        assert found >= 0, f"{line!r} not found after position {at} in:\n{text}"
        at = found + len(line)


# Piped: one answer a line, as a script


def test_a_piped_test_goes_through_every_movement_and_suggests_extension(
    run: Any, ready: None
) -> None:
    profile = run("profile", "--json").json()
    done = assess(
        *("n", "6", "thigh", "25", "a"),
        *("", "4", "buttock", "b"),  # extension in standing: centralized
        *("", "4", "", "same"),  # flexion in lying: no effect
        *("", "3", "back", "better"),  # extension in lying: centralized
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    in_order(
        done.stdout,
        [
            "[y/n] n\n",
            "Pain now, 0-10: 6\n",
            f"Where does it reach ({PLACES}): thigh\n",
            "Fingertips to the floor, in cm (0: touching) (Enter: skip): 25\n",
            "How far could you lean back (none/a-little/half/full): a\n",
            "Movement 1 of 3: Extension in standing\n",
            "Movement 2 of 3: Flexion in lying\n",
            "Movement 3 of 3: Extension in lying (press-up)\n",
            "Result:\n",
            "Before: pain 6/10, reaching the thigh; fingertips 25 cm from the floor; "
            "leaning back: a little.\n",
            "  - Extension: centralized (thigh to back, pain 6/10 to 3/10); moved more easily.\n",
            "  - Flexion: no effect (pain 4/10 to 4/10); moved the same.\n",
            "Suggested directional preference: extension, for your therapist to confirm.",
        ],
    )
    [test] = saved_tests(run)
    assert (test["by"], test["pain"], test["where"], test["partial"]) == (
        "patient",
        6,
        "thigh",
        False,
    )
    assert (test["fingertips_cm"], test["extension"]) == (25, "a-little")
    assert [s["movement"] for s in test["sets"]] == [
        "extension-standing",
        "flexion-lying",
        "extension-lying",
    ]
    assert test["result"]["suggestion"] == "extension"
    # A suggestion only: the therapist's flexion stays, and no exercise session was logged
    assert run("profile", "--json").json() == profile
    assert [r for r in run("history", "--json").json() if r["type"] == "session"] == []
    listing = run("assess", "list")
    rows = {line[:16].strip(): line[16:].strip() for line in listing.out.splitlines()}
    assert rows["Extension"] == "central, better"
    assert rows["Flexion"] == "none, same"
    assert rows["Suggested"] == "extension"
    assert "Side glide left" not in rows  # not tested: no row


def test_a_peripheralizing_direction_is_stopped_at_once_and_the_profile_never_changes(
    run: Any, ready: None
) -> None:
    profile = run("profile", "--json").json()
    done = assess(
        *("n", "5", "buttock", "30", "half"),
        *("", "5", "calf", "worse"),  # extension in standing: spread to the calf
        *("", "3", "thigh", "better"),  # flexion in lying: centralized (calf to thigh)
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Pain spread further down your leg: extension is stopped now" in out
    assert "Extension in lying (press-up): not tested: extension sent pain further" in out
    assert "Movement 3 of 3" not in out  # never led
    assert "  - Extension: peripheralized: pain spread from the buttock to the calf." in out
    assert "Suggested directional preference: flexion, for your therapist to confirm." in out
    [test] = saved_tests(run)
    assert [s["movement"] for s in test["sets"]] == ["extension-standing", "flexion-lying"]
    assert test["result"]["directions"]["extension"]["response"] == "peripheralized"
    assert run("profile", "--json").json() == profile


def test_a_direction_stopped_in_the_last_days_is_not_tested(run: Any, ready: None) -> None:
    # prone-lying spread the pain from the thigh to the calf yesterday: extension stopped (M2)
    assert run("pain", "log", "4", "--where", "thigh", "--at", "yesterday 08:00").code == 0
    logged = run(
        *("session", "log", "prone-lying", "--at", "yesterday 09:00"),
        *("--pain-after", "5", "--where-after", "calf"),
    )
    assert logged.code == 0, logged.err
    done = assess(*("n", "4", "thigh", "20"), *("", "3", "buttock", "better"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Extension in standing: not tested (extension was stopped in the last days)." in out
    assert "Extension in standing: not tested: extension was stopped in the last 3 days." in out
    assert "Movement 2 of 3: Flexion in lying" in out
    assert "Extension in lying (press-up): not tested: extension was stopped" in out
    [test] = saved_tests(run)
    assert [s["movement"] for s in test["sets"]] == ["flexion-lying"]
    assert test["extension"] is None


def test_a_test_stopped_by_the_end_of_input_keeps_what_was_answered(run: Any, ready: None) -> None:
    done = assess("n", "6", "thigh", "", "none", "", "5", "calf")
    assert done.returncode == 2
    assert done.stderr == (
        "ptcli: input ended part way: the answers given are saved (a partial test)\n"
    )
    assert "Test stopped: what you answered is saved." in done.stdout
    [test] = saved_tests(run)
    assert test["partial"] is True
    assert test["sets"] == [
        {"movement": "extension-standing", "pain": 5, "where": "calf", "range": None}
    ]


def test_skipping_a_movement_goes_on_to_the_next(run: Any, ready: None) -> None:
    done = assess(*("n", "3", "back", "10", "full"), "s", *("", "3", "", "same"), "s")
    assert done.returncode == 0, done.stderr
    [test] = saved_tests(run)
    assert [s["movement"] for s in test["sets"]] == ["flexion-lying"]
    assert test["partial"] is False
    assert "No directional preference suggested" in done.stdout


# The exclusions: each refuses with one clear line, and saves nothing


@pytest.mark.parametrize(
    ("answers", "line"),
    [
        (("y",), "ptcli: no assessment now: not with your trunk shifted to one side"),
        (("n", "8"), "ptcli: no assessment now: not with pain 8/10 (8 or more)"),
    ],
)
def test_a_shift_or_pain_8_refuses_the_test(
    run: Any, ready: None, answers: tuple[str, ...], line: str
) -> None:
    done = assess(*answers)
    assert done.returncode == 2
    assert done.stderr.startswith(line) and done.stderr.count("\n") == 1, done.stderr
    assert saved_tests(run) == []


def test_an_urgent_flag_refuses_before_any_question(run: Any, ready: None) -> None:
    assert run("screen", "--yes", "fever", "--no-others").code == 0
    done = assess("n", "4", "thigh")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "ptcli: no assessment now: not with an urgent flag active (fever or chills, or "
        "feeling unwell): contact your GP or physiotherapist first\n"
    ) or done.stderr.startswith("ptcli: no assessment now: not with an urgent flag active")
    assert done.stderr.count("\n") == 1
    record = run("assess", "--record", "--baseline", "4,thigh")
    assert record.code == 2 and "urgent flag" in record.err
    assert saved_tests(run) == []


def test_an_emergency_flag_stops_for_safety(run: Any, ready: None) -> None:
    assert run("screen", "--yes", "bladder", "--no-others").code == 3
    done = assess("n", "4", "thigh")
    assert done.returncode == 3
    assert done.stdout == ""
    assert "EMERGENCY" in done.stderr
    assert saved_tests(run) == []


def test_an_emergency_answer_at_the_start_stops_before_the_test(run: Any) -> None:
    assert run("init", "--side", "left").code == 0
    done = assess("y", "n", "n", "n", "n", "n")  # no screen yet: the emergency questions first
    assert done.returncode == 3
    assert "EMERGENCY" in done.stderr
    assert saved_tests(run) == []


# The therapist's record


def test_a_record_of_an_in_clinic_test(run: Any, ready: None) -> None:
    profile = run("profile", "--json").json()
    done = run(
        *("assess", "--record", "--baseline", "6,thigh,25,a-little", "--at", "-1h"),
        *("--set", "extension-standing:4,buttock,better"),
        *("--set", "flexion-lying:5,calf,worse"),
        *("--note", "first visit"),
    )
    assert done.code == 0, done.err
    assert "  - Extension: centralized (thigh to buttock, pain 6/10 to 4/10)" in done.out
    assert "  - Flexion: peripheralized: pain spread from the buttock to the calf." in done.out
    assert "Suggested directional preference: extension, for your therapist to confirm." in done.out
    [test] = saved_tests(run)
    assert (test["by"], test["note"], test["partial"]) == ("therapist", "first visit", False)
    assert run("profile", "--json").json() == profile


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((), "ptcli: --record needs --baseline"),
        (("--baseline", "6"), "ptcli: --baseline PAIN,WHERE[,CM[,RANGE]]"),
        (("--baseline", "11,thigh"), "ptcli: --baseline pain must be a whole number"),
        (("--baseline", "6,knee"), "ptcli: --baseline: where must be one of"),
        (("--baseline", "6,thigh,400"), "ptcli: --baseline fingertips-to-floor must be"),
        (("--baseline", "6,thigh,20,lots"), "ptcli: --baseline extension must be one of"),
        (("--baseline", "8,thigh"), "ptcli: no assessment now: not with pain 8/10"),
        (("--baseline", "6,thigh", "--shift"), "ptcli: no assessment now: not with your trunk"),
        (("--baseline", "6,thigh", "--set", "twist:4,thigh,same"), "ptcli: --set MOVEMENT:"),
        (
            (
                *("--baseline", "6,thigh", "--set", "extension-lying:4,thigh,same"),
                *("--set", "extension-standing:4,thigh,same"),
            ),
            "ptcli: --set give the sets in the test's order",
        ),
        (
            (
                *("--baseline", "6,thigh", "--set", "extension-standing:4,calf,same"),
                *("--set", "extension-lying:4,thigh,same"),
            ),
            "ptcli: --set extension-lying: not tested: extension sent pain further down the leg",
        ),
        (
            ("--baseline", "6,thigh", "--set", "side-glide-left:4,thigh,same"),
            "ptcli: --set side-glide-left only when a therapist asks (--side-glides)",
        ),
    ],
)
def test_a_bad_record_is_one_line_and_writes_nothing(
    run: Any, ready: None, args: tuple[str, ...], error: str
) -> None:
    done = run("assess", "--record", *args)
    assert done.code == 2
    assert done.err.startswith(error) and done.err.count("\n") == 1, done.err
    assert saved_tests(run) == []


def test_record_options_without_record_are_refused(run: Any, ready: None) -> None:
    done = run("assess", "--baseline", "6,thigh")
    assert (done.code, done.err) == (
        2,
        "ptcli: --baseline is for --record (a therapist's record)\n",
    )


# In every export


def test_assessments_travel_in_json_ndjson_and_fhir_and_import_back(
    run: Any, ready: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = run(
        *("assess", "--record", "--baseline", "6,thigh,25,half", "--side-glides"),
        *("--set", "extension-standing:4,buttock,better", "--set", "side-glide-right:3,back,same"),
    )
    assert done.code == 0, done.err
    [saved] = saved_tests(run)
    saved.pop("result")
    for form in ("json", "ndjson"):
        path = tmp_path / f"backup.{form}"
        assert run("export", "--format", form, "--output", str(path)).code == 0
        monkeypatch.setenv("PTCLI_DB", str(tmp_path / form / "ptcli.json"))
        imported = run("import", str(path))
        assert imported.code == 0, imported.err
        [back] = saved_tests(run)
        back.pop("result")
        assert back == saved
        monkeypatch.setenv("PTCLI_DB", str(tmp_path / "data" / "ptcli.json"))
    bundle = run("export", "--format", "fhir").json()
    [observation] = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"].get("code", {}).get("text") == "Repeated-movement assessment"
    ]
    codes = {c["code"]["coding"][0]["code"]: c for c in observation["component"]}
    assert codes["72514-3"]["valueInteger"] == 6
    assert codes["fingertips-to-floor"]["valueQuantity"]["value"] == 25
    assert codes["response-extension"]["valueCodeableConcept"]["text"] == "centralized"
    assert codes["response-side-glide-right"]["valueCodeableConcept"]["text"] == "centralized"
    assert codes["suggested-preference"]["valueCodeableConcept"]["text"] == "extension"
    assert observation["status"] == "final"


# On a terminal


def test_the_test_on_a_terminal(run: Any, ready: None) -> None:
    env = dict(os.environ)
    env["TERM"] = "xterm-256color"
    env["COLUMNS"] = "80"
    screen = io.StringIO()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ptcli", "assess", "--pace", "0"],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(30, 80),
    )
    child.logfile_read = screen
    try:
        child.expect(r"\[y/n\] ")
        child.sendline("n")
        child.expect_exact("Pain now, 0-10: ")
        child.sendline("6")
        child.expect(r"Where does it reach\s+\([a-z/]+\): ")
        child.sendline("thigh")
        child.expect(r"\(0: touching\)\s+\(Enter: skip\): ")
        child.sendline("22")
        child.expect(r"How far could you lean back\s+\([a-z/-]+\): ")
        child.sendline("half")
        for pain, where, moved in (("5", "calf", "w"), ("4", "thigh", "b")):
            child.expect_exact(START)
            child.send("\r")  # one key, no Enter after it
            child.expect_exact("Pain now, 0-10 [")
            child.sendline(pain)
            child.expect(r"Where does it reach now\s+\(")
            child.sendline(where)
            child.expect(r"Did it move more easily\s+\(better/same/worse\): ")
            child.sendline(moved)
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, screen.getvalue()
    text = screen.getvalue()
    assert "Pain spread further down your leg: extension is stopped now" in text
    assert "Extension in lying (press-up): not tested" in text
    assert "Suggested directional preference: flexion" in text
    [test] = saved_tests(run)
    assert [s["movement"] for s in test["sets"]] == ["extension-standing", "flexion-lying"]


# The rules as properties

EXTENTS = st.sampled_from(list(Extent))
SETS = st.lists(
    st.tuples(st.integers(0, 10), EXTENTS, st.sampled_from([*assessment.RANGE_CHANGES, None])),
    max_size=6,
)


def walk(pain: int, where: Extent, answers: list[Any], side_glides: bool, stopped: Any) -> Any:
    """A patient answering ``answers`` after each movement ``next_movement`` offers."""
    from datetime import datetime

    test = Assessment(
        "t", datetime.now().astimezone(), "patient", pain, where, side_glides=side_glides
    )
    offered = []
    for score, extent, moved in answers:
        movement, _ = assessment.next_movement(test, stopped)
        if movement is None:
            break
        offered.append(movement)
        test = test._replace(sets=(*test.sets, MovementSet(movement.id, score, extent, moved)))
    return test, offered


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 7),
    EXTENTS,
    SETS,
    st.booleans(),
    st.frozensets(st.sampled_from(["extension", "flexion", "lateral"])),
)
def test_a_peripheralizing_direction_is_never_continued_nor_suggested(
    pain: int, where: Extent, answers: list[Any], side_glides: bool, stopped: frozenset[str]
) -> None:
    test, offered = walk(pain, where, answers, side_glides, stopped)
    assessment.check_order(test, stopped)  # what the guided test leads, a record accepts
    result = assessment.evaluate(test)
    assert [m.id for m in offered] == [s.movement for s in test.sets]
    spread: set[str] = set()
    before_pain, before_where = test.pain, test.where
    for done in test.sets:
        movement = assessment.MOVEMENT[done.movement]
        assert movement.direction not in spread  # never continued after it spread
        assert movement.tag not in stopped  # never a direction M2 stopped in the last days
        if assessment.judge(before_pain, before_where, done).response == assessment.PERIPHERALIZED:
            spread.add(movement.direction)
        before_pain, before_where = done.pain, done.where
    assert result.suggestion not in spread
    if result.suggestion is not None:
        chosen = next(d for d in result.directions if d.direction == result.suggestion)
        assert chosen.response == assessment.CENTRALIZED or chosen.eased  # never range alone


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(0, 7), EXTENTS, SETS, st.sampled_from([None, "extension", "flexion"]))
def test_no_record_ever_changes_the_profile(
    run: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pain: int,
    where: Extent,
    answers: list[Any],
    preference: str | None,
) -> None:
    import uuid

    monkeypatch.setenv("PTCLI_DB", str(tmp_path / uuid.uuid4().hex / "ptcli.json"))
    init = ["init", "--side", "left"] + (["--preference", preference] if preference else [])
    assert run(*init).code == 0
    assert run("screen", "--no-others").code == 0
    before = run("profile", "--json").json()
    test, _ = walk(pain, where, answers, False, frozenset())
    sets = [f"{s.movement}:{s.pain},{s.where.label},{s.range or 'same'}" for s in test.sets]
    args = ["assess", "--record", "--baseline", f"{pain},{where.label}"]
    done = run(*args, *(a for s in sets for a in ("--set", s)))
    assert done.code == 0, done.err
    assert run("profile", "--json").json() == before


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("lis",), "ptcli: unknown action 'lis': 'ptcli assess' or 'ptcli assess list'\n"),
        (("list", "--record"), "ptcli: --record is for a test, not for 'assess list'\n"),
        (("--json",), "ptcli: --json is for 'ptcli assess list'\n"),
    ],
)
def test_assess_list_is_used_alone(run: Any, args: tuple[str, ...], error: str) -> None:
    done = run("assess", *args)
    assert (done.code, done.out, done.err) == (2, "", error)


def test_a_direction_an_assessment_spread_is_stopped_for_the_routine_too(
    run: Any, ready: None
) -> None:
    """M2: the routine leaves out the direction for 3 days, and a second test skips it."""
    run("init", "--preference", "extension")
    assert run("pain", "log", "4", "--where", "thigh").code == 0
    before = {e["id"] for e in run("today", "--json").json()["exercises"]}
    assert "prone-lying" in before
    done = run(
        "assess", "--record", "--baseline", "4,thigh", "--set", "extension-standing:4,calf,worse"
    )
    assert done.code == 0, done.err
    today = run("today", "--json").json()
    ids = {e["id"] for e in today["exercises"]}
    assert "prone-lying" not in ids and ids  # neutral work and walking stay
    left = {e["id"]: e["rule"] for e in today["left_out"]}
    assert left["prone-lying"] == "peripheralization"
    assert any("assessment" in alert["text"] for alert in today["alerts"])
    again = run(
        "assess", "--record", "--baseline", "4,thigh", "--set", "extension-lying:4,thigh,same"
    )
    assert again.code == 2
    assert again.err == (
        "ptcli: --set extension-lying: not tested: extension was stopped in the last 3 days "
        "(the stop rule)\n"
    )


def test_ctrl_c_in_the_middle_of_a_set_keeps_the_test_part_way(run: Any, ready: None) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ptcli", "assess", "--pace", "1"],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(30, 80),
    )
    screen = io.StringIO()
    child.logfile_read = screen
    try:
        for prompt, answer in (
            (r"\[y/n\] ", "n"),
            (r"Pain now, 0-10: ", "5"),
            (r"Where does it reach\s+\([a-z/]+\): ", "buttock"),
            (r"\(Enter: skip\): ", ""),
            (r"lean back\s+\([a-z/-]+\): ", "none"),
        ):
            child.expect(prompt)
            child.sendline(answer)
        child.expect_exact(START)
        child.send("\r")
        child.expect_exact("Set 1 of 1: 10 repetitions")  # plain lines: NO_COLOR
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 130, screen.getvalue()
    assert "Test stopped: what you answered is saved." in screen.getvalue()
    [test] = saved_tests(run)
    assert (test["partial"], test["extension"], test["fingertips_cm"], test["sets"]) == (
        True,
        "none",
        None,
        [],
    )
