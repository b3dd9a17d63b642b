"""Property tests of the routine engine over generated logs (DOMAIN.md sections 1, 3 and 4).

The logs are generated as a patient would write them over two weeks: pain entries,
sessions (with pain and extent after), safety screens, clearances and the therapist's
plan. A "steady block" (the same exercise at the same dose every one to three days, with a
morning pain entry each day) is mixed in so that the progression rules actually fire: about
one example in five has an item that progressed, or would have without a freeze.

Each property is checked against an oracle written here from DOMAIN.md and the engine's
docstring, not against the engine's own helpers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from statistics import fmean
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ptcli import catalogue_file
from ptcli.domain import safety, spreading
from ptcli.domain.engine import build_routine
from ptcli.domain.models import (
    Band,
    Clearance,
    Exercise,
    Extent,
    PainEntry,
    PainReading,
    PatientLog,
    PlanChange,
    Profile,
    Routine,
    RoutineItem,
    Screen,
    SessionEntry,
)
from ptcli.domain.spreading import peripheralizations, spread_after
from tests.conftest import ROOT

CATALOGUE = catalogue_file.check(ROOT / "exercises.yaml")[0]
DAY = date(2026, 3, 14)
BASE = datetime(2026, 3, 14, tzinfo=UTC)
HISTORY = 13  # days before DAY that the generated logs reach back

EMERGENCY = ("saddle-numbness", "bladder", "bowel", "sexual-function", "both-legs", "leg-weakness")
URGENT = (
    "fever",
    "cancer-history",
    "weight-loss",
    "immunosuppression",
    "trauma",
    "night-pain",
    "one-leg-weakness",
)
ITEMS = EMERGENCY + URGENT
OPPOSITE = {"extension": "flexion", "flexion": "extension"}

PROPERTY = settings(max_examples=100, deadline=None)

# ----------------------------------------------------------------------------- strategies

extents = st.none() | st.sampled_from(list(Extent))
scores = st.integers(0, 3) | st.integers(0, 10)  # mostly easy days, as in a real log
pains_after = st.none() | st.integers(0, 3) | st.integers(0, 10)


def doses(exercise: Exercise) -> st.SearchStrategy[tuple[int, int, int | None]]:
    """A dose as a patient logs it: the usual, the bottom or the top of the range, or anything."""
    d, r = exercise.dose, exercise.dose.range
    hold = (lambda h: h) if d.hold_s is not None else (lambda h: None)
    low_hold = r.hold_s[0] if r.hold_s else d.hold_s
    top_hold = r.hold_s[1] if r.hold_s else d.hold_s
    return st.sampled_from(
        [
            (d.sets, d.reps, d.hold_s),
            (r.sets[0], r.reps[0], hold(low_hold)),
            (r.sets[1], r.reps[1], hold(top_hold)),
        ]
    ) | st.tuples(
        st.integers(1, 4),
        st.integers(1, 14),
        st.none() if d.hold_s is None else st.integers(5, 400),
    )


def at(moment: tuple[int, int], second: int = 0) -> datetime:
    """(days before DAY, minute of that day) and a second, as an aware datetime."""
    days_before, minute = moment
    return BASE - timedelta(days=days_before) + timedelta(minutes=minute, seconds=second)


# The exercises a routine picks first in each category: a steady block on one of them
# usually reaches the routine, so the progression rules fire.
FIRST_PICKS = [
    e
    for e in CATALOGUE
    if e.chain
    in {
        "extension",
        "flexion",
        "sciatic-nerve",
        "curl-up",
        "side-bridge",
        "bridge",
        "piriformis",
        "walking",
        "water-walking",
    }
]
DOSED = {e.id: st.tuples(st.just(e.id), doses(e)) for e in CATALOGUE}
first_picks = st.one_of([DOSED[e.id] for e in FIRST_PICKS])
dosed = first_picks | st.one_of(list(DOSED.values()))
days = st.integers(0, HISTORY)
minutes = st.integers(0, 24 * 60 - 1)
moments = st.tuples(days, minutes)


ANSWERS = (
    st.just(())
    | st.just(())
    | st.lists(st.sampled_from(URGENT), unique=True, max_size=2).map(tuple)
    | st.lists(st.sampled_from(ITEMS), unique=True, min_size=1, max_size=2).map(tuple)
)
PLAN_ROWS = st.tuples(
    moments,
    st.sampled_from(["set", "set", "drop", "clear"]),
    dosed,  # a pin may be outside the range: 'ptcli plan set' accepts any dose
    st.booleans(),
    st.none() | st.integers(1, 8),
)
# The steady block: gap between sessions, first day (days before DAY), last week's and this
# week's usual morning score; then per day: whether the morning score is the usual one, the
# score otherwise, pain after, extent after, and whether it is also done on DAY itself.
BLOCK = st.tuples(st.integers(1, 3), st.integers(2, HISTORY), st.integers(0, 4), st.integers(0, 4))
BLOCK_DAY = st.tuples(
    st.sampled_from([True, True, True, True, False]),
    scores,
    st.integers(0, 3) | st.integers(0, 3) | pains_after,
    st.just(Extent.BUTTOCK) | st.just(Extent.BACK) | st.just(Extent.BUTTOCK) | extents,
    st.booleans(),
)


PROFILES = st.builds(
    Profile,
    side=st.none() | st.sampled_from(["left", "right", "both"]),
    pool=st.booleans(),
    preference=st.none() | st.sampled_from(["extension", "flexion"]),
)


def unique(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows with distinct moments (the first element)."""
    return list({row[0]: row for row in reversed(rows)}.values())[::-1]


