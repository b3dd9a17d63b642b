"""One example per rule of the routine engine, with the numbers of DOMAIN.md section 4 and the
dose steps of ``ptcli.domain.progression``.

The routine is built for DAY (20 March). The engine decides progression from the sessions
before that day and from the pain entries up to it; "settled" compares the first pain entry
of the day after a session with the last pain entry of the 24 hours before it.

Doses used below (exercises.yaml):
- mcgill-curl-up, side-bridge-knees: 1 x 6 x 10 s, range sets 1-3, reps 4-8, hold 8-10 s;
  one step is 1 rep or 1 s; side-bridge-full (level 2) starts at 1 x 4 x 8 s.
- prone-lying, prone-on-elbows: 1 x 1 x 120 s, hold 120-300 s (step 45 s).
- partial-press-up, full-press-up: 1 x 10, reps 8-10.
- dynamic-bridge (isotonic, 3 days a week): 2 x 10, range sets 1-3, reps 8-12.
- abdominal-brace: lowest 1 x 5 x 5 s; walking: lowest 1 x 1 x 600 s.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from ptcli import catalogue_file
from ptcli.domain import safety
from ptcli.domain.engine import build_routine
from ptcli.domain.models import (
    Band,
    Clearance,
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
from tests.conftest import ROOT

CATALOGUE = catalogue_file.check(ROOT / "exercises.yaml")[0]
DAY = date(2026, 3, 20)
_ids = itertools.count()

# ----------------------------------------------------------------------------- helpers


def at(day: int, hour: int = 8, minute: int = 0) -> datetime:
    """A moment in March 2026 (UTC)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def pain(
    day: int, score: int, where: Extent | None = Extent.BUTTOCK, hour: int = 8, minute: int = 0
) -> PainEntry:
    return PainEntry(f"p{next(_ids)}", at(day, hour, minute), score, where)


def mornings(days: Iterable[int], score: int, hour: int = 8) -> list[PainEntry]:
    return [pain(day, score, hour=hour) for day in days]


def session(
    day: int,
    exercise: str,
    sets: int,
    reps: int,
    hold: int | None = None,
    after: int | None = 2,
    where: Extent | None = None,
    hour: int = 18,
) -> SessionEntry:
    return SessionEntry(f"s{next(_ids)}", at(day, hour), exercise, sets, reps, hold, after, where)


def screen(day: int, yes: Sequence[str] = (), hour: int = 7, complete: bool = True) -> Screen:
    no = tuple(item for item in safety.ITEMS if item not in yes) if complete else ()
    return Screen(f"q{next(_ids)}", at(day, hour), tuple(yes), no)


def clearance(day: int, item: str, hour: int = 12) -> Clearance:
    return Clearance(f"k{next(_ids)}", at(day, hour), item, "seen by the GP")


def pin(
    day: int,
    exercise: str,
    sets: int | None = None,
    reps: int | None = None,
    hold: int | None = None,
    per_day: int | None = None,
) -> PlanChange:
    return PlanChange(f"c{next(_ids)}", at(day, 9), "set", exercise, sets, reps, hold, per_day)


def routine(
    pain: Iterable[PainEntry] = (),
    sessions: Iterable[SessionEntry] = (),
    screens: Iterable[Screen] | None = None,
    clearances: Iterable[Clearance] = (),
    plan: Iterable[PlanChange] = (),
    profile: Profile | None = None,
    day: date = DAY,
    stated: PainReading | None = None,
) -> Routine:
    """Build the routine; by default with a complete, all-no screen on the morning of ``day``."""
    if screens is None:
        screens = [screen(day.day)]
    log = PatientLog(
        profile=profile or Profile(),
        pain=tuple(pain),
        sessions=tuple(sessions),
        screens=tuple(screens),
        clearances=tuple(clearances),
        plan=tuple(plan),
    )
    return build_routine(CATALOGUE, log, day, stated)


def item(routine: Routine, chain: str) -> RoutineItem:
    """The one item of ``chain`` in the routine."""
    found = [i for i in routine.items if i.exercise.chain == chain]
    assert len(found) == 1, (chain, [i.exercise.id for i in routine.items])
    return found[0]


def dose(found: RoutineItem) -> tuple[str, int, int, int | None, str]:
    return (found.exercise.id, found.sets, found.reps, found.hold_s, found.change)


def ids(routine: Routine) -> list[str]:
    return [i.exercise.id for i in routine.items]


