"""The therapist's plan: pinned exercises and doses, folded from its history of changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ptcli.domain.models import Exercise, PlanChange


def dose_of(pin: PlanChange, exercise: Exercise) -> tuple[int, int, int | None, int]:
    """(sets, reps, hold_s, times a day) of a pin: what it leaves out is the catalogue's."""
    dose = exercise.dose
    hold = pin.hold_s if pin.hold_s is not None else dose.hold_s
    return (pin.sets or dose.sets, pin.reps or dose.reps, hold, pin.per_day or dose.times_per_day)


def current(changes: Iterable[PlanChange], until: datetime | None = None) -> dict[str, PlanChange]:
    """The pins in force at ``until`` (default: now), by exercise id, in the order they were set."""
    pins: dict[str, PlanChange] = {}
    for change in sorted(changes, key=lambda c: (c.at, c.id)):
        if until is not None and change.at > until:
            break
        if change.action == "clear":
            pins.clear()
        elif change.action == "drop" and change.exercise is not None:
            pins.pop(change.exercise, None)
        elif change.exercise is not None:
            pins.pop(change.exercise, None)
            pins[change.exercise] = change
    return pins
