"""The McKenzie self-assessment with repeated movements (DOMAIN.md section 8), pure.

What a clinician does at a first visit, simplified for home, never a diagnosis:

1. ``refusal``: not with an active emergency or urgent flag, pain 8 or more †, or a
   visible shift of the trunk to one side; and never a direction the M2 stop rule
   stopped in the last 3 days (the gate's, which reads ``spread_in_tests`` too: a
   direction an assessment peripheralized is stopped for the routine as well).
2. The baseline: pain, how far down the leg, and the range of motion: flexion in standing
   once (fingertips-to-floor, cm) and extension in standing once (none to full).
3. ``MOVEMENTS`` in their order, 10 repetitions each; side-glides only when a therapist
   asks. ``next_movement`` applies the stop rule at once: a direction that sent symptoms
   further down the leg is not tested further; the other directions go on.
4. ``evaluate``: each set judged against the symptoms just before it (centralized,
   peripheralized or no effect, pain eased or not, the range better, same or worse), each
   direction from its sets, and ``suggest``: a candidate preference only when symptoms
   centralized or eased (range alone is weak evidence), for the therapist to confirm.
   Nothing here ever changes the profile.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from ptcli.domain.models import PREFERENCES, Assessment, Extent, MovementSet
from ptcli.domain.spreading import PERIPHERALIZED_DAYS, further_down
from ptcli.domain.when import local_day

PAIN_LIMIT = 8  # † DOMAIN 8.1: not with pain 8 or more
REPS = 10  # DOMAIN 8.3: 10 repetitions a set
REST_S = 60  # DOMAIN 8.3: a minute apart
EXTENSION_RANGES = ("none", "a-little", "half", "full")
RANGE_CHANGES = ("better", "same", "worse")
FINGERTIPS_MAX_CM = 150  # † a person's arm's length from the floor, at most
BY = ("patient", "therapist")

CENTRALIZED = "centralized"
PERIPHERALIZED = "peripheralized"
NO_EFFECT = "no effect"
CONFIRM = "for your therapist to confirm"


class Movement(NamedTuple):
    id: str
    name: str
    direction: str  # what the stop rule stops: extension, flexion, side-glide-left/right
    tag: str  # the catalogue's direction tag (M2 in the routine): extension, flexion, lateral
    position: str
    steps: tuple[str, ...]
    therapist: bool = False  # only when a therapist asks (--side-glides)


def _side_glide(side: str) -> Movement:
    return Movement(
        f"side-glide-{side}",
        f"Side-glide in standing, to the {side}",
        f"side-glide-{side}",
        "lateral",
        f"Stand with your {side} side to a wall, a foot away, elbow bent against it at "
        "shoulder height.",
        (
            "Move your hips toward the wall, keeping your shoulders where they are.",
            "Come back to the middle.",
            "Only as your therapist showed you.",
        ),
        therapist=True,
    )


MOVEMENTS = (
    Movement(
        "extension-standing",
        "Extension in standing",
        "extension",
        "extension",
        "Stand with your feet apart, hands in the small of your back, fingers pointing down.",
        (
            "Lean back as far as you comfortably can, knees straight.",
            "Come back up to standing.",
        ),
    ),
    Movement(
        "flexion-lying",
        "Flexion in lying",
        "flexion",
        "flexion",
        "Lie on your back, knees bent, feet flat.",
        (
            "Bring both knees up to your chest and hold them with your hands.",
            "Pull gently, then let your feet go back down.",
        ),
    ),
    Movement(
        "extension-lying",
        "Extension in lying (press-up)",
        "extension",
        "extension",
        "Lie face down, hands under your shoulders.",
        (
            "Push your upper body up, keeping your hips down and your back relaxed.",
            "Lower yourself back down.",
        ),
    ),
    _side_glide("left"),
    _side_glide("right"),
)
MOVEMENT = {movement.id: movement for movement in MOVEMENTS}
DIRECTIONS = tuple(dict.fromkeys(movement.direction for movement in MOVEMENTS))
# The range tests of the baseline: each is a movement of a direction, done once.
FLEXION_ONCE = (
    "Flexion in standing, once (range only): stand with your feet apart, knees straight, "
    "and bend forward slowly as far as you comfortably can, then come back up."
)
EXTENSION_ONCE = (
    "Extension in standing, once (range only): hands in the small of your back, lean back "
    "as far as you comfortably can, then come back up."
)


def refusal(
    *, emergency: Sequence[str], urgent: Sequence[str], pain: int | None, shifted: bool | None
) -> str | None:
    """Why the test may not be done now (None: it may), as the one line the patient reads.
    ``emergency`` and ``urgent``: the symptoms of the active flags of each level."""
    if emergency:
        return f"not with an emergency flag active ({', '.join(emergency)}): seek care now"
    if urgent:
        return (
            f"not with an urgent flag active ({', '.join(urgent)}): contact your GP or "
            "physiotherapist first"
        )
    if shifted:
        return (
            "not with your trunk shifted to one side: your therapist tests that "
            "(and shows you how to correct it)"
        )
    if pain is not None and pain >= PAIN_LIMIT:
        return f"not with pain {pain}/10 ({PAIN_LIMIT} or more): try again when it is lower"
    return None


class TestSpread(NamedTuple):
    """A direction an assessment peripheralized: the M2 stop rule for the routine too."""

    tag: str  # the catalogue's direction tag: extension, flexion or lateral
    day: date
    evidence: str  # for --explain


def spread_in_tests(earlier: Sequence[Assessment], day: date) -> list[TestSpread]:
    """The directions assessments of the last days (PERIPHERALIZED_DAYS, as M2) peripheralized."""
    first = day - timedelta(days=PERIPHERALIZED_DAYS - 1)
    found = []
    for test in sorted(earlier, key=lambda t: (t.at, t.id)):
        on = local_day(test.at)
        if not first <= on <= day:
            continue
        for direction in evaluate(test).directions:
            if direction.stopped:
                spread = next(s for s in direction.sets if s.response == PERIPHERALIZED)
                evidence = (
                    f"{test.at.astimezone():%Y-%m-%d %H:%M} assessment: {spread.set.movement} "
                    f"from the {spread.where_before.place} to the {spread.set.where.place} "
                    f"({test.id})"
                )
                found.append(TestSpread(MOVEMENT[spread.set.movement].tag, on, evidence))
    return found


def movements(side_glides: bool) -> list[Movement]:
    """The test's movements, in DOMAIN 8's order."""
    return [m for m in MOVEMENTS if side_glides or not m.therapist]


class Skipped(NamedTuple):
    movement: Movement
    why: str


def next_movement(
    assessment: Assessment, stopped: frozenset[str], skipped: frozenset[str] = frozenset()
) -> tuple[Movement | None, list[Skipped]]:
    """The next movement to test, or None when the test is done, and the movements passed
    over on the way (a direction stopped, by M2 in the last days or by this test).
    ``skipped``: the movements the patient chose to skip."""
    done = {s.movement for s in assessment.sets} | skipped
    peripheralized = {d.direction for d in evaluate(assessment).directions if d.stopped}
    passed: list[Skipped] = []
    for movement in movements(assessment.side_glides):
        if movement.id in done:
            continue
        why = skip_reason(movement, stopped, peripheralized)
        if why is None:
            return movement, passed
        passed.append(Skipped(movement, why))
    return None, passed


def skip_reason(movement: Movement, stopped: frozenset[str], now: set[str]) -> str | None:
    if movement.direction in now:
        return f"not tested: {_direction(movement.direction)} sent pain further down the leg"
    if movement.tag in stopped:
        return f"not tested: {movement.tag} was stopped in the last {PERIPHERALIZED_DAYS} days"
    return None


def check_order(assessment: Assessment, stopped: frozenset[str]) -> None:
    """Each set in the test's order, never one the stop rule had stopped (ValueError)."""
    order = [m.id for m in movements(assessment.side_glides)]
    sofar = assessment._replace(sets=())
    for one in assessment.sets:
        if one.movement not in MOVEMENT:
            raise ValueError(f"unknown movement {one.movement!r}: use one of {', '.join(MOVEMENT)}")
        if one.movement not in order:
            raise ValueError(f"{one.movement} only when a therapist asks (--side-glides)")
        done = [s.movement for s in sofar.sets]
        if one.movement in done:
            raise ValueError(f"{one.movement} is given twice")
        if done and order.index(one.movement) < order.index(done[-1]):
            raise ValueError(f"give the sets in the test's order: {', '.join(order)}")
        peripheralized = {d.direction for d in evaluate(sofar).directions if d.stopped}
        why = skip_reason(MOVEMENT[one.movement], stopped, peripheralized)
        if why is not None:
            raise ValueError(f"{one.movement}: {why} (the stop rule)")
        sofar = sofar._replace(sets=(*sofar.sets, one))