def easy_history(
    exercise: str,
    sets: int,
    reps: int,
    hold: int | None = None,
    days: Sequence[int] = (18, 19),
    score: int = 2,
) -> tuple[list[PainEntry], list[SessionEntry]]:
    """Two easy sessions (pain 2 after) on ``days``, mornings at ``score`` from the day before
    the first one to DAY: settled, no spreading, green."""
    pains = mornings(range(days[0] - 1, DAY.day + 1), score)
    return pains, [session(d, exercise, sets, reps, hold, after=2) for d in days]


# ----------------------------------------------------------------------------- regress


def test_pain_after_over_5_takes_one_set_off() -> None:
    pains = mornings(range(17, 21), 2)
    today = routine(pains, [session(19, "mcgill-curl-up", 2, 6, 10, after=6)])
    found = item(today, "curl-up")
    assert dose(found) == ("mcgill-curl-up", 1, 6, 10, "regressed")
    assert found.reason is not None and found.reason.rule == "too-painful"


def test_pain_after_over_5_at_one_set_cuts_the_volume_by_30_to_50_percent() -> None:
    pains = mornings(range(17, 21), 2)
    today = routine(pains, [session(19, "mcgill-curl-up", 1, 8, 10, after=6)])
    # No set to take off: reps ceil(8 x 0.6) = 5, so 50 of 80 held seconds (37.5 % fewer);
    # cutting the hold as well would remove 62.5 %, more than DOMAIN 4's 30-50 %.
    found = item(today, "curl-up")
    assert dose(found) == ("mcgill-curl-up", 1, 5, 10, "regressed")
    assert 0.5 <= (found.sets * found.reps * (found.hold_s or 1)) / 80 <= 0.7


def test_pain_after_of_exactly_5_is_acceptable_and_repeats() -> None:
    pains = mornings(range(17, 21), 2)
    today = routine(pains, [session(19, "mcgill-curl-up", 2, 6, 10, after=5)])
    found = item(today, "curl-up")
    assert dose(found) == ("mcgill-curl-up", 2, 6, 10, "held")
    assert found.reason is not None and found.reason.rule == "acceptable"


def test_pain_not_settled_by_the_next_morning_regresses() -> None:
    pains = [
        *mornings([17, 18], 2),
        pain(19, 2, hour=8),  # the last entry in the 24 h before the session
        pain(19, 6, hour=21),  # after the session: not the comparison
        pain(20, 3, hour=7),  # the next morning's first entry: 3 > 2, not settled
        pain(20, 1, hour=12),  # today's latest: green band
    ]
    today = routine(pains, [session(19, "mcgill-curl-up", 2, 6, 10, after=2)])
    assert today.band is Band.GREEN
    found = item(today, "curl-up")
    assert dose(found) == ("mcgill-curl-up", 1, 6, 10, "regressed")
    assert found.reason is not None and found.reason.rule == "not-settled"


def test_pain_back_to_the_level_before_the_session_is_settled() -> None:
    pains = [*mornings([17, 18, 19], 2), pain(19, 6, hour=21), pain(20, 2, hour=7)]
    today = routine(pains, [session(19, "mcgill-curl-up", 2, 6, 10, after=4)])
    assert dose(item(today, "curl-up")) == ("mcgill-curl-up", 2, 6, 10, "held")


@pytest.mark.parametrize(("today_score", "change"), [(3, "regressed"), (2, "held")])
def test_morning_pain_2_points_above_the_7_day_baseline_regresses_every_chain(
    today_score: int, change: str
) -> None:
    """Baseline: the 7 mornings before DAY, all 1/10. A morning of 3 is 2 above it."""
    pains = [*mornings(range(13, 20), 1), pain(20, today_score)]
    sessions = [
        # acceptable pain after: would be held without the flare
        session(18, "mcgill-curl-up", 2, 6, 10, after=4),
        session(18, "side-bridge-knees", 1, 6, 10, after=4),
        session(18, "prone-lying", 1, 1, 200, after=4),
    ]
    today = routine(pains, sessions)
    assert today.band is Band.GREEN
    continued = {
        i.exercise.chain: dose(i)
        for i in today.items
        if i.exercise.chain in {"curl-up", "side-bridge", "extension"}
    }
    if change == "regressed":
        assert continued == {
            "curl-up": ("mcgill-curl-up", 1, 6, 10, "regressed"),  # a set fewer
            "side-bridge": ("side-bridge-knees", 1, 4, 10, "regressed"),  # reps cut: 40 of 60
            "extension": ("prone-lying", 1, 1, 120, "regressed"),  # hold 200 x 0.6
        }
        assert {i.reason.rule for i in today.items if i.change == "regressed" and i.reason} == {
            "morning-flare"
        }
        assert "morning-flare" in {r.rule for r in today.reasons}
    else:
        assert continued == {
            "curl-up": ("mcgill-curl-up", 2, 6, 10, "held"),
            "side-bridge": ("side-bridge-knees", 1, 6, 10, "held"),
            "extension": ("prone-lying", 1, 1, 200, "held"),
        }
    # Chains without a session start fresh either way.
    assert dose(item(today, "bird-dog")) == ("bird-dog", 1, 6, 10, "new")


