"""Properties of a guided exercise's timeline (ptcli.domain.guide.phases): what the runner
walks through, phase by phase, for any dose."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ptcli.domain.guide import GET_READY_S, RELAX_S, REP_S, REST_S, SIDES, Phase, phases, seconds_of

doses = st.tuples(
    st.integers(1, 6),  # sets
    st.integers(1, 15),  # reps
    st.one_of(st.none(), st.integers(1, 600)),  # hold_s
    st.booleans(),  # per_side
)
WORK = ("hold", "rep")


def work(timeline: list[Phase]) -> list[Phase]:
    return [p for p in timeline if p.kind in WORK]


@given(doses)
def test_every_hold_or_repetition_is_there_once_in_order(
    dose: tuple[int, int, int | None, bool],
) -> None:
    sets, reps, hold_s, per_side = dose
    timeline = phases(*dose)
    sides = SIDES if per_side else (None,)
    assert [(p.set, p.side, p.rep) for p in work(timeline)] == [
        (number, side, rep)
        for number in range(1, sets + 1)
        for side in sides
        for rep in range(1, reps + 1)
    ]
    assert len(work(timeline)) == sets * reps * (2 if per_side else 1)
    assert {p.kind for p in work(timeline)} == {"hold" if hold_s else "rep"}
    assert all(p.seconds == (hold_s or REP_S) for p in work(timeline))


@given(doses)
def test_each_set_ends_at_its_last_hold_or_repetition_after_the_last_side(
    dose: tuple[int, int, int | None, bool],
) -> None:
    sets, reps, _, per_side = dose
    timeline = phases(*dose)
    ends = [p for p in timeline if p.ends_set]
    assert [p.set for p in ends] == list(range(1, sets + 1))
    for end in ends:
        assert end.kind in WORK
        assert end.rep == reps
        assert end.side == (SIDES[-1] if per_side else None)
        assert end == [p for p in work(timeline) if p.set == end.set][-1]
    assert timeline[-1].ends_set  # nothing after the last set: its saving is the end


@given(doses)
def test_rests_come_between_sets_and_never_at_the_end(
    dose: tuple[int, int, int | None, bool],
) -> None:
    sets = dose[0]
    timeline = phases(*dose)
    rests = [i for i, p in enumerate(timeline) if p.kind == "rest"]
    assert len(rests) == sets - 1
    for i in rests:
        assert timeline[i].seconds == REST_S
        assert timeline[i - 1].ends_set
        assert timeline[i + 1].set == timeline[i - 1].set + 1
    assert timeline[-1].kind != "rest"


@given(doses)
def test_it_starts_with_a_count_in_and_says_when_to_change_sides(
    dose: tuple[int, int, int | None, bool],
) -> None:
    sets, _, _, per_side = dose
    timeline = phases(*dose)
    assert timeline[0] == Phase("ready", GET_READY_S, 1, 0, SIDES[0] if per_side else None)
    assert [p.kind for p in timeline].count("ready") == 1
    switches = [i for i, p in enumerate(timeline) if p.kind == "switch"]
    if not per_side:
        assert switches == []
        assert all(p.side is None for p in timeline)
        return
    firsts_of_second_side = [
        i for i, p in enumerate(timeline) if p.kind in WORK and p.side == SIDES[1] and p.rep == 1
    ]
    assert [i + 1 for i in switches] == firsts_of_second_side
    assert len(switches) == sets
    for i in switches:
        assert timeline[i].seconds == GET_READY_S
        assert timeline[i].side == SIDES[1]
        assert timeline[i - 1].side == SIDES[0]


@given(doses)
def test_holds_are_separated_by_a_relax_and_repetitions_are_not(
    dose: tuple[int, int, int | None, bool],
) -> None:
    sets, reps, hold_s, per_side = dose
    timeline = phases(*dose)
    relaxes = [i for i, p in enumerate(timeline) if p.kind == "relax"]
    if not hold_s:
        assert relaxes == []
        return
    assert len(relaxes) == sets * (2 if per_side else 1) * (reps - 1)
    for i in relaxes:
        assert timeline[i].seconds == RELAX_S
        assert timeline[i - 1].kind == timeline[i + 1].kind == "hold"
        assert timeline[i + 1].rep == timeline[i - 1].rep + 1


@given(doses)
def test_its_length_is_the_sum_of_its_phases(dose: tuple[int, int, int | None, bool]) -> None:
    sets, reps, hold_s, per_side = dose
    timeline = phases(*dose)
    assert seconds_of(timeline) == sum(p.seconds for p in timeline)
    sides = 2 if per_side else 1
    per_side_s = reps * hold_s + (reps - 1) * RELAX_S if hold_s else reps * REP_S
    assert seconds_of(timeline) == (
        GET_READY_S
        + sets * sides * per_side_s
        + sets * (sides - 1) * GET_READY_S
        + (sets - 1) * REST_S
    )