@st.composite
def logs(
    draw: st.DrawFn,
    flags: bool = True,
    plan: bool = True,
    steady: bool = False,
    urgent: bool = False,
    rising: bool = False,
) -> PatientLog:
    """Two weeks of log up to DAY. Each kind of record has its own second of the minute and
    its own moments, so no two records share a moment (which of two simultaneous records came
    "before" the other is not defined by DOMAIN.md).

    ``steady``: always add the steady block; ``urgent``: always add a report of an urgent item
    (it may still be cleared later); ``rising``: the block's usual morning score is one point
    higher this week than last (the random entries may still tip the means either way)."""
    pain = [
        PainEntry(f"p{n:02}", at(moment), score, where)
        for n, (moment, score, where) in enumerate(
            unique(draw(st.lists(st.tuples(moments, scores, extents), max_size=10)))
        )
    ]
    sessions = [
        SessionEntry(f"s{n:02}", at(moment, 10), exercise, sets, reps, hold, after, where)
        for n, (moment, (exercise, (sets, reps, hold)), after, where) in enumerate(
            unique(draw(st.lists(st.tuples(moments, dosed, pains_after, extents), max_size=10)))
        )
    ]
    screens: list[Screen] = []
    clearances: list[Clearance] = []
    if flags:
        for n, (moment, yes, complete) in enumerate(
            unique(draw(st.lists(st.tuples(moments, ANSWERS, st.booleans()), max_size=4)))
        ):
            no = tuple(i for i in ITEMS if i not in yes) if complete else ()
            screens.append(Screen(f"q{n:02}", at(moment, 20), yes, no))
        reported = sorted({item for s in screens for item in s.yes})
        if reported:
            clearances = [
                Clearance(f"k{n}", at(moment, 40), reported[which % len(reported)], "seen")
                for n, (moment, which) in enumerate(
                    draw(st.lists(st.tuples(moments, st.integers(0, 11)), max_size=3))
                )
            ]
    if urgent:
        moment, item = draw(st.tuples(moments, st.sampled_from(URGENT)))
        screens.append(Screen("urgent", at(moment, 25), (item,)))
    changes: list[PlanChange] = []
    if plan:
        for n, (moment, action, (exercise, dose), pinned_dose, per_day) in enumerate(
            unique(draw(st.lists(PLAN_ROWS, max_size=3)))
        ):
            sets, reps, hold = dose if pinned_dose and action == "set" else (None, None, None)
            changes.append(
                PlanChange(
                    f"c{n}",
                    at(moment, 50),
                    action,
                    None if action == "clear" else exercise,
                    sets,
                    reps,
                    hold,
                    per_day,
                )
            )
    # The steady block: one exercise at one dose every ``gap`` days, a morning entry each day
    # (last week's mornings around one score, this week's around another).
    if steady or draw(st.sampled_from([True, True, True, False])):
        exercise, dose = draw(first_picks)
        gap, first, last_week, this_week = draw(BLOCK)
        if steady:
            first = max(first, 9)  # three mornings or more in each week
        if rising:
            last_week, this_week = min(last_week, 2), min(last_week, 2) + 1
        for days_before in range(first, -1, -1):
            usual, score, after, where, today = draw(BLOCK_DAY)
            if steady and usual:  # mostly easy sessions, so that the chain would progress
                after, where = min(after or 0, 3), Extent.BUTTOCK
            if usual:
                score = this_week if days_before < 7 else last_week
            pain.append(
                PainEntry(
                    f"bp{days_before:02}", at((days_before, 7 * 60), 30), score, Extent.BUTTOCK
                )
            )
            if (first - days_before) % gap == 0 and (days_before > 0 or today):
                sessions.append(
                    SessionEntry(
                        f"bs{days_before:02}",
                        at((days_before, 17 * 60), 30),
                        exercise,
                        *dose,
                        after,
                        where,
                    )
                )
    profile = draw(PROFILES)
    return PatientLog(
        profile, tuple(pain), tuple(sessions), tuple(screens), tuple(clearances), tuple(changes)
    )