# ----------------------------------------------------------------------------- hold / progress


def test_pain_4_to_5_after_and_settled_repeats_the_dose() -> None:
    pains = mornings(range(17, 21), 2)
    sessions = [
        session(18, "mcgill-curl-up", 2, 6, 10, after=5),
        session(19, "mcgill-curl-up", 2, 6, 10, after=4),
    ]
    found = item(routine(pains, sessions), "curl-up")
    assert dose(found) == ("mcgill-curl-up", 2, 6, 10, "held")
    assert found.reason is not None and found.reason.rule == "acceptable"


def test_a_new_set_never_goes_below_the_range() -> None:
    from ptcli.domain.progression import Dosed, harder

    bridge = CATALOGUE.get("dynamic-bridge")
    assert bridge is not None and bridge.dose.range.reps == (8, 12)
    # 12 + 1 repetitions over 2 sets would be 7 each: the range starts at 8
    assert harder(Dosed(bridge, 1, 12, None), None) == Dosed(bridge, 2, 8, None)


@pytest.mark.parametrize(
    ("exercise", "last", "expected"),
    [
        # repetitions up within the range first (one step: (8 - 4) // 4 = 1)
        ("mcgill-curl-up", (1, 6, 10), ("mcgill-curl-up", 1, 7, 10)),
        # reps at the top: then the hold (step (10 - 8) // 4 -> 1 s)
        ("mcgill-curl-up", (1, 8, 8), ("mcgill-curl-up", 1, 8, 9)),
        # reps and hold at the top: one more set, the reps spread over the sets with one more
        # in all (8 + 1 over 2 sets -> 5 each; 16 + 1 over 3 -> 6), the hold kept
        ("mcgill-curl-up", (1, 8, 10), ("mcgill-curl-up", 2, 5, 10)),
        ("mcgill-curl-up", (2, 8, 10), ("mcgill-curl-up", 3, 6, 10)),
        # 3 sets at the top: the next level at its lowest dose
        ("side-bridge-knees", (3, 8, 10), ("side-bridge-full", 1, 4, 8)),
        # McKenzie holds: 120 -> 165 s (step (300 - 120) // 4 = 45), then the next level
        ("prone-lying", (1, 1, 120), ("prone-lying", 1, 1, 165)),
        ("prone-lying", (1, 1, 300), ("prone-on-elbows", 1, 1, 120)),
        ("partial-press-up", (1, 10, None), ("full-press-up", 1, 8, None)),
    ],
)
def test_two_easy_settled_sessions_at_one_dose_progress_one_step(
    exercise: str,
    last: tuple[int, int, int | None],
    expected: tuple[str, int, int, int | None],
) -> None:
    pains, sessions = easy_history(exercise, *last)
    today = routine(pains, sessions)
    chain = CATALOGUE.get(exercise).chain  # type: ignore[union-attr]
    found = item(today, chain)
    assert dose(found) == (*expected, "progressed")
    assert found.reason is not None and found.reason.rule == "two-easy-sessions"


def test_adding_a_set_does_not_lower_the_volume() -> None:
    pains, sessions = easy_history("mcgill-curl-up", 1, 8, 10)
    found = item(routine(pains, sessions), "curl-up")
    assert (found.exercise.id, found.sets, found.change) == ("mcgill-curl-up", 2, "progressed")
    assert found.sets * found.reps * (found.hold_s or 1) >= 1 * 8 * 10


def test_no_more_than_3_sets_and_no_step_past_the_top_of_a_one_level_chain() -> None:
    pains, sessions = easy_history("mcgill-curl-up", 3, 8, 10)
    assert dose(item(routine(pains, sessions), "curl-up")) == ("mcgill-curl-up", 3, 8, 10, "held")


def test_strengthening_progresses_on_non_consecutive_days() -> None:
    pains, sessions = easy_history("dynamic-bridge", 2, 10, days=(16, 18))
    # reps 10 -> 11 (step (12 - 8) // 4 = 1)
    assert dose(item(routine(pains, sessions), "bridge")) == (
        "dynamic-bridge",
        2,
        11,
        None,
        "progressed",
    )