class SetResult(NamedTuple):
    set: MovementSet
    pain_before: int
    where_before: Extent
    response: str  # centralized, peripheralized or no effect
    eased: bool  # pain meaningfully lower without spreading


class DirectionResult(NamedTuple):
    direction: str
    sets: tuple[SetResult, ...]  # none: not tested

    @property
    def stopped(self) -> bool:
        return self.response == PERIPHERALIZED

    @property
    def response(self) -> str | None:
        """Peripheralized if any set was; else centralized if any set was; None: not tested."""
        responses = {s.response for s in self.sets}
        for response in (PERIPHERALIZED, CENTRALIZED, NO_EFFECT):
            if response in responses:
                return response
        return None

    @property
    def eased(self) -> bool:
        return not self.stopped and any(s.eased for s in self.sets)

    @property
    def range(self) -> str | None:
        """Worse if any set moved worse, else better if any moved better (None: not said)."""
        ranges = {s.set.range for s in self.sets} - {None}
        for change in ("worse", "better", "same"):
            if change in ranges:
                return change
        return None

    @property
    def candidate(self) -> int:
        """2 centralized, 1 eased, 0 not a candidate (peripheralized, range alone, untested)."""
        if self.stopped:
            return 0
        return 2 if self.response == CENTRALIZED else 1 if self.eased else 0


