"""Today's routine through the CLI: bands, pool, peripheralization, the quick routine, outputs."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest

KEYS = {"date", "status", "band", "pain", "message", "exercises"}
EXERCISE_KEYS = {"id", "name", "category", "sets", "reps", "hold_s", "times_per_day", "why"}


def categories(routine: dict[str, Any]) -> list[str]:
    return [e["category"] for e in routine["exercises"]]


def test_today_on_an_empty_store_is_the_gentle_programme(run: Any, db: Path) -> None:
    routine = run("today", "--json").json()
    assert set(routine) >= KEYS
    assert (routine["status"], routine["band"], routine["pain"]) == ("ok", "amber", None)
    assert "No pain logged" in routine["message"] and "ptcli pain log" in routine["message"]
    assert routine["exercises"] and all(set(e) >= EXERCISE_KEYS for e in routine["exercises"])
    assert not db.exists()


@pytest.mark.parametrize(
    ("score", "band", "expected"),
    [
        (
            2,
            "green",
            [
                "mckenzie",
                "neural",
                "isometric",
                "isometric",
                "isometric",
                "isotonic",
                "stretch",
                "aerobic",
                "massage",
            ],
        ),
        (5, "amber", ["mckenzie", "neural", "isometric", "isometric", "aerobic", "massage"]),
        (8, "red", ["mckenzie", "isometric", "aerobic"]),
    ],
)
def test_the_band_of_the_latest_pain_decides_the_programme(
    run: Any, score: int, band: str, expected: list[str]
) -> None:
    run("screen", "--no-others")
    run("pain", "log", "9", "--where", "calf", "--at", "yesterday")
    run("pain", "log", str(score), "--where", "thigh")
    routine = run("today", "--json").json()
    assert routine["band"] == band
    assert routine["pain"] == {"score": score, "where": "thigh"}
    assert categories(routine) == expected
    assert routine["reasons"][0] == {
        "rule": "band",
        "text": f"Worst pain today {score}/10: {band} band.",
        "evidence": [ANY],
    }


def test_red_gives_the_lowest_dose_of_each_range(run: Any) -> None:
    red = run("routine", "--pain", "8", "--format", "json").json()
    green = run("routine", "--pain", "1", "--format", "json").json()
    walking = {r["id"]: r for r in red["exercises"]}["walking"]
    assert walking["hold_s"] == 600
    prone = {r["id"]: r for r in red["exercises"]}["prone-lying"]
    assert prone["hold_s"] == 120
    assert {e["id"] for e in green["exercises"]} >= {"prone-lying", "walking"}
    assert "contact your physiotherapist" in red["message"]


def test_pool_exercises_only_with_pool_access_and_then_in_every_band(run: Any) -> None:
    assert "hydrotherapy" not in categories(
        run("routine", "--pain", "8", "--format", "json").json()
    )
    run("init", "--pool")
    for score in ("1", "5", "9"):
        run("pain", "log", score)
        assert "hydrotherapy" in categories(run("today", "--json").json()), score


def test_an_exercise_that_sent_pain_down_the_leg_is_left_out_with_its_harder_levels(
    run: Any,
) -> None:
    run("pain", "log", "3", "--where", "buttock", "--at", "yesterday")
    before = [e["id"] for e in run("today", "--json").json()["exercises"]]
    assert before[0] == "prone-lying"
    run("session", "log", "prone-lying", "--where-after", "calf", "--at", "yesterday")
    routine = run("today", "--json").json()
    assert not {"prone-lying", "prone-on-elbows", "partial-press-up"} & {
        e["id"] for e in routine["exercises"]
    }
    assert "Left out: Lying face down" in routine["message"]
    assert "walking" in [e["id"] for e in routine["exercises"]]


def test_a_peripheralized_exercise_stays_out_for_three_days(run: Any) -> None:
    run("pain", "log", "3", "--where", "buttock", "--at", "2026-11-01T08:00")
    run("session", "log", "prone-lying", "--where-after", "thigh", "--at", "2026-11-01T09:00")

    def ids(day: str) -> list[str]:
        return [
            e["id"] for e in run("routine", "--date", day, "--format", "json").json()["exercises"]
        ]

    assert "prone-lying" not in ids("2026-11-01")
    assert "prone-lying" not in ids("2026-11-03")
    assert "prone-lying" in ids("2026-11-04")


def test_spreading_rules_out_every_exercise_in_that_direction(run: Any) -> None:
    run("pain", "log", "3", "--where", "thigh")
    result = run("session", "log", "prone-lying", "--where-after", "calf")
    assert "pain spread further down your leg after this exercise" in result.err
    routine = run("today", "--json").json()
    ids = [e["id"] for e in routine["exercises"]]
    assert "standing-extension" not in ids and "prone-lying" not in ids
    assert "harder exercises in extension" in routine["message"]


def test_an_earlier_session_is_the_baseline_after_the_first_set(run: Any) -> None:
    run("session", "log", "prone-lying", "--where-after", "buttock", "--at", "-0d")
    run("session", "log", "prone-on-elbows", "--where-after", "calf")
    routine = run("today", "--json").json()
    assert "prone-lying" in [e["id"] for e in routine["exercises"]]  # the easier level stays
    assert "Left out: Lying on your elbows" in routine["message"]
    assert "Lying face down" not in routine["message"]


def test_new_central_back_pain_is_not_spreading(run: Any) -> None:
    run("pain", "log", "1", "--where", "none")
    result = run("session", "log", "prone-lying", "--where-after", "back")
    assert result.err == ""
    assert "prone-lying" in [e["id"] for e in run("today", "--json").json()["exercises"]]


def test_yesterdays_pain_says_so(run: Any) -> None:
    run("pain", "log", "2", "--where", "thigh", "--at", "yesterday")
    message = run("today", "--json").json()["message"]
    assert "Pain 2/10 reaching the thigh (logged yesterday): green, but gentle while " in message
    run("screen", "--no-others")
    assert (
        "Pain 2/10 reaching the thigh (logged yesterday): green."
        in run("today", "--json").json()["message"]
    )


def test_weekly_strengthening_says_its_days(run: Any) -> None:
    routine = run("routine", "--pain", "2", "--format", "json").json()
    bridge = {e["id"]: e for e in routine["exercises"]}["dynamic-bridge"]
    assert bridge["days_per_week"] == 3
    markdown = run("routine", "--pain", "2", "--format", "markdown").out
    assert "*2 sets of 10 repetitions, once a day, 3 days a week.*" in markdown


def test_centralizing_or_unchanged_sessions_leave_the_routine_alone(run: Any) -> None:
    run("pain", "log", "3", "--where", "calf")
    run("session", "log", "prone-lying", "--where-after", "thigh")
    run("session", "log", "mcgill-curl-up", "--where-after", "calf")
    assert "prone-lying" in [e["id"] for e in run("today", "--json").json()["exercises"]]


def test_the_quick_routine_never_touches_the_store(run: Any, db: Path) -> None:
    run("pain", "log", "9")
    before = db.read_bytes()
    routine = run("routine", "--pain", "2", "--where", "thigh", "--format", "json").json()
    assert routine["band"] == "green" and routine["pain"] == {"score": 2, "where": "thigh"}
    assert db.read_bytes() == before


def test_routine_for_a_past_date_reads_that_days_log(run: Any) -> None:
    run("screen", "--no-others", "--at", "2026-01-10T08:00")
    run("pain", "log", "8", "--at", "2026-01-10T09:00")
    run("pain", "log", "2", "--at", "2026-01-20T09:00")
    assert run("routine", "--date", "2026-01-10", "--format", "json").json()["band"] == "red"
    assert run("routine", "--date", "2026-01-20", "--format", "json").json()["band"] == "green"
    assert run("routine", "--date", "2026-01-15", "--format", "json").json()["pain"] is None


def test_today_is_routine_for_today(run: Any) -> None:
    run("pain", "log", "5", "--where", "thigh")
    today = run("today", "--json").json()
    assert today.pop("measures_due") == ["psfs", "peg"]  # today alone reminds of measures
    # and the two reminders of today (issue 19): the next appointment, the next lesson
    assert (today.pop("next_appointment"), today.pop("next_lesson")["number"]) == (None, 1)
    assert today == run("routine", "--format", "json").json()


def test_table_and_markdown_show_every_exercise_and_the_stop_rule(run: Any) -> None:
    run("screen", "--no-others")
    run("pain", "log", "2")
    routine = run("today", "--json").json()
    table = run("today").out
    markdown = run("routine", "--format", "markdown").out
    for exercise in routine["exercises"]:
        assert exercise["name"] in table and exercise["name"] in markdown
    assert "A good day (pain 2/10)" in table and "Stop any exercise" in table
    assert markdown.startswith("# Your home exercise programme")
    assert "Stop if the pain spreads further down your leg" in markdown


def test_output_goes_to_a_private_file(run: Any, tmp_path: Path) -> None:
    target = tmp_path / "routine.md"
    result = run("routine", "--pain", "4", "--format", "markdown", "--output", str(target))
    assert (result.code, result.out, result.err) == (0, "", f"Wrote {target}\n")
    assert target.read_text().startswith("# Your home exercise programme")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_history_until_a_past_day_shows_the_30_days_before_it(run: Any) -> None:
    run("pain", "log", "4", "--at", "2025-01-20T08:00")
    run("pain", "log", "5", "--at", "2024-12-01T08:00")
    result = run("history", "--until", "2025-01-31", "--json")
    assert [e["score"] for e in result.json()] == [4]


def test_session_log_defaults_to_todays_prescribed_dose(run: Any) -> None:
    run("pain", "log", "8")
    run("session", "log", "walking")
    run("session", "log", "dynamic-bridge")
    sessions = run("history", "--json").json()
    by_exercise = {e["exercise"]: e for e in sessions if e["type"] == "session"}
    walk, bridge = by_exercise["walking"], by_exercise["dynamic-bridge"]
    assert (walk["exercise"], walk["hold_s"]) == ("walking", 600)
    assert (bridge["sets"], bridge["reps"], bridge["hold_s"]) == (2, 10, None)
