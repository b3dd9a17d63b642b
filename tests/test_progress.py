"""Issue 18: the findings of a period (domain/outcomes.py) and `ptcli progress`.

Fixed histories with known answers (a 30 % drop in morning pain is meaningful, 20 % is
not; adherence counted against each day's routine, rest days not missed), property
tests of the findings, and the command through the CLI as a patient runs it.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptcli.domain import outcomes
from ptcli.domain.models import Extent, PainEntry
from tests.conftest import at_hour

TODAY = date.today()


def moment(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour).astimezone()


def pain(day: date, score: int, where: Extent | None = None, hour: int = 7) -> PainEntry:
    return PainEntry(f"p{day}{hour}", moment(day, hour), score, where)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def at(day: date, hour: int = 8) -> str:
    return at_hour(day, hour)


# Known answers: the NPRS threshold (DOMAIN 6: 2 points or 30 %)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (5.0, 3.5, True),  # 30 % down, 1.5 points
        (5.0, 4.0, False),  # 20 % down, 1 point
        (8.0, 6.0, True),  # 25 %, but 2 points
        (8.0, 6.5, False),  # 19 %, 1.5 points
        (3.0, 2.1, True),  # 30 % of a low baseline
        (0.0, 1.0, False),  # no percentage of 0: points only
        (4.0, 6.0, True),  # worse counts too
    ],
)
def test_a_change_is_meaningful_at_2_points_or_30_percent(
    before: float, after: float, expected: bool
) -> None:
    assert outcomes.meaningful(before, after) is expected


def weeks_of_pain(first: date, scores: list[list[int]]) -> list[PainEntry]:
    entries = []
    for w, week in enumerate(scores):
        for d, score in enumerate(week):
            entries.append(pain(first + timedelta(days=7 * w + d), score))
    return entries


def test_a_30_percent_drop_over_4_weeks_is_said_to_be_meaningful() -> None:
    first = date(2026, 5, 4)
    entries = weeks_of_pain(first, [[5] * 7, [5, 4, 5, 4, 5, 4, 5], [4] * 7, [3, 4, 3, 4, 3, 4, 3]])
    days = outcomes.mornings(entries, first, first + timedelta(days=27))
    weeks = outcomes.weekly_means(days, first, first + timedelta(days=27))
    change = outcomes.pain_change(weeks)
    assert change is not None
    assert (change.before, change.after, change.weeks) == (5.0, 3.4, 4)
    assert change.meaningful  # 32 % down, 1.6 points
    found = outcomes.Outcomes(
        first, first, tuple(days), tuple(weeks), change, None, None,
        outcomes.Adherence(0, 0), (), (), 0, 0, first, (),
    )  # fmt: skip
    said = outcomes.findings(found)[0]
    assert said == (
        "morning pain down from 5.0 to 3.4 over 4 weeks: a clinically meaningful change "
        "(2 points or 30 %)"
    )


def test_a_20_percent_drop_is_not_yet_meaningful() -> None:
    first = date(2026, 5, 4)
    entries = weeks_of_pain(first, [[5] * 7, [4] * 7])
    days = outcomes.mornings(entries, first, first + timedelta(days=13))
    change = outcomes.pain_change(outcomes.weekly_means(days, first, first + timedelta(days=13)))
    assert change is not None and (change.before, change.after) == (5.0, 4.0)
    assert not change.meaningful


def test_the_morning_is_the_first_entry_of_the_day_and_a_week_needs_3_of_them() -> None:
    first = date(2026, 5, 4)
    entries = [
        pain(first, 6, hour=7),
        pain(first, 2, hour=20),  # later the same day: not the morning
        pain(first + timedelta(days=1), 5),
        pain(first + timedelta(days=7), 3),
        pain(first + timedelta(days=8), 3),
        pain(first + timedelta(days=9), 4),
    ]
    days = outcomes.mornings(entries, first, first + timedelta(days=13))
    assert [m.score for m in days] == [6, 5, 3, 3, 4]
    weeks = outcomes.weekly_means(days, first, first + timedelta(days=13))
    assert [w.mean for w in weeks] == [None, pytest.approx(10 / 3)]  # 2 mornings: no mean
    assert outcomes.pain_change(weeks) is None


def test_thigh_pain_moving_back_to_the_buttock_is_said_with_its_day() -> None:
    first = date(2026, 5, 4)
    places = [Extent.THIGH, Extent.THIGH, Extent.CALF, Extent.THIGH, Extent.BUTTOCK, None]
    entries = [pain(first + timedelta(days=n), 5, w) for n, w in enumerate(places)]
    days = outcomes.mornings(entries, first, first + timedelta(days=6))
    assert outcomes.extent_trend(days) == "centralizing"
    assert outcomes.extent_move(days) == (Extent.THIGH, Extent.BUTTOCK, date(2026, 5, 8))


# Properties


scores = st.lists(st.integers(0, 10), min_size=0, max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    before=st.floats(0, 10, allow_nan=False),
    after=st.floats(0, 10, allow_nan=False),
)
def test_meaningful_is_the_threshold_either_way(before: float, after: float) -> None:
    change = abs(after - before)
    expected = change >= 2 - 1e-9 or (before > 0 and change / before >= 0.3 - 1e-9)
    assert outcomes.meaningful(before, after) is expected
    if change >= 2:  # points alone are enough, whatever the baseline
        assert outcomes.meaningful(after, before)


@settings(max_examples=200, deadline=None)
@given(
    days=st.lists(
        st.tuples(st.integers(0, 34), st.integers(0, 10), st.sampled_from([None, *Extent])),
        max_size=60,
    )
)
def test_weekly_means_and_the_change_follow_the_mornings(
    days: list[tuple[int, int, Extent | None]],
) -> None:
    first = date(2026, 3, 2)
    last = first + timedelta(days=34)
    entries = [
        pain(first + timedelta(days=d), s, w, hour=6 + n % 12) for n, (d, s, w) in enumerate(days)
    ]
    mornings = outcomes.mornings(entries, first, last)
    assert len({m.day for m in mornings}) == len(mornings)  # one morning a day
    weeks = outcomes.weekly_means(mornings, first, last)
    assert sum(w.mornings for w in weeks) == len(mornings)
    for week in weeks:
        if week.mean is not None:
            assert week.mornings >= 3 and 0 <= week.mean <= 10
        else:
            assert week.mornings < 3
    change = outcomes.pain_change(weeks)
    if change is not None:
        assert change.meaningful is outcomes.meaningful(change.before, change.after)
        assert 2 <= change.weeks <= len(weeks)
    trend = outcomes.extent_trend(mornings)
    move = outcomes.extent_move(mornings)
    if move is not None:
        assert move[0] != move[1] and trend is not None


# Adherence: against the engine's routine of each day, rest days not missed


def routine_every_day(run: Any, days: list[date]) -> None:
    for day in days:
        assert run("pain", "log", "2", "--where", "buttock", "--at", at(day, 7)).code == 0
        result = run("session", "log", "--routine", "--pain-after", "2", "--at", at(day, 9))
        assert result.code == 0, result.err


def start(run: Any, first: date) -> None:
    assert run("init", "--name", "Sam", "--side", "left").code == 0
    assert run("screen", "--no-others", "--at", at(first, 6)).code == 0


def test_doing_every_routine_is_all_done_though_some_exercises_rest_on_some_days(
    run: Any,
) -> None:
    first = ago(9)
    start(run, first)
    routine_every_day(run, [first + timedelta(days=n) for n in range(10)])
    found = run("progress", "--since", first.isoformat(), "--json").json()
    total = found["adherence"]
    assert total["done"] == total["prescribed"] > 0 and total["percent"] == 100
    # Exercises at 3 days a week rested on the days between: not counted as missed.
    rested = [e for e in found["adherence"]["exercises"] if e["prescribed"] < 10]
    assert rested, "a strengthening exercise (3 days a week) must rest on some days"
    assert all(e["done"] == e["prescribed"] for e in found["adherence"]["exercises"])
    assert found["streak"] == 10
    assert found["days_without_exercise"] == 0


def test_days_without_exercise_are_missed_and_said(run: Any) -> None:
    first = ago(9)
    start(run, first)
    routine_every_day(run, [first + timedelta(days=n) for n in range(6)])  # then 4 days off
    for n in range(6, 10):
        assert run("pain", "log", "3", "--at", at(first + timedelta(days=n), 7)).code == 0
    found = run("progress", "--since", first.isoformat(), "--json").json()
    total = found["adherence"]
    assert 0 < total["done"] < total["prescribed"]
    done_days = {w["first"]: w for w in found["adherence"]["weeks"]}
    assert done_days[first.isoformat()]["done"] > 0
    assert found["days_without_exercise"] == 4
    assert found["streak"] == 0
    assert f"4 days without exercise (last on {outcomes.short_day(ago(4))})" in found["findings"]
    # Missed: the routines of the 3 full days off; today's, not done yet, is not missed.
    prescribed_then = sum(
        len(run("routine", "--date", ago(k).isoformat(), "--format", "json").json()["exercises"])
        for k in (1, 2, 3)
    )
    assert total["prescribed"] - total["done"] == prescribed_then
    assert run("routine", "--format", "json").json()["exercises"]  # today has some, not counted


def test_the_streak_counts_back_from_yesterday_until_today_is_logged(run: Any) -> None:
    first = ago(3)
    start(run, first)
    routine_every_day(run, [ago(3), ago(2), ago(1)])
    assert run("progress", "--since", first.isoformat(), "--json").json()["streak"] == 3
    routine_every_day(run, [TODAY])
    assert run("progress", "--since", first.isoformat(), "--json").json()["streak"] == 4


# The command


def test_progress_at_80_columns_without_colour(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ago(27)
    start(run, first)
    for n in range(28):
        day = first + timedelta(days=n)
        where = "thigh" if n < 14 else "buttock"
        run("pain", "log", str(6 - n // 7), "--where", where, "--at", at(day, 7))
    monkeypatch.setenv("COLUMNS", "80")
    result = run("progress")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b" not in result.out
    assert "Morning pain, 0 to 10" in result.out and "How far down the leg" in result.out
    text = " ".join(result.out.split())
    assert (
        "morning pain down from 6.0 to 3.0 over 4 weeks: a clinically meaningful change "
        "(2 points or 30 %)" in text
    )
    assert f"thigh pain has moved back to the buttock since {outcomes.short_day(ago(13))}" in text
    assert "no exercise logged in this period" in text
    for label in ("foot", "calf", "thigh", "buttock", "none"):
        assert re.search(rf"^\s*{label}┤", result.out, re.M), label


def test_progress_of_an_empty_store_says_so(run: Any) -> None:
    assert run("init").code == 0
    result = run("progress")
    assert result.code == 0, result.err
    assert "no pain logged in this period" in result.out
    assert run("progress", "--json").json()["mornings"] == []


@pytest.mark.parametrize(
    ("since", "message"),
    [
        (
            (TODAY + timedelta(days=3)).isoformat(),
            f"--since {(TODAY + timedelta(days=3)).isoformat()} is in the future: give a day up to today",
        ),
        ("-400d", "--since -400d is more than a year ago: give a day within 366 days"),
        ("someday", "--since: "),
    ],
)
def test_progress_refuses_a_bad_since_in_one_line(run: Any, since: str, message: str) -> None:
    assert run("init").code == 0
    result = run("progress", "--since", since)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"ptcli: {message}") and result.err.count("\n") == 1


def test_a_name_with_control_characters_is_shown_visible(run: Any) -> None:
    assert run("init", "--name", "Sam\x1b[31m").code == 0
    result = run("progress")
    assert "\x1b" not in result.out
    assert "Progress of Sam\u241b[31m:" in result.out


def test_the_daily_commands_do_not_load_the_chart_libraries(db: Path) -> None:
    for command in (["today"], ["pain", "log", "3"]):
        probe = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "ptcli", *command],
            capture_output=True,
            text=True,
            env={**os.environ, "PTCLI_DB": str(db)},
        )
        assert "plotext" not in probe.stderr and "pygal" not in probe.stderr


# Adherence over random logs: the engine's routines, every count consistent


@functools.cache
def catalogue() -> Any:
    from ptcli.catalogue_file import load, packaged_path

    return load(packaged_path())


@settings(max_examples=25, deadline=None)
@given(
    data=st.data(),
    pains=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 10)), max_size=14),
)
def test_adherence_counts_only_what_each_day_prescribed(
    data: st.DataObject, pains: list[tuple[int, int]]
) -> None:
    from ptcli.domain.models import PatientLog, Profile, Screen, SessionEntry

    cat = catalogue()
    ids = [e.id for e in cat if not e.therapist_only and not e.pool]
    first = date(2026, 3, 2)
    last = first + timedelta(days=11)
    sessions = data.draw(st.lists(st.tuples(st.integers(0, 11), st.sampled_from(ids)), max_size=30))
    log = PatientLog(
        profile=Profile(name="P"),
        pain=tuple(pain(first + timedelta(days=d), s, Extent.BUTTOCK) for d, s in pains),
        sessions=tuple(
            SessionEntry(f"s{n}", moment(first + timedelta(days=d), 10), e, 1, 5, None, 2, None)
            for n, (d, e) in enumerate(sessions)
        ),
        screens=(Screen("scr", moment(first - timedelta(days=1)), (), ("bladder",)),),
    )
    today = last
    plans = outcomes.day_plans(cat, log, first, last, 14)
    total = outcomes.adherence(plans, today)
    assert 0 <= total.done <= total.prescribed
    for plan in plans:
        prescribed = {item.exercise.id for item in plan.routine.items}
        assert plan.done <= prescribed
        assert not prescribed & {r.exercise.id for r in plan.routine.resting}  # rest: not due
        done_that_day = {s.exercise for s in log.sessions if s.at.date() == plan.day}
        for item in plan.routine.items:
            chain = {e.id for e in cat.chain(item.exercise.chain)}
            assert (item.exercise.id in plan.done) is bool(chain & done_that_day)
    found = outcomes.outcomes(log, plans, first, last, today)
    assert sum(e.adherence.prescribed for e in found.by_exercise) == total.prescribed
    assert sum(w.adherence.done for w in found.weekly) == total.done
    logged_days = {s.at.date() for s in log.sessions}
    assert found.streak <= len(logged_days)


def test_a_new_patient_has_missed_nothing_before_they_began(run: Any) -> None:
    """The period starts no earlier than the log: a patient who began yesterday is not
    told of four weeks of missed exercise."""
    yesterday = ago(1)
    assert run("init").code == 0
    assert run("screen", "--no-others", "--at", at(yesterday, 7)).code == 0
    assert run("pain", "log", "3", "--at", at(yesterday)).code == 0
    found = run("progress", "--json").json()
    assert (found["first"], found["last"]) == (yesterday.isoformat(), date.today().isoformat())
    assert [w["first"] for w in found["adherence"]["weeks"]] == [yesterday.isoformat()]
    then = run("routine", "--date", yesterday.isoformat(), "--format", "json").json()
    assert found["adherence"]["prescribed"] == len(then["exercises"]) > 0
    assert found["adherence"]["done"] == 0
    assert "(2 days)" in run("progress").out


def test_a_water_class_done_is_the_days_pool_exercise_in_adherence(run: Any) -> None:
    """Adherence counts against what the engine prescribed each day, with the log the
    engine reads: a water class done takes that day's pool slot (DOMAIN 9), so the pool
    exercise is not counted as prescribed and missed."""
    yesterday = ago(1)
    assert run("init", "--pool").code == 0
    assert run("screen", "--no-others", "--at", at(yesterday, 7)).code == 0
    assert run("pain", "log", "3", "--at", at(yesterday)).code == 0

    def pool_prescribed() -> int:
        rows = run("progress", "--json").json()["adherence"]["exercises"]
        return sum(r["prescribed"] for r in rows if r["exercise"] == "water-walking")

    assert pool_prescribed() == 1
    added = run(
        *("appointment", "add", at(yesterday, 10), "--kind", "hydrotherapy-class", "--done")
    )
    assert added.code == 0, added.err
    assert pool_prescribed() == 0