@pytest.mark.parametrize(
    "sessions",
    [
        pytest.param([session(19, "mcgill-curl-up", 1, 6, 10)], id="one-session"),
        pytest.param(
            [session(18, "mcgill-curl-up", 1, 5, 10), session(19, "mcgill-curl-up", 1, 6, 10)],
            id="different-doses",
        ),
        pytest.param(
            [
                session(18, "mcgill-curl-up", 1, 6, 10, after=4),
                session(19, "mcgill-curl-up", 1, 6, 10),
            ],
            id="first-one-not-easy",
        ),
        pytest.param(
            [session(19, "mcgill-curl-up", 1, 6, 10, after=None)], id="pain-after-not-logged"
        ),
    ],
)
def test_progression_needs_two_easy_sessions_in_a_row_at_one_dose(
    sessions: list[SessionEntry],
) -> None:
    pains = mornings(range(17, 21), 2)
    assert dose(item(routine(pains, sessions), "curl-up")) == ("mcgill-curl-up", 1, 6, 10, "held")


def test_a_session_that_spread_symptoms_does_not_count_towards_progression() -> None:
    """The earlier session spread pain (out of the 3-day window by DAY): no progression."""
    pains = [*mornings(range(15, 21), 2)]
    sessions = [
        session(16, "mcgill-curl-up", 1, 6, 10, where=Extent.CALF),
        session(19, "mcgill-curl-up", 1, 6, 10, where=Extent.BUTTOCK),
    ]
    found = item(routine(pains, sessions), "curl-up")
    assert dose(found) == ("mcgill-curl-up", 1, 6, 10, "held")


def test_the_first_of_the_two_sessions_must_have_settled_too() -> None:
    pains = [
        *mornings([17, 18], 2),
        pain(19, 5),  # the morning after the first session: 5 > 2, not settled
        pain(20, 2),  # the morning after the second: 2 <= 5, settled
    ]
    sessions = [session(18, "mcgill-curl-up", 1, 6, 10), session(19, "mcgill-curl-up", 1, 6, 10)]
    assert dose(item(routine(pains, sessions), "curl-up")) == ("mcgill-curl-up", 1, 6, 10, "held")


# ----------------------------------------------------------------------------- bands


def test_amber_band_never_progresses() -> None:
    pains, sessions = easy_history("mcgill-curl-up", 1, 6, 10)
    pains.append(pain(20, 5, hour=12))  # today's latest: amber; this morning's (2) still settles
    today = routine(pains, sessions)
    assert today.band is Band.AMBER
    assert dose(item(today, "curl-up")) == ("mcgill-curl-up", 1, 6, 10, "held")
    assert not [i for i in today.items if i.change == "progressed"]


def test_red_band_gives_the_lowest_doses_and_no_isotonic_work() -> None:
    pains = [*mornings(range(17, 20), 7), pain(20, 8)]
    sessions = [
        session(18, "prone-lying", 1, 1, 300, after=2),
        session(19, "prone-lying", 1, 1, 300, after=2),
        session(18, "dynamic-bridge", 2, 12),
    ]
    today = routine(pains, sessions)
    assert today.band is Band.RED
    assert [dose(i)[:4] for i in today.items] == [
        ("prone-lying", 1, 1, 120),
        ("abdominal-brace", 1, 5, 5),
        ("walking", 1, 1, 600),
    ]
    assert "isotonic" not in {i.exercise.category for i in today.items}


def test_a_stated_red_pain_gives_the_same_gentle_programme() -> None:
    today = routine(stated=PainReading(9, Extent.CALF))
    assert (today.band, [dose(i)[:4] for i in today.items]) == (
        Band.RED,
        [("prone-lying", 1, 1, 120), ("abdominal-brace", 1, 5, 5), ("walking", 1, 1, 600)],
    )


# ----------------------------------------------------------------------------- McKenzie


@pytest.mark.parametrize(
    ("exercise", "last"),
    [
        ("full-press-up", (1, 10, None)),
        ("full-press-up", (1, 8, None)),
        ("partial-press-up", (1, 9, None)),
        ("prone-on-elbows", (1, 1, 300)),
    ],
)
def test_mckenzie_regression_goes_back_to_the_first_level_of_the_chain(
    exercise: str, last: tuple[int, int, int | None]
) -> None:
    pains = mornings(range(17, 21), 2)
    today = routine(pains, [session(19, exercise, *last, after=7)])
    assert dose(item(today, "extension")) == ("prone-lying", 1, 1, 120, "regressed")


