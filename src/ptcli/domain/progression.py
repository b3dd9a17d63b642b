"""One step along a chain (DOMAIN.md section 4): harder, easier, lowest and usual doses.

Harder: repetitions up the range, then the hold, then a set (at most 3), then the
next level. Each step is a quarter of the range, at least 1 †. A new set spreads the
repetitions over one more set with one more in all (never below the range) †, and a
new level starts at the bottom of its range †, so the volume rises gently.
Easier removes 30-50 % of the volume (sets x repetitions x hold, DOMAIN 4): the first of
one set fewer, 40 % fewer repetitions, a 40 % shorter hold (never below the range) that
lands there †, else the cut nearest to removing 40 % among those that remove at least
30 %; when the range leaves less than 30 % to remove, the level below at its usual dose
(at the first level, the lowest dose the range allows) †.
"""

import math
from typing import NamedTuple

from ptcli.domain import wording
from ptcli.domain.models import Exercise

MAX_SETS = 3
CUT = 0.6  # † a step down aims to keep 60 % of the volume
KEEP = (0.5, 0.7)  # DOMAIN 4: a step down removes 30-50 % of the volume


class Dosed(NamedTuple):
    """An exercise at a dose."""

    exercise: Exercise
    sets: int
    reps: int
    hold_s: int | None

    @property
    def key(self) -> tuple[int, int, int, int]:
        """Orders doses of one chain: a larger key is harder."""
        return (self.exercise.level, self.sets, self.reps, self.hold_s or 0)

    @property
    def volume(self) -> int:
        return self.sets * self.reps * (self.hold_s or 1)

    @property
    def amount(self) -> str:
        """'2 sets of 10 repetitions', '6 holds of 10 seconds each side', '20 minutes'."""
        per_side = self.exercise.dose.per_side
        return wording.amount(self.sets, self.reps, self.hold_s, per_side)


def usual(exercise: Exercise) -> Dosed:
    dose = exercise.dose
    return Dosed(exercise, dose.sets, dose.reps, dose.hold_s)


def lowest(exercise: Exercise) -> Dosed:
    dose = exercise.dose
    hold = dose.range.hold_s[0] if dose.range.hold_s else dose.hold_s
    return Dosed(exercise, dose.range.sets[0], dose.range.reps[0], hold)


def within_range(exercise: Exercise, sets: int, reps: int, hold_s: int | None) -> Dosed:
    """A logged dose brought inside the exercise's range (a patient may do more or less)."""
    r = exercise.dose.range
    hold = _clamp(hold_s, r.hold_s) if r.hold_s and hold_s is not None else exercise.dose.hold_s
    return Dosed(exercise, _clamp(sets, r.sets), _clamp(reps, r.reps), hold)


def at_top(current: Dosed) -> bool:
    """Is ``current`` the top of its range, where the next step is the next level?"""
    r = current.exercise.dose.range
    hold_done = not r.hold_s or current.hold_s is None or current.hold_s >= r.hold_s[1]
    return current.reps >= r.reps[1] and hold_done and current.sets >= min(r.sets[1], MAX_SETS)


def harder(current: Dosed, next_level: Exercise | None) -> Dosed | None:
    """One step up, or None at the top (``next_level`` None: no level may follow)."""
    r = current.exercise.dose.range
    if current.reps < r.reps[1]:
        return current._replace(reps=min(current.reps + _step(r.reps), r.reps[1]))
    if r.hold_s and current.hold_s is not None and current.hold_s < r.hold_s[1]:
        return current._replace(hold_s=min(current.hold_s + _step(r.hold_s), r.hold_s[1]))
    if current.sets < min(r.sets[1], MAX_SETS):
        # The repetitions spread over one more set, one more in all: the volume rises gently.
        sets = current.sets + 1
        reps = max(r.reps[0], -(-(current.sets * current.reps + 1) // sets))
        return current._replace(sets=sets, reps=reps)
    return lowest(next_level) if next_level is not None else None


def easier(current: Dosed, lower_level: Exercise | None) -> Dosed | None:
    """One step down, or None when already at the easiest dose allowed."""
    r = current.exercise.dose.range
    cuts = [current._replace(sets=min(current.sets, max(r.sets[0], current.sets - 1)))]
    for keep in (math.ceil, math.floor):  # 60 % of the repetitions or the hold, rounded both ways
        # Never below the range, and never above what it was (a pinned dose may be below it).
        reps = min(current.reps, max(r.reps[0], keep(current.reps * CUT)))
        hold = current.hold_s
        if r.hold_s and hold is not None:
            hold = min(hold, max(r.hold_s[0], keep(hold * CUT)))
        cuts += [current._replace(reps=reps), current._replace(hold_s=hold)]
        cuts.append(current._replace(reps=reps, hold_s=hold))
    # Only cuts: a pinned dose below the range is never raised to it.
    steps = [c for c in dict.fromkeys(cuts) if c.volume < current.volume]
    kept = {c: c.volume / current.volume for c in steps}
    within = [c for c in steps if KEEP[0] <= kept[c] <= KEEP[1]]
    if within:
        return within[0]
    enough = [c for c in steps if kept[c] <= KEEP[1]]
    if enough:  # every cut that removes 30 % removes more than half: the nearest to 40 %
        return min(enough, key=lambda c: abs(kept[c] - CUT))
    if lower_level is not None:  # the range leaves less than 30 % to remove: the level below
        return usual(lower_level)
    return min(steps, key=lambda c: c.volume) if steps else None


def _step(bounds: tuple[int, int]) -> int:
    return max(1, (bounds[1] - bounds[0]) // 4)


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return min(max(value, bounds[0]), bounds[1])
