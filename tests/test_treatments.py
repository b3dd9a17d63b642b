"""Issue 19's catalogue: the adductor squeeze, swimming and self-massage (DOMAIN.md sections
5 and 9) in the routine engine, the gate and the CLI.

Massage has a slot of its own in green and amber, filled last and only alongside exercise,
at most one a day and never in red; swimming is pool work like the other pool entries (its
gates, and the one pool slot); the squeeze is an isometric chain of its own.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ptcli.domain import ceilings, engine
from ptcli.domain.catalogue import Catalogue
from ptcli.domain.engine import DoneToday, build_routine, offer
from ptcli.domain.gate import Refusal, open_gate
from ptcli.domain.models import (
    Band,
    PainReading,
    PatientLog,
    Profile,
    Reason,
    Routine,
    RoutineItem,
)
from ptcli.domain.pose import Ball
from ptcli.domain.pose import read as read_pose
from ptcli.render import figure
from tests.conftest import ROOT
from tests.test_engine_properties import DAY as PROPERTY_DAY
from tests.test_engine_properties import PROPERTY, logs, readings
from tests.test_engine_rules import (
    CATALOGUE,
    DAY,
    mornings,
    pain,
    pin,
    routine,
    screen,
    session,
)

MASSAGE = ["buttock-ball-massage", "thigh-roller-massage"]
POOL = Profile(pool=True)


def categories(today: Routine) -> list[str]:
    return [i.exercise.category for i in today.items]


def of(today: Routine, category: str) -> list[str]:
    return [i.exercise.id for i in today.items if i.exercise.category == category]


def left_out(today: Routine) -> dict[str, str]:
    return {o.exercise: o.rule for o in today.left_out}


# ----------------------------------------------------------------------------- massage


@pytest.mark.parametrize("score", [2, 5])
def test_green_and_amber_offer_one_massage_last_beside_the_mckenzie_slot(score: int) -> None:
    today = routine([pain(20, score)])
    assert categories(today).count("massage") == 1
    assert categories(today)[-1] == "massage"  # after every exercise
    assert categories(today).count("mckenzie") == 1
    massage = today.items[-1]
    assert massage.exercise.id == "buttock-ball-massage"  # the first massage chain
    assert (massage.times_per_day, massage.hold_s) == (1, 60)
    assert massage.exercise.dose.per_side


def test_red_offers_no_massage_even_when_the_therapist_pins_it() -> None:
    today = routine([pain(20, 8)], plan=[pin(19, "thigh-roller-massage")])
    assert "massage" not in categories(today)
    assert left_out(today)["thigh-roller-massage"] == "never-in-red"
    assert categories(today)[0] == "mckenzie"


def test_the_gate_refuses_massage_in_red_whatever_the_catalogue_says() -> None:
    buttock = CATALOGUE.get("buttock-ball-massage")
    assert buttock is not None
    listed_red = buttock._replace(bands=frozenset(Band))  # a catalogue that forgot the rule
    gate = open_gate(CATALOGUE, PatientLog(pain=(pain(20, 9),), screens=(screen(20),)), DAY)
    refusal = gate.refuses(listed_red, pinned=True)
    assert refusal is not None and refusal.rule == "never-in-red"
    assert "self-massage" in refusal.text


def test_an_emergency_flag_blocks_massage_with_everything_else() -> None:
    today = routine([pain(20, 2)], screens=[screen(20, ["bladder"])])
    assert today.status == "blocked" and today.items == ()


def test_a_pinned_massage_takes_the_one_massage_slot() -> None:
    today = routine([pain(20, 2)], plan=[pin(19, "thigh-roller-massage")])
    assert of(today, "massage") == ["thigh-roller-massage"]


def test_a_pin_above_the_massage_ceiling_is_held_to_2_minutes_once_a_day() -> None:
    """An imported pin may ask for more than ``plan set`` accepts: the gate caps it."""
    today = routine([pain(20, 2)], plan=[pin(19, "buttock-ball-massage", 1, 1, 600, 5)])
    (massage,) = [i for i in today.items if i.exercise.category == "massage"]
    assert (massage.hold_s, massage.times_per_day) == (120, 1)


def test_the_massage_ceiling_can_be_lowered_but_not_raised_past_once_a_day() -> None:
    lowered, found = ceilings.parse({"hold_s": {"massage": 90}})
    assert found == [] and ceilings.limits(lowered, "massage").hold_s == 90
    _, found = ceilings.parse({"times_per_day": {"massage": 2}})
    assert found == [("ceilings.times_per_day.massage", "2 is above the hard cap of 1")]


def test_massage_is_offered_only_alongside_exercise() -> None:
    """NICE: manual therapy only with exercise. A catalogue whose exercises are all out
    today (the isotonic work in red) offers no massage either."""
    kept = [e for e in CATALOGUE if e.category in ("isotonic", "massage")]
    small = Catalogue([e._replace(bands=frozenset({Band.GREEN, Band.AMBER})) for e in kept])
    log = PatientLog(pain=(pain(20, 5),), screens=(screen(20),))
    amber = build_routine(small, log, DAY)
    assert categories(amber) == []  # amber has no isotonic slot: no exercise, so no massage
    green = build_routine(small, log._replace(pain=(pain(20, 2),)), DAY)
    assert categories(green) == ["isotonic", "massage"]


def test_massage_never_changes_the_exercises_around_it() -> None:
    without = Catalogue([e for e in CATALOGUE if e.category != "massage"])
    log = PatientLog(pain=tuple(mornings(range(14, 21), 2)), screens=(screen(20),))
    with_massage = build_routine(CATALOGUE, log, DAY)
    assert [i for i in with_massage.items if i.exercise.category != "massage"] == list(
        build_routine(without, log, DAY).items
    )


# ----------------------------------------------------------------------------- pool work


def test_swimming_is_gated_as_pool_work() -> None:
    swimming = CATALOGUE.get("swimming")
    assert swimming is not None and swimming.pool and swimming.category == "hydrotherapy"

    def refusal(pool: bool, score: int, fever: bool = False) -> str | None:
        log = PatientLog(
            profile=Profile(pool=pool),
            pain=(pain(20, score),),
            screens=(screen(20, ["fever"] if fever else []),),
        )
        found = open_gate(CATALOGUE, log, DAY).refuses(swimming, pinned=True)
        return found.rule if found else None

    assert refusal(True, 2) is None
    assert refusal(True, 5) is None
    assert refusal(False, 2) == "pool-access"
    assert refusal(True, 8) == "band"  # no swimming in the red band
    assert refusal(True, 2, fever=True) == "pool-contraindication"


def test_a_pinned_swim_takes_the_one_pool_slot_and_only_with_pool_access() -> None:
    plan = [pin(19, "swimming")]
    today = routine([pain(20, 2)], plan=plan, profile=POOL)
    assert of(today, "hydrotherapy") == ["swimming"]
    no_pool = routine([pain(20, 2)], plan=plan)
    assert of(no_pool, "hydrotherapy") == []
    assert left_out(no_pool)["swimming"] == "pool-access"


def test_swimming_named_for_a_session_comes_at_most_at_its_usual_dose() -> None:
    log = PatientLog(profile=POOL, pain=(pain(20, 2),), screens=(screen(20),))
    _, (offered,) = offer(CATALOGUE, log, DAY, ["swimming"])
    assert isinstance(offered, RoutineItem), offered
    assert (offered.exercise.id, offered.hold_s) == ("swimming", 1200)
    _, (refused,) = offer(CATALOGUE, log._replace(profile=Profile()), DAY, ["swimming"])
    assert isinstance(refused, Refusal) and refused.rule == "pool-access"


def test_a_pool_exercise_done_today_keeps_the_pool_slot() -> None:
    """The routine does not swap to another pool exercise once one is done today."""
    before = routine([pain(20, 2)], profile=POOL)
    assert of(before, "hydrotherapy") == ["water-walking"]
    swum = session(20, "swimming", 1, 1, 1200, hour=9)
    today = routine([pain(20, 2)], [swum], profile=POOL)
    assert of(today, "hydrotherapy") == ["swimming"]
    assert "pool-done-today" in {r.rule for r in today.reasons}
    # the week's programme (a calendar) is not changed by what was done today
    week = build_routine(
        CATALOGUE,
        PatientLog(profile=POOL, pain=(pain(20, 2),), sessions=(swum,), screens=(screen(20),)),
        DAY,
        rest_days=False,
    )
    assert of(week, "hydrotherapy") == ["water-walking"]


def test_a_massage_done_today_keeps_the_massage_slot() -> None:
    """At most one self-massage a day: the thigh done by name keeps the slot."""
    rolled = session(20, "thigh-roller-massage", 1, 1, 60, hour=9)
    today = routine([pain(20, 2)], [rolled])
    assert of(today, "massage") == ["thigh-roller-massage"]
    assert "massage-done-today" in {r.rule for r in today.reasons}


def test_a_class_done_today_fills_the_pool_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook for a hydrotherapy class (an appointment): ``pool_done_today`` returning
    no chain leaves no pool exercise to do, and says why."""
    reason = Reason("pool-done-today", "A hydrotherapy class was done today.")
    monkeypatch.setattr(engine, "pool_done_today", lambda gate, log: DoneToday(None, reason))
    today = routine([pain(20, 2)], plan=[pin(19, "swimming")], profile=POOL)
    assert of(today, "hydrotherapy") == []
    assert left_out(today)["swimming"] == "pool-done-today"
    assert reason in today.reasons