def test_mckenzie_flexion_chain_also_regresses_to_its_first_level() -> None:
    pains = [*mornings(range(17, 20), 2), pain(20, 3, hour=7)]  # 3 > 2: not settled
    today = routine(
        pains,
        [session(19, "flexion-in-sitting", 1, 10)],
        profile=Profile(preference="flexion"),
    )
    assert dose(item(today, "flexion")) == ("flexion-in-lying", 1, 10, None, "regressed")


def test_peripheralization_drops_the_exercise_and_harder_levels_and_alerts() -> None:
    pains = [*mornings(range(17, 20), 2), pain(20, 3, Extent.BUTTOCK, hour=8)]
    sessions = [
        session(18, "partial-press-up", 1, 10, where=Extent.BUTTOCK),
        session(19, "partial-press-up", 1, 10, where=Extent.BUTTOCK),
        # today, after this morning's buttock pain: reached the calf
        session(20, "partial-press-up", 1, 10, after=3, where=Extent.CALF, hour=10),
    ]
    today = routine(pains, sessions)
    assert today.status == "ok"
    assert not {
        "partial-press-up",
        "full-press-up",
        "press-up-overpressure",
        "standing-extension",  # another extension exercise
    } & set(ids(today))
    # The chain falls back to its first level at the usual dose.
    assert dose(item(today, "extension")) == ("prone-lying", 1, 1, 120, "regressed")
    [alert] = [a for a in today.alerts if a.level == "caution" and a.item == "partial-press-up"]
    assert "Half press-up" in alert.text
    assert "Half press-up" in today.message


@pytest.mark.parametrize(("day", "still_out"), [(20, True), (21, True), (22, True), (23, False)])
def test_a_peripheralized_exercise_stays_out_that_day_and_the_next_two(
    day: int, still_out: bool
) -> None:
    pains = [*mornings(range(17, 24), 2)]
    pains.append(pain(20, 2, Extent.BUTTOCK, hour=9))
    sessions = [session(20, "partial-press-up", 1, 10, after=3, where=Extent.THIGH, hour=10)]
    today = routine(pains, sessions, day=date(2026, 3, day))
    alerts = [a for a in today.alerts if a.item == "partial-press-up"]
    assert bool(alerts) is still_out
    if still_out:
        assert "partial-press-up" not in ids(today)


def test_a_neutral_exercise_that_spread_symptoms_takes_out_only_its_chain() -> None:
    pains = [*mornings(range(17, 21), 2)]
    sessions = [session(20, "lying-sciatic-slider", 2, 10, where=Extent.FOOT, hour=10)]
    today = routine(pains, sessions)
    assert "neural" not in {i.exercise.category for i in today.items}
    assert {"prone-lying", "mcgill-curl-up", "walking"} <= set(ids(today))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(Extent.THIGH, Extent.BUTTOCK, id="centralized"),
        pytest.param(Extent.NONE, Extent.BACK, id="new-central-back-pain"),
        pytest.param(Extent.CALF, Extent.CALF, id="unchanged"),
    ],
)
def test_centralizing_or_central_back_pain_is_not_spreading(before: Extent, after: Extent) -> None:
    pains = [*mornings(range(17, 20), 2), pain(20, 2, before)]
    sessions = [session(20, "partial-press-up", 1, 10, where=after, hour=10)]
    today = routine(pains, sessions)
    assert not [a for a in today.alerts if a.item == "partial-press-up"]


@pytest.mark.parametrize(
    ("preference", "mckenzie", "excluded"),
    [
        ("flexion", ("flexion-in-lying", 1, 10, None, "new"), "extension"),
        ("extension", ("prone-lying", 1, 1, 120, "new"), "flexion"),
    ],
)
def test_directional_preference_leaves_out_the_opposite_direction(
    preference: str, mckenzie: tuple[str, int, int, int | None, str], excluded: str
) -> None:
    today = routine([pain(20, 2)], profile=Profile(preference=preference))
    [first] = [i for i in today.items if i.exercise.category == "mckenzie"]
    assert dose(first) == mckenzie
    assert excluded not in {i.exercise.direction for i in today.items}
    if preference == "flexion":
        # the flexion-biased stretch now comes first
        assert dose(item(today, "knee-to-chest")) == ("single-knee-to-chest", 1, 3, 30, "new")


# ----------------------------------------------------------------------------- days a week


def test_strengthening_is_never_on_consecutive_days() -> None:
    pains = mornings(range(17, 21), 2)
    today = routine(pains, [session(19, "dynamic-bridge", 2, 10)])
    assert "isotonic" not in {i.exercise.category for i in today.items}  # the slot rests
    [why] = [why for e, why, _ in today.left_out if e == "dynamic-bridge"]
    assert why.startswith("rest day") and "consecutive" in why


