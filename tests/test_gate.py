"""The one gate (DOMAIN.md section 1): every path that offers, leads or schedules an exercise
asks it, in the reader's time zone.

Properties over random catalogues that pass ``catalogue check``, random logs and random
UTC offsets; then the outside audit's reproductions (issue 11), through the CLI.
"""

from __future__ import annotations

import copy
import io
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta, timezone
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ptcli.domain import ceilings, plan, safety
from ptcli.domain.catalogue import Catalogue, validate
from ptcli.domain.engine import build_routine, offer
from ptcli.domain.gate import open_gate
from ptcli.domain.models import CATEGORIES, Band, PatientLog, RoutineItem
from ptcli.domain.progression import Dosed
from ptcli.domain.when import local_day
from tests.conftest import ROOT
from tests.test_engine_properties import CATALOGUE, DAY, logs

RAW = yaml.safe_load((ROOT / "exercises.yaml").read_text(encoding="utf-8"))
IDS = [entry["id"] for entry in RAW["exercises"]]
BANDS = [band.value for band in Band]
PROPERTY = settings(max_examples=60, deadline=None)


def within_ceilings(entry: dict[str, Any]) -> None:
    """Bring an entry's dose (and its range) under the ceilings of its new category."""
    top = ceilings.limits(ceilings.DEFAULTS, entry["category"])
    dose = entry["dose"]
    for field, limit in (("sets", top.sets), ("reps", top.reps), ("hold_s", top.hold_s)):
        if dose.get(field) is not None:
            dose[field] = min(dose[field], limit)
        bounds = dose["range"].get(field)
        if bounds is not None:
            dose["range"][field] = [min(bounds[0], limit), min(bounds[1], limit)]
    dose["times_per_day"] = min(dose["times_per_day"], top.times_per_day)
    dose["days_per_week"] = min(dose["days_per_week"], top.days_per_week)


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    """The shipped catalogue with each chain's category, and each entry's bands, therapist-only,
    pool and minimal-symptoms needs drawn at random; only what passes the check is kept."""
    data = copy.deepcopy(RAW)
    chains = sorted({entry["chain"] for entry in data["exercises"]})
    category = {chain: draw(st.sampled_from(CATEGORIES)) for chain in chains}
    for entry in data["exercises"]:
        entry["category"] = category[entry["chain"]]
        entry["bands"] = draw(st.lists(st.sampled_from(BANDS), min_size=1, max_size=3, unique=True))
        if entry["category"] == "massage":  # never red: the check refuses it (DOMAIN 9)
            entry["bands"] = [band for band in entry["bands"] if band != "red"] or ["green"]
        entry["therapist_only"] = draw(st.booleans())
        entry["needs"]["pool"] = entry["category"] == "hydrotherapy" or draw(st.booleans())
        entry["needs"]["minimal_symptoms"] = draw(st.booleans())
        within_ceilings(entry)
    catalogue, problems = validate(data, "random.yaml")
    assume(not problems)
    return catalogue


def assert_allowed(gate: Any, item: RoutineItem, pinned: bool, rest_days: bool) -> None:
    exercise = item.exercise
    assert gate.refuses(exercise, pinned=pinned) is None, (exercise.id, gate.refuses(exercise))
    if rest_days:
        assert gate.rests(exercise) is None, exercise.id
    dosed = Dosed(exercise, item.sets, item.reps, item.hold_s)
    assert gate.cap(dosed) == dosed, (exercise.id, dosed.amount)
    assert item.times_per_day <= gate.limits(exercise).times_per_day


@PROPERTY
@given(catalogues(), logs(), st.lists(st.sampled_from(IDS), max_size=4, unique=True))
def test_no_path_offers_what_the_gate_refuses_or_more_than_its_dose(
    catalogue: Catalogue, log: PatientLog, named: list[str]
) -> None:
    """The routine (and so the handout), the calendar's week and named guided exercises."""
    gate = open_gate(catalogue, log, DAY)
    pins = plan.current(c for c in log.plan if local_day(c.at) <= DAY)
    for rest_days in (True, False):
        routine = build_routine(catalogue, log, DAY, rest_days=rest_days)
        for item in routine.items:
            assert_allowed(gate, item, item.exercise.id in pins, rest_days)
    routine, offered = offer(catalogue, log, DAY, named)
    for item in offered:
        if isinstance(item, RoutineItem):
            assert_allowed(gate, item, item.exercise.id in pins, True)
    if gate.emergency:
        assert routine.status == "blocked" and not any(
            isinstance(item, RoutineItem) for item in offered
        )