readings = st.builds(PainReading, score=st.integers(0, 10), where=extents)

# ----------------------------------------------------------------------------- oracles


def active(log: PatientLog, items: Iterable[str], day: date = DAY) -> set[str]:
    """Flags reported yes (up to ``day``) and not cleared at or after their latest report."""
    found = set()
    for item in items:
        reports = [s.at for s in log.screens if item in s.yes and s.at.date() <= day]
        if not reports:
            continue
        latest = max(reports)
        if not any(
            c.item == item and latest <= c.at and c.at.date() <= day for c in log.clearances
        ):
            found.add(item)
    return found


def pins(log: PatientLog, day: date = DAY) -> set[str]:
    """Exercises the plan pins on ``day``: "set" pins, "drop" unpins one, "clear" unpins all."""
    pinned: set[str] = set()
    for change in sorted(log.plan, key=lambda c: (c.at, c.id)):
        if change.at.date() > day:
            continue
        if change.action == "clear":
            pinned.clear()
        elif change.action == "drop":
            pinned.discard(change.exercise or "")
        else:
            pinned.add(change.exercise or "")
    return pinned


def spread_sessions(log: PatientLog, day: date = DAY) -> list[SessionEntry]:
    """Sessions of ``day`` and the two days before after which symptoms reached further down the
    leg, past the back, than the last record of the 24 hours before (pain entry or session);
    with no such record, reaching the calf or the foot. Days are the reader's."""
    records = [(e.at, e.id, e.where) for e in log.pain]
    records += [(s.at, s.id, s.where_after) for s in log.sessions]
    found = []
    for session in log.sessions:
        on = session.at.astimezone().date()
        if session.where_after is None or not (day - timedelta(days=2) <= on <= day):
            continue
        before = [
            (moment, record, where)
            for moment, record, where in records
            if record != session.id
            and where is not None
            and session.at - timedelta(hours=24) <= moment < session.at
        ]
        if (before and session.where_after > max(max(before)[2], Extent.BACK)) or (
            not before and session.where_after >= Extent.CALF
        ):
            found.append(session)
    return found


def morning_means(log: PatientLog, day: date = DAY) -> tuple[float | None, float | None]:
    """Mean of the first pain entry of each day: the 7 days to ``day``, and the 7 before;
    None for a week with fewer than 3 mornings."""
    mornings: dict[date, PainEntry] = {}
    for entry in sorted(log.pain, key=lambda e: (e.at, e.id)):
        mornings.setdefault(entry.at.astimezone().date(), entry)

    def mean(last: date) -> float | None:
        week = [mornings[d] for d in (last - timedelta(days=n) for n in range(7)) if d in mornings]
        return fmean(e.score for e in week) if len(week) >= 3 else None

    return mean(day), mean(day - timedelta(days=7))


def by_chain(routine: Routine) -> dict[str, list[RoutineItem]]:
    chains: dict[str, list[RoutineItem]] = defaultdict(list)
    for item in routine.items:
        chains[item.exercise.chain].append(item)
    return chains


def key(item: RoutineItem) -> tuple[int, int, int, int]:
    """How hard an item is within its chain: level, then sets, repetitions and hold."""
    return (item.exercise.level, item.sets, item.reps, item.hold_s or 0)