@pytest.mark.parametrize(("days", "offered"), [((14, 16, 18), False), ((15, 17), True)])
def test_strengthening_at_most_3_days_in_any_7(days: tuple[int, ...], offered: bool) -> None:
    pains = mornings(range(13, 21), 2)
    today = routine(pains, [session(d, "dynamic-bridge", 2, 10, after=4) for d in days])
    assert ("dynamic-bridge" in ids(today)) is offered
    if offered:
        assert dose(item(today, "bridge")) == ("dynamic-bridge", 2, 10, None, "held")


def test_following_the_routine_for_four_weeks_keeps_the_days_a_week() -> None:
    """Do every exercise offered, easily, for 28 days: each chain done at most 3 days a week
    never on consecutive days, and no chain more days a week than its dose says."""
    start = date(2026, 3, 1)
    pains: list[PainEntry] = []
    sessions: list[SessionEntry] = []
    screens: list[Screen] = []
    done: dict[str, set[date]] = {}
    per_week = {e.chain: e.dose.days_per_week for e in CATALOGUE}
    progressed = 0
    for n in range(28):
        day = start + timedelta(days=n)
        moment = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        pains.append(PainEntry(f"p{n}", moment, 2, Extent.BUTTOCK))
        if n % 7 == 0:
            screens.append(Screen(f"q{n}", moment, (), tuple(safety.ITEMS)))
        log = PatientLog(Profile(pool=True), tuple(pains), tuple(sessions), tuple(screens), (), ())
        today = build_routine(CATALOGUE, log, day)
        assert today.status == "ok" and today.band is Band.GREEN
        progressed += sum(i.change == "progressed" for i in today.items)
        for i in today.items:
            done.setdefault(i.exercise.chain, set()).add(day)
            sessions.append(
                SessionEntry(
                    f"s{n}-{i.exercise.id}",
                    moment + timedelta(hours=10),
                    i.exercise.id,
                    i.sets,
                    i.reps,
                    i.hold_s,
                    2,
                    Extent.BUTTOCK,
                )
            )
    assert progressed > 0
    assert {"bridge", "water-walking"} <= set(done)
    for chain, days in done.items():
        for first in (start + timedelta(days=n) for n in range(22)):
            week = {first + timedelta(days=k) for k in range(7)}
            assert len(days & week) <= per_week[chain], chain
        if per_week[chain] <= 3:
            assert not {d + timedelta(days=1) for d in days} & days, chain


# ----------------------------------------------------------------------------- plan


def test_a_pinned_dose_is_kept_and_never_progresses() -> None:
    pains, sessions = easy_history("mcgill-curl-up", 2, 5, 9)
    today = routine(pains, sessions, plan=[pin(10, "mcgill-curl-up", 2, 5, 9, per_day=2)])
    found = item(today, "curl-up")
    assert dose(found) == ("mcgill-curl-up", 2, 5, 9, "held")
    assert found.times_per_day == 2
    # without the pin the same history steps up
    assert dose(item(routine(pains, sessions), "curl-up")) == (
        "mcgill-curl-up",
        2,
        6,
        9,
        "progressed",
    )


def test_a_pin_overrides_the_directional_preference() -> None:
    today = routine([pain(20, 2)], plan=[pin(10, "flexion-in-lying", 1, 8)])
    assert [dose(i) for i in today.items if i.exercise.category == "mckenzie"] == [
        ("flexion-in-lying", 1, 8, None, "new")
    ]


def test_a_pin_overrides_therapist_only() -> None:
    assert "press-up-overpressure" not in ids(routine([pain(20, 2)]))
    today = routine([pain(20, 2)], plan=[pin(10, "press-up-overpressure")])
    assert dose(item(today, "extension")) == ("press-up-overpressure", 1, 10, None, "new")


def test_a_pin_never_overrides_the_red_band() -> None:
    plan = [
        pin(10, "dynamic-bridge", 3, 12),
        pin(10, "press-up-overpressure"),  # green only
        pin(10, "abdominal-brace", 3, 10, 10),
    ]
    today = routine([pain(20, 8)], plan=plan)
    assert today.band is Band.RED
    assert not {"dynamic-bridge", "press-up-overpressure"} & set(ids(today))
    assert dose(item(today, "brace")) == ("abdominal-brace", 1, 5, 5, "new")
    assert {e for e, _, _ in today.left_out} >= {"dynamic-bridge", "press-up-overpressure"}


