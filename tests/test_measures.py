"""Outcome measures (issue 18, DOMAIN.md section 6): scoring with known answers, meaningful
change by measure, properties of both, and the commands that record and list them."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ptcli.domain import measures
from ptcli.domain.models import MeasureEntry
from ptcli.domain.questionnaires import due

# ------------------------------------------------------------------ scoring, known answers


@pytest.mark.parametrize(
    ("measure", "answers", "expected"),
    [
        ("odi", [2, 3, 1, 2, 2, 3, 2, 1, 0, 2], Fraction(36)),  # 18 / 50
        ("odi", [2, 3, None, 2, 2, 3, 2, 1, 0, 2], Fraction(1700, 45)),  # 17 / 45 = 37.8 %
        ("odi", [5, 5, None, None, 5, 5, 5, 5, 5, 5], Fraction(100)),
        ("odi", [0] * 10, Fraction(0)),
        ("rmdq", [1, 0, 0, 1, 0, 0, 1] + [0] * 17, Fraction(3)),
        ("rmdq", [1] * 24, Fraction(24)),
        ("psfs", [4, 6, 3], Fraction(13, 3)),
        ("psfs", [10, 10, 10, 10, 9], Fraction(49, 5)),
        ("peg", [6, 5, 7], Fraction(6)),
    ],
)
def test_scores_are_those_of_the_published_scoring(
    measure: str, answers: list[int | None], expected: Fraction
) -> None:
    names = ["a"] * len(answers) if measure == "psfs" else []
    assert measures.problem(measure, answers, names) is None
    assert measures.score(measure, answers) == expected


@pytest.mark.parametrize(
    ("measure", "answers", "words"),
    [
        ("odi", [2, None, None, None, 1, 1, 1, 1, 1, 1], "3 sections missing"),
        ("odi", [2] * 9, "takes 10 answers, not 9"),
        ("odi", [6] + [0] * 9, "from 0 to 5"),
        ("rmdq", [None] + [0] * 23, "answer 1 is missing"),
        ("psfs", [4, 5], "3 to 5 answers"),
        ("psfs", [4, 5, 6, 7, 8, 9], "3 to 5 answers"),
        ("peg", [11, 0, 0], "from 0 to 10"),
    ],
)
def test_answers_that_do_not_score_are_refused_in_words(
    measure: str, answers: list[int | None], words: str
) -> None:
    names = ["a"] * len(answers) if measure == "psfs" else ()
    found = measures.problem(measure, answers, names)
    assert found is not None and words in found


# --------------------------------------------------------------- meaningful change


@pytest.mark.parametrize(
    ("measure", "baseline", "now", "meaningful"),
    [
        ("peg", Fraction(10), Fraction(7), True),  # 30 % down: meaningful
        ("peg", Fraction(10), Fraction(8), False),  # 20 %: not
        ("peg", Fraction(5), Fraction(7), True),  # 40 % worse: meaningful either way
        ("peg", Fraction(0), Fraction(5), False),  # no percentage of 0; PEG has no points bar
        ("odi", Fraction(60), Fraction(50), True),  # 10 points (16.7 %)
        ("odi", Fraction(60), Fraction(51), False),  # 9 points, 15 %
        ("odi", Fraction(20), Fraction(14), True),  # 6 points but 30 %
        ("odi", Fraction(20), Fraction(15), False),  # 5 points, 25 %
        ("rmdq", Fraction(20), Fraction(15), True),  # 5 points (25 %)
        ("rmdq", Fraction(10), Fraction(7), True),  # 3 points but 30 %
        ("rmdq", Fraction(10), Fraction(8), False),  # 2 points, 20 %
        ("psfs", Fraction(3), Fraction(5), True),  # 2 points
        ("psfs", Fraction(3), Fraction(14, 3), False),  # 1.67 points (56 %: PSFS has no % bar)
    ],
)
def test_meaningful_change_is_points_or_percent_of_the_baseline(
    measure: str, baseline: Fraction, now: Fraction, meaningful: bool
) -> None:
    assert measures.change(measure, baseline, now).meaningful is meaningful


def test_better_follows_each_measure_s_direction() -> None:
    assert measures.change("odi", Fraction(40), Fraction(20)).better is True  # less disability
    assert measures.change("psfs", Fraction(3), Fraction(6)).better is True  # more function
    assert measures.change("psfs", Fraction(6), Fraction(3)).better is False
    assert measures.change("peg", Fraction(6), Fraction(6)).better is None


ANSWERS = {
    "odi": st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=10, max_size=10).filter(
        lambda a: sum(x is None for x in a) <= 2
    ),
    "rmdq": st.lists(st.integers(0, 1), min_size=24, max_size=24),
    "psfs": st.lists(st.integers(0, 10), min_size=3, max_size=5),
    "peg": st.lists(st.integers(0, 10), min_size=3, max_size=3),
}
RANGE = {"odi": 100, "rmdq": 24, "psfs": 10, "peg": 10}


@given(st.data())
def test_every_valid_answer_set_scores_within_its_range(data: st.DataObject) -> None:
    measure = data.draw(st.sampled_from(measures.NAMES))
    answers = data.draw(ANSWERS[measure])
    names = [f"activity {n}" for n in range(len(answers))] if measure == "psfs" else []
    assert measures.problem(measure, answers, names) is None
    assert 0 <= measures.score(measure, answers) <= RANGE[measure]


@given(
    st.sampled_from(measures.NAMES),
    st.fractions(0, 100, max_denominator=60),
    st.fractions(0, 100, max_denominator=60),
)
def test_meaningful_is_symmetric_in_size_and_exactly_the_documented_bars(
    measure: str, baseline: Fraction, now: Fraction
) -> None:
    spec = measures.MEASURES[measure]
    moved = measures.change(measure, baseline, now)
    points = abs(now - baseline)
    expected = bool(points) and (
        (spec.points is not None and points >= spec.points)
        or (spec.percent is not None and baseline > 0 and points * 100 >= spec.percent * baseline)
    )
    assert moved.meaningful == expected
    assert moved.points == now - baseline
    # A larger change in the same direction is never less meaningful.
    further = now + (now - baseline)
    if further >= 0 and moved.meaningful:
        assert measures.change(measure, baseline, further).meaningful


def entry(
    measure: str, answers: list[int | None], days_ago: int, names: tuple[str, ...] = ()
) -> MeasureEntry:
    at = datetime(2026, 11, 29, 9, tzinfo=UTC) - timedelta(days=days_ago)
    return MeasureEntry(f"m{days_ago}{measure}", at, measure, tuple(answers), names)


def test_history_compares_each_measure_with_its_own_first() -> None:
    rows = measures.history(
        [
            entry("peg", [8, 8, 8], 28),
            entry("odi", [3] * 10, 27),  # 60 %
            entry("peg", [6, 5, 6], 14),  # 5.67: 29.2 % down, not meaningful
            entry("odi", [2] * 10, 13),  # 40 %: 20 points, meaningful
            entry("peg", [5, 6, 5], 0),  # 5.33: 33 % down
        ]
    )
    assert [(r.measure, r.baseline, r.change and r.change.meaningful) for r in rows] == [
        ("peg", True, None),
        ("odi", True, None),
        ("peg", False, False),
        ("odi", False, True),
        ("peg", False, True),
    ]
    assert rows[3].words == (
        "ODI 40 % (from 60 %, down 20 points, 33.3 %): a meaningful improvement (10 points or 30 %)"
    )
    assert rows[2].words.endswith("an improvement, not yet meaningful (30 %)")


def test_psfs_and_peg_are_due_at_start_then_every_two_weeks_odi_once_chosen() -> None:
    day = date(2026, 11, 29)
    assert due([], day) == ["psfs", "peg"]
    done = [entry("psfs", [1, 2, 3], 13, ("a", "b", "c")), entry("peg", [1, 2, 3], 14)]
    assert due(done, day) == ["peg"]
    assert due([*done, entry("odi", [1] * 10, 20)], day) == ["peg", "odi"]


# ----------------------------------------------------------------------- the commands


def test_odi_and_rmdq_score_paper_forms_and_list_shows_the_change(run: Any) -> None:
    assert run("measure", "odi", "--scores", "3,3,3,3,3,3,3,3,3,3", "--at", "-20d").code == 0
    done = run("measure", "odi", "--scores", "2,2,-,2,2,2,2,2,2,")
    assert done.code == 0, done.err
    assert "Oswestry Disability Index: 40 %" in done.out
    assert run("measure", "rmdq", "--items", "1,4,7").out.startswith(
        "Recorded Roland-Morris Disability Questionnaire: 3/24"
    )
    listed = run("measure", "list", "odi", "--json").json()
    assert [(r["score"], r["change"], r["meaningful"]) for r in listed] == [
        (60.0, None, False),
        (40.0, -20.0, True),
    ]
    assert listed[1]["change_percent"] == -33.33 and listed[1]["better"] is True
    table = run("measure", "list").out.replace("\u00a0", " ")  # "100 %" kept on one line
    assert "down 20 points, 33.3 %): a meaningful improvement (10 points or 30 %)" in table
    assert "RMDQ 3/24: baseline" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["odi", "--scores", "1,2,3"], "ODI takes 10 answers, not 3"),
        (["odi", "--scores", "1,-,-,-,1,1,1,1,1,1"], "ODI has 3 sections missing"),
        (["odi", "--scores", "1,2,x,1,1,1,1,1,1,1"], "--scores: 'x' is not a whole number from 0 to 5"),
        (["rmdq", "--items", "0"], "--items: '0' is not a whole number from 1 to 24"),
        (["rmdq", "--items", "3,3"], "--items names a statement twice"),
        (["peg", "--answers", "1,2"], "PEG takes 3 answers, not 2"),
        (["psfs", "--answers", "4,5,6"], "name the activities with --activity NAME"),
        (["psfs", "--activity", "a", "--activity", "b", "--answers", "4,5"], "PSFS takes 3 to 5"),
        (["list", "nprs"], "unknown measure 'nprs'"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    run: Any, args: list[str], message: str
) -> None:
    result = run("measure", *args)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("ptcli: ") and message in result.err
    assert result.err.count("\n") == 1
    assert run("export").json()["measures"] == []


def test_psfs_asks_and_offers_last_time_s_activities(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("walking 30 min\nsitting\ngardening\n\n2\n3\n4\n"))
    first = run("measure", "psfs")
    assert first.code == 0, first.err
    assert "Recorded Patient-Specific Functional Scale: 3/10" in first.out
    monkeypatch.setattr("sys.stdin", io.StringIO("\n5\n6\n7\n"))
    again = run("measure", "psfs")
    assert "Last time you named: walking 30 min; sitting; gardening." in again.out
    listed = run("measure", "list", "psfs", "--json").json()
    assert [(r["score"], r["meaningful"]) for r in listed] == [(3.0, False), (6.0, True)]
    stored = run("export").json()["measures"]
    assert stored[1]["activities"] == ["walking 30 min", "sitting", "gardening"]
    assert stored[1]["answers"] == [5, 6, 7]


def test_peg_asks_its_three_questions_again_until_answered(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("6\n11\nfive\n5\n7\n"))
    result = run("measure", "peg")
    assert result.code == 0, result.err
    assert result.out.count("Type a whole number from 0 to 10.") == 2
    assert "PEG (pain, enjoyment of life, general activity): 6/10" in result.out


def test_answers_that_end_early_write_nothing(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("6\n"))
    result = run("measure", "peg")
    assert (result.code, result.err) == (2, "ptcli: the answers ended early: nothing was written\n")
    assert run("export").json()["measures"] == []


def test_answers_that_are_not_utf8_write_nothing(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A script's answers file with bytes that are not UTF-8 (found by test_fuzz)."""
    stdin = io.TextIOWrapper(io.BytesIO(b"walking\n\xff\xfe\n"), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    result = run("measure", "psfs")
    assert (result.code, result.err.splitlines()[-1]) == (
        2,
        "ptcli: an answer is not valid text (UTF-8): nothing was written",
    )
    assert run("export").json()["measures"] == []


def test_an_import_whose_score_does_not_match_its_answers_is_refused(
    run: Any, tmp_path: Any
) -> None:
    import json

    run("measure", "peg", "--answers", "6,5,7")
    document = run("export").json()
    document["measures"][0]["score"] = 2
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(document))
    result = run("import", str(path))
    assert result.code == 2 and "'score' does not match its answers (6.00)" in result.err