@contextmanager
def reader_zone(name: str) -> Iterator[None]:
    """Read the log as a person in time zone ``name`` would (the process's local zone)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ")
        else:
            os.environ["TZ"] = before
        time.tzset()


offsets = st.integers(-12 * 4, 14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)


@PROPERTY
@given(
    logs(),
    st.data(),
    st.sampled_from(["UTC", "Europe/London", "Pacific/Auckland", "Pacific/Pago_Pago"]),
)
def test_moving_every_offset_while_keeping_the_instant_changes_nothing(
    log: PatientLog, data: st.DataObject, zone: str
) -> None:
    def moved(record: Any) -> Any:
        return record._replace(at=record.at.astimezone(data.draw(offsets)))

    shifted = PatientLog(
        log.profile,
        *(tuple(moved(r) for r in records) for records in log[1:]),
    )
    with reader_zone(zone):
        for rest_days in (True, False):
            assert build_routine(CATALOGUE, shifted, DAY, rest_days=rest_days) == build_routine(
                CATALOGUE, log, DAY, rest_days=rest_days
            )
        flags = safety.flags(shifted.screens, shifted.clearances, DAY)
        assert [(f.item.id, f.since, f.cleared is None) for f in flags] == [
            (f.item.id, f.since, f.cleared is None)
            for f in safety.flags(log.screens, log.clearances, DAY)
        ]


# ----------------------------------------------------------------------------- the audit, by CLI


def ok(result: Any) -> Any:
    assert result.code == 0, result.err
    return result


@pytest.fixture
def screened(run: Any) -> Any:
    ok(run("init", "--side", "left", "--preference", "extension"))
    ok(run("screen", "--no-others", "--at", "-2d"))
    return run


def guided(run: Any, monkeypatch: pytest.MonkeyPatch, answers: str, *ids: str) -> Any:
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    return run("session", "start", "--pace", "0", *ids)


def test_named_exercises_the_day_after_one_spread_pain_are_refused(
    screened: Any, monkeypatch: pytest.MonkeyPatch, db: Any
) -> None:
    run = screened
    ok(run("pain", "log", "3", "--where", "buttock", "--at", "yesterday"))
    ok(run("session", "log", "partial-press-up", "--where-after", "calf", "--at", "yesterday"))
    before = db.read_bytes()
    for named in ("partial-press-up", "full-press-up", "standing-extension"):
        result = guided(run, monkeypatch, "3\nbuttock\n", named)
        assert result.code == 2
        assert "rule peripheralization" in result.err and "partial-press-up" in result.err
    assert db.read_bytes() == before  # a refusal after the check-in writes nothing


@pytest.mark.parametrize(
    ("answers", "named", "rule"),
    [
        ("2\nbuttock\n", "press-up-overpressure", "therapist-only"),
        ("2\nbuttock\n", "flexion-in-lying", "preference"),
        ("2\nbuttock\n", "water-walking", "pool-access"),
        ("2\ncalf\n", "slump-tensioner", "minimal-symptoms"),
        ("2\nthigh\n", "slump-tensioner", "level-ahead"),  # sliders before tensioners
        ("9\ncalf\n", "goblet-squat", "never-in-red"),
    ],
)
def test_named_guided_exercises_pass_the_gate(
    screened: Any, monkeypatch: pytest.MonkeyPatch, answers: str, named: str, rule: str
) -> None:
    result = guided(screened, monkeypatch, answers, named)
    assert result.code == 2
    assert result.err.startswith(f"ptcli: {named} is not for today (")
    assert f"rule {rule})" in result.err


def test_a_named_exercise_is_led_at_the_red_dose(
    screened: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = guided(screened, monkeypatch, "8\nthigh\n\n8\n\n", "walking")
    assert result.code == 0, result.err
    assert "10 minutes" in result.out  # the lowest of walking's 10-30 minutes


def test_session_log_records_a_refused_exercise_and_names_the_rule(screened: Any) -> None:
    run = screened
    ok(run("pain", "log", "8", "--where", "calf"))
    result = ok(run("session", "log", "goblet-squat", "--sets", "1", "--reps", "8"))
    assert "rule never-in-red" in result.err
    history = run("history", "--json").json()
    assert [e["exercise"] for e in history if e.get("exercise")] == ["goblet-squat"]
    more = ok(run("session", "log", "walking", "--hold", "1800"))
    assert "more than today's dose of walking (10 minutes)" in more.err


def test_an_emergency_logged_in_auckland_is_active_in_london(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit: a report at 08:00 in +13:00 is 19:00 the day before in London; reading by
    its own calendar date hid it for the rest of London's day."""
    from datetime import datetime

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        now = datetime.now().astimezone()
        moment = (now - timedelta(hours=1)).astimezone(timezone(timedelta(hours=14)))
        run("screen", "--yes", "saddle-numbness", "--at", moment.isoformat(timespec="seconds"))
        assert "saddle-numbness" in run("flag", "list").out
        assert run("today", "--json").json()["status"] == "blocked"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_band_is_the_worst_entry_of_the_day(screened: Any) -> None:
    run = screened
    ok(run("pain", "log", "8", "--where", "thigh", "--at", "today"))
    ok(run("pain", "log", "2", "--where", "thigh"))
    routine = run("today", "--json").json()
    assert routine["band"] == "red"
    assert routine["reasons"][0]["text"] == "Worst pain today 8/10: red band."