def test_a_pin_never_overrides_an_emergency_flag() -> None:
    today = routine(
        [pain(20, 2)],
        screens=[screen(20, ["saddle-numbness"])],
        plan=[pin(10, "prone-lying"), pin(10, "walking")],
    )
    assert (today.status, today.items) == ("blocked", ())


def test_a_pin_never_overrides_peripheralization() -> None:
    pains = [*mornings(range(17, 20), 2), pain(20, 2, Extent.BUTTOCK)]
    sessions = [session(20, "partial-press-up", 1, 10, where=Extent.FOOT, hour=10)]
    today = routine(pains, sessions, plan=[pin(10, "partial-press-up", 1, 10)])
    assert "partial-press-up" not in ids(today)


def test_a_pin_does_not_step_up_while_an_urgent_flag_is_active() -> None:
    pains, sessions = easy_history("mcgill-curl-up", 1, 6, 10)
    today = routine(
        pains,
        sessions,
        screens=[screen(20, ["fever"])],
        plan=[pin(10, "mcgill-curl-up", 2, 6, 10)],
    )
    assert dose(item(today, "curl-up")) == ("mcgill-curl-up", 1, 6, 10, "held")


def test_a_pinned_exercise_does_not_get_harder_after_a_too_painful_session() -> None:
    pains = mornings(range(17, 21), 2)
    sessions = [session(19, "mcgill-curl-up", 1, 6, 10, after=7)]
    today = routine(pains, sessions, plan=[pin(10, "mcgill-curl-up", 3, 6, 10)])
    found = item(today, "curl-up")
    assert found.reason is not None and found.reason.rule == "too-painful"
    # Once 2 x 6 x 10 s, "progressed": stepped down from the pin, not from what was done.
    assert found.change == "regressed"
    assert (found.sets, found.reps, found.hold_s or 0) < (1, 6, 10)


def test_red_never_makes_a_pinned_dose_harder_than_green() -> None:
    """``ptcli plan set prone-lying --reps 3 --hold 30``: three 30 s lie-downs (the catalogue's
    range is 1 x 120-300 s). Green keeps 1 x 3 x 30 s; red once gave 1 x 1 x 120 s."""
    plan = [pin(10, "prone-lying", reps=3, hold=30)]
    green = item(routine([pain(20, 2)], plan=plan, stated=PainReading(2, None)), "extension")
    red = item(routine([pain(20, 8)], plan=plan, stated=PainReading(8, None)), "extension")
    assert dose(green) == ("prone-lying", 1, 3, 30, "new")
    assert red.hold_s is not None and red.hold_s <= 30
    assert red.sets * red.reps * red.hold_s <= 90


def test_a_pinned_exercise_done_below_its_range_does_not_get_harder_after_a_bad_session() -> None:
    """5 s on the elbows (range 120-300 s), 7/10 after: the pin gave 120 s, "progressed"."""
    pains = mornings(range(17, 21), 2)
    sessions = [session(19, "prone-on-elbows", 1, 1, 5, after=7)]
    found = item(routine(pains, sessions, plan=[pin(10, "prone-on-elbows")]), "extension")
    assert found.reason is not None and found.reason.rule == "too-painful"
    assert found.change != "progressed"
    # A pinned McKenzie exercise steps down to its chain's first level (DOMAIN 3), never
    # longer than what was done.
    assert found.exercise.id == "prone-lying"
    assert found.hold_s is not None and found.hold_s <= 5


# ----------------------------------------------------------------------------- safety


@pytest.mark.parametrize("flag", [i.id for i in safety.ITEMS.values() if i.level == "emergency"])
def test_an_emergency_flag_blocks_and_names_the_symptom(flag: str) -> None:
    pains, sessions = easy_history("mcgill-curl-up", 1, 6, 10)
    today = routine(pains, sessions, screens=[screen(19, [flag])])
    assert (today.status, today.items) == ("blocked", ())
    assert today.message.startswith(f"You reported {safety.ITEMS[flag].symptom}.")
    assert "Seek emergency care now" in today.message
    assert [(a.level, a.item) for a in today.alerts] == [("emergency", flag)]


def test_a_flag_from_a_partial_screen_blocks_and_a_later_no_does_not_clear_it() -> None:
    screens = [
        screen(17, ["bladder"], complete=False),  # pain log --flag bladder
        screen(19),  # a full screen, all no
    ]
    today = routine([pain(20, 2)], screens=screens)
    assert today.status == "blocked"
    assert "a change in bladder control" in today.message