def test_today_reminds_of_due_measures_in_one_line(run: Any) -> None:
    run("init", "--name", "Sam")
    shown = run("today").out
    assert [line for line in shown.splitlines() if "measure" in line] == [
        "Questionnaires due: ptcli measure psfs, ptcli measure peg."
    ]
    assert run("today", "--json").json()["measures_due"] == ["psfs", "peg"]
    run("measure", "peg", "--answers", "6,5,7")
    run(
        "measure",
        "psfs",
        "--activity",
        "a",
        "--activity",
        "b",
        "--activity",
        "c",
        "--answers",
        "1,2,3",
    )
    assert "measure" not in run("today").out
    assert run("today", "--json").json()["measures_due"] == []


# ----------------------------------------------------------------------------- FHIR


def test_fhir_has_odi_as_a_loinc_observation_and_the_others_as_responses(run: Any) -> None:
    from fhir.resources.R4B.bundle import Bundle

    run("init", "--name", "Ann")
    run("measure", "odi", "--scores", "2,2,-,2,2,2,2,2,2,2")
    run("measure", "rmdq", "--items", "2,5")
    run("measure", "psfs", "--activity", "walking", "--activity", "sitting", "--activity",
        "lifting", "--answers", "4,6,3")  # fmt: skip
    peg_id = run("measure", "peg", "--answers", "6,5,7").out.split("(id ")[1].rstrip(").\n")
    deleted = run("delete", peg_id, "--reason", "typed for another patient")
    assert deleted.code == 0, deleted.err
    listed = run("measure", "list", "--json").json()
    assert [row["measure"] for row in listed] == ["odi", "rmdq", "psfs"]  # as every reader sees
    result = run("export", "--format", "fhir")
    assert (result.code, result.err) == (0, "")
    Bundle.model_validate(result.json())  # the R4B models accept every resource
    found = [e["resource"] for e in result.json()["entry"]]
    [odi] = [r for r in found if r.get("code", {}).get("coding", [{}])[0].get("code") == "97909-6"]
    assert odi["valueQuantity"] == {
        "value": 40.0, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%",
    }  # fmt: skip
    responses = [r for r in found if r["resourceType"] == "QuestionnaireResponse"]
    assert [r["questionnaire"].rsplit("/", 1)[1] for r in responses] == ["rmdq", "psfs", "peg"]
    rmdq, psfs, peg = responses
    assert rmdq["item"][-1] == {
        "linkId": "total",
        "text": "Total",
        "answer": [{"valueDecimal": 2.0}],
    }
    assert [item.get("text") for item in psfs["item"]] == ["walking", "sitting", "lifting", "Total"]
    assert peg["status"] == "entered-in-error"  # deleted: kept, marked
    assert psfs["status"] == "completed"


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_measures_go_out_and_back_in_and_merge_once(run: Any, tmp_path: Any, fmt: str) -> None:
    run("init", "--name", "Ann")
    run("measure", "odi", "--scores", "2,2,-,2,2,2,2,2,2,2", "--at", "-3d")
    run("measure", "psfs", "--activity", "walking; far", "--activity", "sitting", "--activity",
        "lifting", "--answers", "4,6,3")  # fmt: skip
    path = tmp_path / f"out.{fmt}"
    assert run("export", "--format", fmt, "--output", str(path)).code == 0
    other = str(tmp_path / "other.json")
    first = run("--db", other, "import", str(path))
    assert first.code == 0, first.err
    assert "2 outcome measures" in first.out
    again = run("--db", other, "import", str(path))
    assert "nothing new; 2 already present" in again.out.replace("Imported ", "")
    mine = run("measure", "list", "--json").json()
    theirs = run("--db", other, "measure", "list", "--json").json()
    assert mine == theirs and len(mine) == 2
    csv = run("--db", other, "export", "--format", "csv", "--table", "measures").out.splitlines()
    assert csv[0] == "id,at,measure,answers,activities,score,local_time"
    assert ",odi,2;2;;2;2;2;2;2;2;2,,40.0," in csv[1]
    assert ",psfs,4;6;3,walking; far;sitting;lifting,4.33," in csv[2]