def volume(item: RoutineItem) -> int:
    return item.sets * item.reps * (item.hold_s or 1)


def progressed(routine: Routine) -> list[str]:
    return [i.exercise.id for i in routine.items if i.change == "progressed"]


# ----------------------------------------------------------------------------- properties


@PROPERTY
@given(logs(), st.data())
def test_the_same_log_in_any_order_gives_the_same_routine(
    log: PatientLog, data: st.DataObject
) -> None:
    shuffled = PatientLog(
        log.profile,
        tuple(data.draw(st.permutations(log.pain))),
        tuple(data.draw(st.permutations(log.sessions))),
        tuple(data.draw(st.permutations(log.screens))),
        tuple(data.draw(st.permutations(log.clearances))),
        tuple(data.draw(st.permutations(log.plan))),
    )
    first = build_routine(CATALOGUE, log, DAY)
    again = build_routine(CATALOGUE, shuffled, DAY)
    assert first == again


@PROPERTY
@given(logs(), st.none() | readings)
def test_every_exercise_exists_and_is_allowed_for_the_profile_and_band(
    log: PatientLog, stated: PainReading | None
) -> None:
    routine = build_routine(CATALOGUE, log, DAY, stated)
    preference = log.profile.preference or "extension"
    pinned = pins(log)
    for item in routine.items:
        exercise = CATALOGUE.get(item.exercise.id)
        assert exercise == item.exercise
        assert routine.band in exercise.bands
        assert log.profile.pool or not exercise.pool
        assert exercise.therapist_only is False or exercise.id in pinned
        if exercise.id not in pinned:
            if exercise.category == "mckenzie":
                assert exercise.direction == preference
            assert exercise.direction != OPPOSITE[preference]
        if routine.band is Band.RED:
            assert exercise.category != "isotonic"
            r = exercise.dose.range
            bottom = (r.sets[0], r.reps[0], r.hold_s[0] if r.hold_s else exercise.dose.hold_s or 0)
            assert (item.sets, item.reps, item.hold_s or 0) <= bottom
        assert item.why and item.change in {"new", "progressed", "held", "regressed"}
    assert routine.status in {"ok", "blocked"}


@PROPERTY
@given(logs(), st.none() | readings)
def test_an_active_emergency_flag_always_blocks(
    log: PatientLog, stated: PainReading | None
) -> None:
    routine = build_routine(CATALOGUE, log, DAY, stated)
    emergencies = active(log, EMERGENCY)
    if emergencies:
        assert routine.status == "blocked"
        assert routine.items == ()
        assert {a.item for a in routine.alerts if a.level == "emergency"} == emergencies
    else:
        assert routine.status == "ok"
        assert not [a for a in routine.alerts if a.level == "emergency"]


@PROPERTY
@given(logs(), readings, readings)
def test_more_pain_never_gives_a_harder_routine(
    log: PatientLog, a: PainReading, b: PainReading
) -> None:
    """Harder means: more exercises, a chain at a higher level or a larger dose (level, then
    sets, repetitions, hold: the engine's order along a chain), more volume of the same
    exercise than a dose that was not stepped up, or a step up. Per category the higher pain may offer a chain the lower one does
    not (red's gentle isometric while green rests its three strength holds), but it must be
    one its band allows, at no step up."""
    # More pain: a score no lower and an extent no nearer the spine (an unknown extent
    # counts as the furthest, since the gate then treats it so).
    wheres = sorted([a.where, b.where], key=lambda w: 99 if w is None else int(w))
    lower = PainReading(min(a.score, b.score), wheres[0])
    higher = PainReading(max(a.score, b.score), wheres[1])
    easy = build_routine(CATALOGUE, log, DAY, lower)
    hard = build_routine(CATALOGUE, log, DAY, higher)
    assert hard.band.rank >= easy.band.rank
    assert len(hard.items) <= len(easy.items)
    easy_chains, hard_chains = by_chain(easy), by_chain(hard)
    for chain, items in hard_chains.items():
        if chain in easy_chains:
            assert max(map(key, items)) <= max(map(key, easy_chains[chain])), chain
        else:
            assert all(i.change != "progressed" for i in items), chain
    easy_items = {i.exercise.id: i for i in easy.items}
    for item in hard.items:
        same = easy_items.get(item.exercise.id)
        if same is not None:
            assert volume(item) <= volume(same)
    if hard.band is not Band.GREEN:
        assert progressed(hard) == []