def test_a_cleared_flag_no_longer_blocks() -> None:
    screens = [screen(18, ["both-legs"]), screen(20)]
    today = routine([pain(20, 2)], screens=screens, clearances=[clearance(19, "both-legs")])
    assert today.status == "ok"
    assert "emergency" not in {a.level for a in today.alerts}
    assert dose(item(today, "extension")) == ("prone-lying", 1, 1, 120, "new")


def test_a_flag_reported_again_after_its_clearance_blocks_again() -> None:
    screens = [screen(17, ["both-legs"]), screen(20, ["both-legs"])]
    today = routine([pain(20, 2)], screens=screens, clearances=[clearance(18, "both-legs")])
    assert today.status == "blocked"


def test_a_clearance_before_the_report_does_not_clear_it() -> None:
    today = routine(
        [pain(20, 2)], screens=[screen(18, ["bowel"])], clearances=[clearance(17, "bowel")]
    )
    assert today.status == "blocked"


def test_an_urgent_flag_gives_the_amber_programme_without_progression() -> None:
    pains, sessions = easy_history("mcgill-curl-up", 1, 6, 10)
    today = routine(pains, sessions, screens=[screen(20, ["fever"])])
    assert (today.status, today.band) == ("ok", Band.AMBER)
    assert dose(item(today, "curl-up")) == ("mcgill-curl-up", 1, 6, 10, "held")
    assert [i.exercise.category for i in today.items] == [
        "mckenzie",
        "neural",
        "isometric",
        "isometric",
        "aerobic",
        "massage",
    ]
    assert [(a.level, a.item) for a in today.alerts] == [("urgent", "fever")]
    assert "a fever or feeling unwell" in today.message
    # cleared: green again, and the same history progresses
    cleared = routine(
        pains, sessions, screens=[screen(18, ["fever"])], clearances=[clearance(19, "fever")]
    )
    assert cleared.band is Band.GREEN
    assert dose(item(cleared, "curl-up")) == ("mcgill-curl-up", 1, 7, 10, "progressed")


@pytest.mark.parametrize(
    ("screens", "reminded"),
    [
        pytest.param([], True, id="never-screened"),
        pytest.param([screen(13)], True, id="full-screen-7-days-ago"),
        pytest.param([screen(14)], False, id="full-screen-6-days-ago"),
        pytest.param([screen(19, complete=False)], True, id="partial-screen-yesterday"),
        pytest.param(
            [Screen("partial", at(19), (), tuple(list(safety.ITEMS)[:11]))],
            True,
            id="11-of-12-answered",
        ),
    ],
)
def test_a_screen_reminder_when_no_complete_screen_in_the_last_7_days(
    screens: list[Screen], reminded: bool
) -> None:
    today = routine([pain(20, 2)], screens=screens)
    reminders = [a for a in today.alerts if a.item == "screen"]
    assert [a.level for a in reminders] == (["caution"] if reminded else [])


# ----------------------------------------------------------------------------- weekly trend


def test_a_week_of_higher_morning_pain_freezes_progression() -> None:
    """Last week's mornings (7-13 March) 1/10, this week's (14-20) 2/10: mean 2.0 > 1.0."""
    pains = [*mornings(range(7, 14), 1), *mornings(range(14, 21), 2)]
    sessions = [session(18, "mcgill-curl-up", 1, 6, 10), session(19, "mcgill-curl-up", 1, 6, 10)]
    today = routine(pains, sessions)
    assert today.band is Band.GREEN
    assert dose(item(today, "curl-up")) == ("mcgill-curl-up", 1, 6, 10, "held")
    assert "worsening-week" in {r.rule for r in today.reasons}


def test_a_week_of_equal_morning_pain_lets_progression_through() -> None:
    pains = [*mornings(range(7, 14), 2), *mornings(range(14, 21), 2)]
    sessions = [session(18, "mcgill-curl-up", 1, 6, 10), session(19, "mcgill-curl-up", 1, 6, 10)]
    today = routine(pains, sessions)
    assert dose(item(today, "curl-up")) == ("mcgill-curl-up", 1, 7, 10, "progressed")


def test_a_week_needs_3_mornings_to_compare() -> None:
    """This week has mornings on 2 days only (19 and 20 March): no comparison, no freeze."""
    pains = [*mornings(range(7, 14), 1), pain(19, 2, hour=6), pain(20, 2)]
    sessions = [
        session(19, "mcgill-curl-up", 1, 6, 10, hour=7),
        session(19, "mcgill-curl-up", 1, 6, 10, hour=18),
    ]
    today = routine(pains, sessions)
    assert dose(item(today, "curl-up")) == ("mcgill-curl-up", 1, 7, 10, "progressed")