# ----------------------------------------------------------------------------- the squeeze


def test_the_adductor_squeeze_is_an_isometric_chain_of_its_own() -> None:
    squeeze = CATALOGUE.get("adductor-squeeze")
    assert squeeze is not None and squeeze.category == "isometric"
    assert CATALOGUE.chain("adductor-squeeze") == [squeeze]
    assert (squeeze.dose.reps, squeeze.dose.range.sets, squeeze.dose.range.hold_s) == (
        10,
        (1, 2),
        (5, 10),
    )


def test_a_pinned_squeeze_takes_one_of_the_isometric_slots() -> None:
    today = routine([pain(20, 2)], plan=[pin(19, "adductor-squeeze")])
    assert "adductor-squeeze" in of(today, "isometric")
    assert len(of(today, "isometric")) == 3  # green's three isometric slots, no more


def test_the_squeeze_progresses_within_its_dose_after_easy_sessions() -> None:
    pains = mornings(range(13, 21), 2)
    sessions = [session(d, "adductor-squeeze", 1, 10, 5) for d in (14, 16, 18, 19)]
    today = routine(pains, sessions, plan=[pin(13, "adductor-squeeze")])
    (squeeze,) = [i for i in today.items if i.exercise.id == "adductor-squeeze"]
    assert squeeze.hold_s is not None and 5 <= squeeze.hold_s <= 10 and squeeze.sets <= 2