@PROPERTY
@given(logs())
def test_a_peripheralized_exercise_and_its_harder_levels_stay_out_that_day(
    log: PatientLog,
) -> None:
    """Sessions of DAY and of the two days before (the engine's docstring, rule 3), whether the
    chain is pinned or not: M2 always wins."""
    routine = build_routine(CATALOGUE, log, DAY)
    for session in spread_sessions(log):
        spread = CATALOGUE.get(session.exercise)
        assert spread is not None
        for item in routine.items:
            if item.exercise.chain == spread.chain:
                assert item.exercise.level < spread.level, (session, item.exercise.id)
            elif spread.direction != "neutral":  # and its direction (engine docstring, rule 3)
                assert item.exercise.direction != spread.direction, (session, item.exercise.id)
        if routine.status == "ok":
            assert any(
                a.level == "caution" and a.item == spread.id and spread.name in a.text
                for a in routine.alerts
            )


@PROPERTY
@given(logs(flags=False, steady=True, rising=True))
def test_no_progression_in_a_week_whose_morning_pain_is_above_the_last(log: PatientLog) -> None:
    routine = build_routine(CATALOGUE, log, DAY)
    this_week, last_week = morning_means(log)
    if this_week is not None and last_week is not None and this_week > last_week:
        assert progressed(routine) == []


@PROPERTY
@given(logs(steady=True, urgent=True))
def test_an_urgent_flag_freezes_progression_and_keeps_out_of_green(log: PatientLog) -> None:
    routine = build_routine(CATALOGUE, log, DAY)
    if active(log, URGENT) and not active(log, EMERGENCY):
        assert routine.status == "ok"
        assert routine.band is not Band.GREEN
        assert progressed(routine) == []
        assert {a.item for a in routine.alerts if a.level == "urgent"} == active(log, URGENT)


@PROPERTY
@given(logs(flags=False, plan=False))
def test_spreading_is_judged_only_past_the_back_and_against_a_baseline(log: PatientLog) -> None:
    for session in log.sessions:
        verdict = spread_after(session, log.pain, log.sessions)
        if session.where_after is None or session.where_after <= Extent.BACK:
            assert not verdict
    found = {p.session.id for p in peripheralizations(CATALOGUE, log.pain, log.sessions, DAY)}
    assert found <= {s.id for s in spread_sessions(log)}


EXTENTS = st.none() | st.sampled_from(list(Extent))
# Whole hours over two days: records exactly 24 hours apart, or in the same instant, are common.
WHEN = st.integers(0, 48).map(lambda hours: BASE - timedelta(hours=hours))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(WHEN, st.sampled_from(list(Extent))), max_size=8),
    st.lists(st.tuples(WHEN, EXTENTS, st.sampled_from("abc")), max_size=12),
)
@example([(BASE - timedelta(hours=24), Extent.FOOT)], [(BASE, Extent.CALF, "a")])  # 24 h: in
@example([(BASE, Extent.THIGH)], [(BASE, Extent.BUTTOCK, "a"), (BASE, Extent.THIGH, "b")])
def test_the_sessions_that_spread_are_each_one_spread_after_says_spread(
    pain_rows: list[tuple[datetime, Extent]],
    session_rows: list[tuple[datetime, Extent | None, str]],
) -> None:
    """spread_sessions walks the log once in time order; spread_after searches it for
    one session's baseline: the same verdicts, for records 24 hours apart or less, and
    in the same instant (ordered by id)."""
    pain = [PainEntry(f"p{n}", when, 3, where) for n, (when, where) in enumerate(pain_rows)]
    sessions = [
        SessionEntry(f"s{n}{tag}", when, "prone-lying", 1, 1, 60, 3, where)
        for n, (when, where, tag) in enumerate(session_rows)
    ]
    one_by_one = {s.id for s in sessions if spread_after(s, pain, sessions)}
    assert spreading.spread_sessions(pain, sessions) == one_by_one


# ----------------------------------------------------------------------------- examples


def test_the_oracles_know_the_screen_items() -> None:
    assert {i.id: i.level for i in safety.ITEMS.values()} == {
        **dict.fromkeys(EMERGENCY, "emergency"),
        **dict.fromkeys(URGENT, "urgent"),
    }


