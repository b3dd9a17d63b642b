"""A guided session's timeline: what the patient does, phase by phase, in one exercise.

Pure: the terminal runner (``ptcli.cli.guide``) walks these phases, waiting each one's
seconds times the pace and listening for keys. Timings marked † are our own defaults.
"""

from typing import NamedTuple

GET_READY_S = 3  # † the count before the first movement, and before the other side
REP_S = 3  # † the steady pace of a repetition without a hold
RELAX_S = 3  # † the pause between two holds
REST_S = 30  # † rest between sets (DOMAIN.md section 5: 30-60 s)
SIDES = ("left", "right")


class Phase(NamedTuple):
    kind: str  # "ready", "hold", "rep", "relax", "rest" or "switch" (now the other side)
    seconds: int
    set: int  # from 1
    rep: int  # from 1 for holds and repetitions; 0 for the others
    side: str | None  # "left" or "right" for an exercise done on each side
    ends_set: bool = False  # the set is done (and saved) when this phase ends


def phases(sets: int, reps: int, hold_s: int | None, per_side: bool) -> list[Phase]:
    """Every phase of an exercise in order: get ready, then each set's holds or
    repetitions (each side in turn), with rests between sets."""
    sides: tuple[str | None, ...] = SIDES if per_side else (None,)
    timeline = [Phase("ready", GET_READY_S, 1, 0, sides[0])]
    for number in range(1, sets + 1):
        for side_index, side in enumerate(sides):
            if side_index:
                timeline.append(Phase("switch", GET_READY_S, number, 0, side))
            for rep in range(1, reps + 1):
                if hold_s:
                    if rep > 1:
                        timeline.append(Phase("relax", RELAX_S, number, rep - 1, side))
                    timeline.append(Phase("hold", hold_s, number, rep, side))
                else:
                    timeline.append(Phase("rep", REP_S, number, rep, side))
        last = timeline[-1]
        timeline[-1] = last._replace(ends_set=True)
        if number < sets:
            timeline.append(Phase("rest", REST_S, number, 0, None))
    return timeline


def seconds_of(timeline: list[Phase]) -> int:
    return sum(phase.seconds for phase in timeline)