class Result(NamedTuple):
    directions: tuple[DirectionResult, ...]
    suggestion: str | None  # extension or flexion: a candidate for the therapist to confirm


def eased(before: int, after: int) -> bool:
    """A meaningful fall in pain (DOMAIN 6, NPRS: 2 points or 30 %)."""
    drop = before - after
    return drop >= 2 or (drop >= 1 and drop >= 0.3 * before)


def judge(pain_before: int, where_before: Extent, done: MovementSet) -> SetResult:
    """One set against the symptoms just before it (DOMAIN 3 and 8.5)."""
    if further_down(where_before, done.where):
        response = PERIPHERALIZED
    elif done.where < where_before:
        response = CENTRALIZED  # nearer the spine, or abolished
    else:
        response = NO_EFFECT
    ease = response != PERIPHERALIZED and eased(pain_before, done.pain)
    return SetResult(done, pain_before, where_before, response, ease)


def evaluate(assessment: Assessment) -> Result:
    """Each set judged in order, the directions, and the suggestion."""
    pain, where = assessment.pain, assessment.where
    by_direction: dict[str, list[SetResult]] = {d: [] for d in DIRECTIONS}
    for done in assessment.sets:
        result = judge(pain, where, done)
        by_direction[MOVEMENT[done.movement].direction].append(result)
        pain, where = done.pain, done.where
    directions = tuple(DirectionResult(d, tuple(sets)) for d, sets in by_direction.items())
    return Result(directions, suggest(directions))


def suggest(directions: Sequence[DirectionResult]) -> str | None:
    """The directional preference to suggest: the one direction of extension and flexion
    that did best (centralized over eased); None when neither helped, or both equally."""
    ranked = sorted(
        ((d.candidate, d.direction) for d in directions if d.direction in PREFERENCES),
        reverse=True,
    )
    best = [direction for score, direction in ranked if score and score == ranked[0][0]]
    return best[0] if len(best) == 1 else None


# In words


def _direction(direction: str) -> str:
    return direction.replace("-", " ").replace("side glide", "side-glide")


def _symptoms(pain: int, where: Extent) -> str:
    return f"{pain}/10, {'no pain' if where is Extent.NONE else 'reaching the ' + where.place}"


def direction_words(direction: DirectionResult, stopped: frozenset[str]) -> str:
    """'Extension: centralized (thigh to buttock, pain 6/10 to 4/10); moved more easily.'"""
    name = _direction(direction.direction).capitalize()
    if not direction.sets:
        tags = {m.tag for m in MOVEMENTS if m.direction == direction.direction}
        if tags & stopped:
            return f"{name}: not tested (stopped by the stop rule in the last days)."
        return f"{name}: not tested."
    first, last = direction.sets[0], direction.sets[-1]
    if direction.stopped:
        spread = next(s for s in direction.sets if s.response == PERIPHERALIZED)
        return (
            f"{name}: peripheralized: pain spread from the {spread.where_before.place} to the "
            f"{spread.set.where.place}. Stopped at once, not tested further: tell your therapist."
        )
    places = f"{first.where_before.place} to {last.set.where.place}"
    if last.set.where is Extent.NONE:
        places = f"{first.where_before.place}, then gone"
    pains = f"pain {first.pain_before}/10 to {last.set.pain}/10"
    if direction.response == CENTRALIZED:
        text = f"{name}: centralized ({places}, {pains})"
    elif direction.eased:
        text = f"{name}: no effect on where it reaches, but pain eased ({pains})"
    else:
        text = f"{name}: no effect ({pains})"
    moved = {"better": "moved more easily", "same": "moved the same", "worse": "moved less easily"}
    return text + (f"; {moved[direction.range]}." if direction.range else ".")


def suggestion_words(result: Result) -> str:
    if result.suggestion is not None:
        return (
            f"Suggested directional preference: {result.suggestion}, {CONFIRM}. "
            "Your routine does not change until your therapist sets it."
        )
    helped = [d.direction for d in result.directions if d.direction in PREFERENCES and d.candidate]
    if len(helped) > 1:
        return (
            f"Both {' and '.join(helped)} helped: no single preference suggested; "
            "your therapist will decide."
        )
    return "No directional preference suggested: no direction centralized or eased your symptoms."


def lateral_words(result: Result) -> str | None:
    """A side-glide that helped: for the therapist (never a profile preference)."""
    helped = [
        _direction(d.direction)
        for d in result.directions
        if d.direction not in PREFERENCES and d.candidate
    ]
    if not helped:
        return None
    return f"{' and '.join(helped).capitalize()} helped: tell your therapist."