def test_a_session_that_spread_pain_is_found() -> None:
    before = PainEntry("p", BASE - timedelta(hours=2), 3, Extent.BUTTOCK)
    spread = SessionEntry(
        "s", BASE - timedelta(hours=1), "partial-press-up", 1, 10, None, 4, Extent.CALF
    )
    found = peripheralizations(CATALOGUE, [before], [spread], DAY)
    assert [p.exercise.id for p in found] == ["partial-press-up"]
    routine = build_routine(CATALOGUE, PatientLog(pain=(before,), sessions=(spread,)), DAY)
    ids = [item.exercise.id for item in routine.items]
    assert "prone-lying" in ids  # the easier level of the same chain stays
    assert not {"partial-press-up", "full-press-up", "standing-extension"} & set(ids)


def test_flag_evidence_does_not_depend_on_the_order_of_the_log() -> None:
    screens = (
        Screen("a", datetime(2026, 3, 12, 8, tzinfo=UTC), ("fever",)),
        Screen("b", datetime(2026, 3, 13, 8, tzinfo=UTC), ("fever",)),
    )
    first = build_routine(CATALOGUE, PatientLog(screens=screens), DAY)
    again = build_routine(CATALOGUE, PatientLog(screens=screens[::-1]), DAY)
    assert first == again


@PROPERTY
@given(logs(steady=True), st.data())
def test_a_partial_session_is_never_the_dose_the_next_step_starts_from(
    log: PatientLog, data: st.DataObject
) -> None:
    """A session stopped part way (a guided session's ``partial`` entry) may have any dose:
    today's doses are the same whatever it is (its pain still counts)."""
    if not log.sessions:
        return
    index = data.draw(st.integers(0, len(log.sessions) - 1))
    stopped = log.sessions[index]
    exercise = CATALOGUE.get(stopped.exercise)
    assert exercise is not None

    def with_dose(dose: tuple[int, int, int | None]) -> list[tuple[Any, ...]]:
        sessions = list(log.sessions)
        sets, reps, hold_s = dose
        sessions[index] = stopped._replace(sets=sets, reps=reps, hold_s=hold_s, partial=True)
        routine = build_routine(CATALOGUE, log._replace(sessions=tuple(sessions)), DAY)
        return [(i.exercise.id, i.sets, i.reps, i.hold_s, i.change) for i in routine.items]

    one, other = data.draw(doses(exercise)), data.draw(doses(exercise))
    assert with_dose(one) == with_dose(other)


@given(logs(), st.none() | readings)
def test_a_printout_never_holds_what_the_gate_refuses_for_safety(
    log: PatientLog, stated: PainReading | None
) -> None:
    """DOMAIN 1, "One gate": the programme for weeks is what the gate allows on a good day
    (never what it refuses for safety); only today's band, a stop rule and a rest day
    pause an exercise, and a bad day's dose is never above the good day's."""
    from ptcli.domain.gate import open_gate
    from ptcli.domain.programme import build

    programme = build(CATALOGUE, log, DAY, stated)
    if programme.today.status == "blocked":
        assert programme.planned == ()
        return
    gate = open_gate(CATALOGUE, log, DAY, stated)
    if gate.urgent:  # an urgent flag keeps even a good day gentle
        assert programme.best is Band.AMBER
    good = gate._replace(band=programme.best, spread=())
    pinned = pins(log)
    safety_rules = {"emergency-flag", "therapist-only", "preference", "pool-access"}
    safety_rules |= {"pool-contraindication", "minimal-symptoms"}
    for planned in programme.planned:
        exercise = planned.item.exercise
        refusal = good.refuses(exercise, pinned=exercise.id in pinned)
        assert refusal is None or refusal.rule not in safety_rules, (exercise.id, refusal)
        if planned.today is None:
            assert planned.paused is not None and planned.paused.rule != "safety"
        if planned.red is not None:
            assert (planned.red.sets, planned.red.reps, planned.red.hold_s or 0) <= (
                planned.item.sets,
                planned.item.reps,
                planned.item.hold_s or 0,
            )
    today = {item.exercise.id for item in programme.today.items}
    listed = {p.item.exercise.id for p in programme.planned}
    instead = {p.instead.exercise.id for p in programme.planned if p.instead is not None}
    assert today <= listed | instead  # today's routine is on the sheet