# ------------------------------------------------------------------ in a real terminal


def terminal(*args: str, columns: int = 60) -> Any:
    import os
    import sys

    import pexpect

    from tests.conftest import ROOT

    return pexpect.spawn(
        sys.executable,
        ["-m", "ptcli", *args],
        env={
            **{k: v for k, v in os.environ.items() if k != "COLUMNS"},  # the terminal's width
            "TERM": "dumb",
            "PYTHONPATH": str(ROOT / "src"),
        },
        encoding="utf-8",
        timeout=30,
        dimensions=(40, columns),
    )


def test_psfs_in_a_60_column_terminal_wraps_at_spaces_and_saves(run: Any) -> None:
    import pexpect

    child = terminal("measure", "psfs")
    child.expect("Activity 1: ")
    from ptcli.cli.measure import PSFS_INTRO

    lines = child.before.splitlines()
    assert len(lines) > 1 and all(len(line) < 60 for line in lines)
    assert " ".join(lines) == PSFS_INTRO  # wrapped at spaces only
    for name in ("walking to the shop", "sitting through a film", "putting on socks"):
        child.sendline(name)
    child.expect(r"Activity 4 \(Enter when done\): ")
    child.sendline("")
    for score in ("3", "5", "2"):
        child.expect("0-10: ")
        child.sendline(score)
    child.expect("Recorded Patient-Specific Functional Scale: 3.3/10")
    child.expect(pexpect.EOF)
    stored = run("export").json()["measures"]
    assert stored[0]["activities"] == ["walking to the shop", "sitting through a film",
                                       "putting on socks"]  # fmt: skip


def test_ctrl_c_while_answering_writes_nothing(run: Any) -> None:
    import pexpect

    child = terminal("measure", "peg")
    child.expect("0-10: ")
    child.sendline("6")
    child.expect("0-10: ")
    child.sendintr()
    child.expect("ptcli: interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert run("export").json()["measures"] == []