# ----------------------------------------------------------------------------- property


@PROPERTY
@given(logs(), st.none() | readings, st.booleans())
def test_massage_and_pool_work_keep_to_their_gates_and_slots(
    log: PatientLog, stated: PainReading | None, pool: bool
) -> None:
    log = log._replace(profile=log.profile._replace(pool=pool))
    today = build_routine(CATALOGUE, log, PROPERTY_DAY, stated)
    gate = open_gate(CATALOGUE, log, PROPERTY_DAY, stated)
    massage = of(today, "massage")
    pool_items = of(today, "hydrotherapy")
    assert len(massage) <= 1 and len(pool_items) <= 1
    if today.status == "blocked" or today.band is Band.RED:
        assert massage == []
    if massage:
        assert len(today.items) > 1  # alongside exercise
        assert today.items[-1].exercise.id == massage[0]
        assert today.items[-1].times_per_day == 1
        assert (today.items[-1].hold_s or 0) <= 120
    for item in today.items:
        if item.exercise.category in ("massage", "hydrotherapy"):
            assert gate.refuses(item.exercise, pinned=True) is None, item.exercise.id
    if not pool:
        assert pool_items == []
    # massage never takes another category's place: the same routine without it
    without = Catalogue([e for e in CATALOGUE if e.category != "massage"])
    others = [i for i in today.items if i.exercise.category != "massage"]
    assert others == list(build_routine(without, log, PROPERTY_DAY, stated).items)