def test_without_a_baseline_a_spread_to_the_calf_counts(screened: Any) -> None:
    run = screened
    result = ok(run("session", "log", "prone-lying", "--where-after", "calf"))
    assert "pain spread further down your leg" in result.err
    left_out = {e["id"]: e["why"] for e in run("today", "--json").json()["left_out"]}
    assert "pain spread" in left_out["prone-lying"]


def test_mornings_moving_down_the_leg_freeze_progression_and_name_the_days(
    screened: Any,
) -> None:
    run = screened
    for days_ago, where in ((3, "back"), (2, "thigh"), (1, "calf"), (0, "foot")):
        ok(run("pain", "log", "2", "--where", where, "--at", f"-{days_ago}d"))
    routine = run("today", "--json").json()
    caution = [a for a in routine["alerts"] if a["item"] == "spreading"]
    assert len(caution) == 1 and "(foot) than on" in caution[0]["text"]
    assert not [e for e in routine["exercises"] if e["change"] == "progressed"]


def test_no_routine_beyond_the_gentle_one_before_the_emergency_questions(run: Any) -> None:
    ok(run("pain", "log", "1", "--where", "back"))
    routine = run("today", "--json").json()
    assert routine["band"] == "amber"
    assert routine["alerts"][0]["item"] == "screen"
    assert routine["alerts"][0]["text"].startswith("Answer the safety questions first")


def test_a_profile_with_both_legs_asks_the_both_legs_question(run: Any) -> None:
    ok(run("init", "--side", "both"))
    alerts = run("today", "--json").json()["alerts"]
    assert [a["level"] for a in alerts if a["item"] == "both-legs"] == ["caution"]
    ok(run("screen", "--no-others"))  # answered: the alert goes
    assert not [a for a in run("today", "--json").json()["alerts"] if a["item"] == "both-legs"]


def test_preference_not_assessed_is_said_so(run: Any) -> None:
    ok(run("screen", "--no-others"))
    ok(run("pain", "log", "2", "--where", "buttock"))
    left_out = {e["id"]: e["why"] for e in run("today", "--json").json()["left_out"]}
    assert left_out["single-knee-to-chest"] == (
        "flexion-biased, against extension (not assessed yet: extension assumed)"
    )


def on_a_terminal(*args: str) -> Any:
    """ptcli on a pseudo-terminal (a question is asked only there), its store the test's."""
    import pexpect

    return pexpect.spawn(
        sys.executable,
        ["-m", "ptcli", *args],
        env=dict(os.environ),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )


def test_session_log_asks_the_pain_before_when_nothing_in_24_hours_says_it(
    screened: Any,
) -> None:
    child = on_a_terminal("session", "log", "prone-lying", "--where-after", "calf")
    child.expect_exact("Pain just before it, 0-10: ")
    child.sendline("3")
    child.expect_exact("Where did it reach just before (none/back/side/buttock/thigh/calf/foot): ")
    child.sendline("calf")
    child.expect_exact("Logged prone-lying")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0
    assert "pain spread" not in child.before  # calf before, calf after: no spread
    [before] = screened("pain", "list", "--json").json()
    assert (before["score"], before["where"]) == (3, "calf")


def test_session_log_without_an_answer_counts_a_calf_after_as_spread(screened: Any) -> None:
    child = on_a_terminal("session", "log", "prone-lying", "--where-after", "calf")
    child.expect_exact("Pain just before it, 0-10: ")
    child.sendeof()
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0
    assert "pain spread further down your leg" in child.before
    assert screened("pain", "list", "--json").json() == []


@pytest.mark.parametrize(("answer", "code"), [("y", 3), ("n", 0)])
def test_init_side_both_asks_the_both_legs_question(run: Any, answer: str, code: int) -> None:
    child = on_a_terminal("init", "--side", "both")
    child.expect_exact("both legs")
    child.expect_exact("[y/n] ")
    child.sendline(answer)
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == code
    flags = {f["item"] for f in run("flag", "list", "--json").json()["flags"]}
    assert flags == ({"both-legs"} if answer == "y" else set())
    alerts = run("today", "--json").json()["alerts"]
    assert not [a for a in alerts if a["item"] == "both-legs" and a["level"] == "caution"]


def pexpect_eof() -> Any:
    import pexpect

    return pexpect.EOF
