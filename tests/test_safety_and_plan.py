"""The safety screen, flags and the therapist's plan, through the CLI as people use them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ptcli.domain.safety import ITEMS
from tests.conftest import run_process

EMERGENCY_ITEMS = [
    "saddle-numbness",
    "bladder",
    "bowel",
    "sexual-function",
    "both-legs",
    "leg-weakness",
]
URGENT_ITEMS = [
    "fever",
    "cancer-history",
    "weight-loss",
    "immunosuppression",
    "trauma",
    "night-pain",
    "one-leg-weakness",
]


def test_the_screen_asks_every_item_of_the_issue() -> None:
    assert list(ITEMS) == EMERGENCY_ITEMS + URGENT_ITEMS
    assert [item.level for item in ITEMS.values()] == ["emergency"] * 6 + ["urgent"] * 7


def test_interactive_screen_asks_each_question_and_records_the_answers(db: Path) -> None:
    answers = "\n".join(["n", "maybe", "y", *["n"] * 11]) + "\n"  # "maybe" is asked again
    process = run_process("screen", input=answers)
    assert process.returncode == 3, process.stderr  # stopped for safety
    assert process.stdout.count("[y/n]") == 14
    assert "Please answer y or n." in process.stdout
    assert "Is there new trouble passing urine" in process.stdout
    assert "Screen recorded at" in process.stdout and "13 answers" in process.stdout
    assert "EMERGENCY (stopped for safety): You reported a change in bladder control." in (
        process.stderr
    )
    assert "Seek emergency care now" in process.stderr
    listed = run_process("flag", "list", "--json").stdout
    assert '"item": "bladder"' in listed and '"active": true' in listed


def test_an_interactive_screen_that_ends_early_keeps_the_answers_given(run: Any) -> None:
    process = run_process("screen", input="n\nn\n")
    assert process.returncode == 2
    assert process.stderr == (
        "ptcli: input ended after 2 of 13 answers: those are saved; "
        "run 'ptcli screen' again to finish\n"
    )
    [screen] = run("export").json()["screens"]
    assert (screen["yes"], screen["no"]) == ([], ["saddle-numbness", "bladder"])
    assert run("flag", "list").out.startswith("No active flags.")


def test_an_interactive_screen_with_no_answer_records_nothing(db: Path) -> None:
    process = run_process("screen", input="")
    assert process.returncode == 2
    assert process.stderr.startswith("ptcli: the screen needs an answer to every question")
    assert len(process.stderr.splitlines()) == 1
    assert "Screen recorded" not in process.stdout


def test_an_emergency_flag_blocks_the_routine_until_cleared_with_a_note(run: Any) -> None:
    run("pain", "log", "2", "--where", "buttock")
    run("screen", "--yes", "saddle-numbness", "--no-others")
    routine = run("today", "--json").json()
    assert (routine["status"], routine["exercises"]) == ("blocked", [])
    assert routine["alerts"][0]["level"] == "emergency"
    assert routine["alerts"][0]["item"] == "saddle-numbness"
    assert "numbness around the saddle area" in routine["message"]
    assert "Seek emergency care now" in routine["message"]
    table = run("today").out
    assert "EMERGENCY" in table and "NO EXERCISES TODAY" in table
    # A later "no" does not clear it: only a clearance with a note does.
    run("screen", "--no-others")
    assert run("today", "--json").json()["status"] == "blocked"
    cleared = run("flag", "clear", "saddle-numbness", "--note", "seen in A&E, scan clear")
    assert cleared.code == 0
    after = run("today", "--json").json()
    assert after["status"] == "ok" and after["exercises"]
    history = run("flag", "list", "--all", "--json").json()["flags"]
    assert history[0]["cleared"]["note"] == "seen in A&E, scan clear"
    assert run("flag", "list").out.startswith("No active flags.")


def test_an_urgent_flag_from_a_pain_entry_keeps_to_the_gentle_programme(run: Any) -> None:
    logged = run("pain", "log", "2", "--where", "back", "--flag", "fever")
    assert logged.code == 0 and "flagged fever" in logged.err
    routine = run("today", "--json").json()
    assert routine["status"] == "ok"
    assert routine["band"] == "amber"  # pain 2 would be green
    assert [a["level"] for a in routine["alerts"] if a["item"] == "fever"] == ["urgent"]
    assert "contact your GP or physiotherapist soon" in routine["message"]
    assert all(e["change"] != "progressed" for e in routine["exercises"])


def test_today_reminds_to_screen_when_no_full_screen_in_seven_days(run: Any) -> None:
    def reminded() -> bool:
        alerts = run("today", "--json").json()["alerts"]
        return any(
            a == {"level": "caution", "item": "screen", "text": alerts[0]["text"]} for a in alerts
        )

    assert reminded()
    run("screen", "--no-others", "--at", "-7d")
    assert reminded()
    run("screen", "--yes", "fever")  # a partial screen is not a full one
    run("flag", "clear", "fever", "--note", "no fever on checking")
    assert reminded()
    run("screen", "--no-others", "--at", "-6d")
    assert not reminded()


def test_the_plan_pins_exercises_with_history(run: Any) -> None:
    run("screen", "--no-others")
    run("pain", "log", "2", "--where", "buttock")
    assert run("plan", "set", "side-glide-at-wall", "--reps", "8", "--per-day", "4").code == 0
    assert run("plan", "set", "dynamic-bridge", "--sets", "3").code == 0
    routine = run("today", "--json").json()
    pinned = {e["id"]: e for e in routine["exercises"]}
    # Therapist-only, and not the preferred direction: the pin overrides both.
    glide = pinned["side-glide-at-wall"]
    assert (glide["sets"], glide["reps"], glide["times_per_day"]) == (1, 8, 4)
    assert glide["reason"]["rule"] == "plan"
    assert pinned["dynamic-bridge"]["sets"] == 3
    shown = run("plan", "show", "--json").json()
    assert [c["exercise"] for c in shown] == ["side-glide-at-wall", "dynamic-bridge"]
    run("plan", "drop", "dynamic-bridge")
    run("plan", "clear")
    assert run("plan", "show").out.startswith("The plan pins nothing")
    actions = [(c["action"], c["exercise"]) for c in run("plan", "history", "--json").json()]
    assert actions == [
        ("set", "side-glide-at-wall"),
        ("set", "dynamic-bridge"),
        ("drop", "dynamic-bridge"),
        ("clear", None),
    ]
    assert "side-glide-at-wall" not in {e["id"] for e in run("today", "--json").json()["exercises"]}


def test_safety_wins_over_the_plan(run: Any) -> None:
    run("plan", "set", "dynamic-bridge")
    run("pain", "log", "8", "--where", "calf")
    red = run("today", "--json").json()
    assert "dynamic-bridge" not in {e["id"] for e in red["exercises"]}
    assert {
        "id": "dynamic-bridge",
        "why": "no loaded exercise in the red band",
        "rule": "never-in-red",
    } in red["left_out"]


def test_explain_names_rules_and_the_entries_read(run: Any) -> None:
    run("init", "--preference", "extension")
    run("screen", "--no-others", "--at", "-1d")
    entry = run("pain", "log", "3", "--where", "thigh", "--at", "-1d").out.split("(id ")[1][:20]
    run("session", "log", "prone-lying", "--pain-after", "2", "--at", "-1d")
    run("pain", "log", "2", "--where", "buttock")
    explained = run("today", "--explain").out
    assert "Why this routine" in explained
    assert "prone-lying (held): [one-easy-session]" in explained
    assert f"({entry})" in explained  # the pain entry the settled check read
    assert (
        "single-knee-to-chest: flexion-biased, the opposite of your extension preference"
        in explained
    )


def test_preference_flexion_leaves_extension_out(run: Any) -> None:
    assert "preference flexion" in run("init", "--preference", "flexion").out
    run("pain", "log", "2")
    ids = {e["id"] for e in run("today", "--json").json()["exercises"]}
    assert "flexion-in-lying" in ids and "prone-lying" not in ids
    assert "preference -" in run("init", "--preference", "none").out


def test_screens_clearances_and_plan_travel_through_export_and_import(
    run: Any, tmp_path: Path
) -> None:
    run("screen", "--yes", "trauma", "--no-others")
    run("flag", "clear", "trauma", "--note", "X-ray clear")
    run("plan", "set", "walking", "--hold", "900")
    run("export", "--output", str(tmp_path / "all.json"))
    other = str(tmp_path / "other.json")
    imported = run("--db", other, "import", str(tmp_path / "all.json"))
    assert (
        imported.out
        == "Imported 1 screen, 1 flag clearance and 1 plan change; 0 already present; profile filled in.\n"
    )
    flags = run("--db", other, "flag", "list", "--all", "--json").json()["flags"]
    assert [(f["item"], f["active"]) for f in flags] == [("trauma", False)]
    assert run("--db", other, "plan", "show", "--json").json()[0]["hold_s"] == 900
    csv_rows = run("export", "--format", "csv", "--table", "screens").out.splitlines()
    assert csv_rows[0] == "id,at,yes,no,local_time"
    assert (
        csv_rows[1]
        .rsplit(",", 1)[0]
        .endswith(",trauma," + ";".join(i for i in ITEMS if i != "trauma"))
    )