# ----------------------------------------------------------------------------- the CLI


def test_catalogue_list_shows_the_new_entries_and_check_knows_massage(run: Any) -> None:
    listed = run("catalogue", "list", "--json")
    assert listed.code == 0, listed.err
    rows = {e["id"]: e for e in listed.json()}
    assert {"adductor-squeeze", "swimming", *MASSAGE} <= set(rows)
    assert {rows[i]["category"] for i in MASSAGE} == {"massage"}
    massage = run("catalogue", "list", "--category", "massage")
    assert massage.code == 0, massage.err
    for name in ("Buttock ball massage", "Thigh roller massage"):
        assert name in massage.out


@pytest.mark.parametrize("exercise", ["adductor-squeeze", "swimming", *MASSAGE])
def test_catalogue_show_works_for_each_new_entry(run: Any, exercise: str) -> None:
    shown = run("catalogue", "show", exercise)
    assert shown.code == 0, shown.err
    entry = CATALOGUE.get(exercise)
    assert entry is not None
    assert entry.name in shown.out and entry.steps[0][:30] in shown.out.replace("\n", " ")


def test_check_refuses_a_massage_entry_in_the_red_band(run: Any, tmp_path: Any) -> None:
    text = (ROOT / "exercises.yaml").read_text(encoding="utf-8")
    bad = text.replace(
        "    category: massage\n    direction: neutral\n    chain: buttock-massage\n"
        "    level: 1\n    bands: [green, amber]",
        "    category: massage\n    direction: neutral\n    chain: buttock-massage\n"
        "    level: 1\n    bands: [green, amber, red]",
    )
    assert bad != text
    path = tmp_path / "red.yaml"
    path.write_text(bad, encoding="utf-8")
    checked = run("catalogue", "check", str(path))
    assert checked.code != 0
    assert "buttock-ball-massage.bands: self-massage is never offered in the red band" in (
        checked.out + checked.err
    )


# ----------------------------------------------------------------------------- drawings


def test_a_pose_ball_is_read_and_checked() -> None:
    start = {"trunk": 180, "leg": [60, 300]}
    pose, found = read_pose({"start": start, "ball": {"at": "knee"}})
    assert found == [] and pose is not None and pose.ball == Ball("knee", "between")
    for ball, field in (
        ({"at": "elbowz"}, "pose.ball.at"),
        ({"at": "hip", "side": "under"}, "pose.ball.side"),
        ({"at": "hip", "size": 3}, "pose.ball.size"),
        ("knee", "pose.ball"),
    ):
        pose, found = read_pose({"start": start, "ball": ball})
        assert pose is None and [f for f, _ in found] == [field], ball


@pytest.mark.parametrize("exercise", ["adductor-squeeze", *MASSAGE])
def test_each_ball_touches_what_it_should(exercise: str) -> None:
    entry = CATALOGUE.get(exercise)
    assert entry is not None and entry.pose is not None and entry.pose.ball is not None
    for points, position in zip(
        figure.placed(entry.pose), [entry.pose.start, entry.pose.end], strict=False
    ):
        assert position is not None
        x, y = figure.ball_centre(entry.pose, points, position) or (0.0, 0.0)
        r = figure.SMALL_BALL_R
        if exercise == "adductor-squeeze":  # between the knees, at their height
            knee = points["knee"]
            assert abs(x - knee[0]) < 2 * r and abs(y - knee[1]) < 2 * r
        elif exercise == "buttock-ball-massage":  # behind the hip (the wall is on the left)
            assert x < points["hip"][0] and abs(y - points["hip"][1]) < r
        else:  # under the thigh, resting on the floor
            assert y - r == pytest.approx(1.25) and y < points["thigh"][1]  # its outline's half
    positions = 2 if entry.pose.end else 1
    bare = figure.svg(entry.pose._replace(ball=None)).count("<circle")
    assert figure.svg(entry.pose).count("<circle") == bare + positions  # drawn in each
