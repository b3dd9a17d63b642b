"""Plain-English wording shared by the human-readable renderers."""

from __future__ import annotations

from ptcli.domain.models import Extent, RoutineItem


def duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def dose(item: RoutineItem) -> str:
    """'2 sets of 10', 'hold 10 seconds, 6 times', '10 minutes', with per-side and per-day parts."""
    side = " each side" if item.exercise.dose.per_side else ""
    if item.hold_s and item.reps == 1 and item.sets == 1:
        amount = duration(item.hold_s) + side
    elif item.hold_s:
        amount = f"hold {duration(item.hold_s)}, {item.reps} times{side}"
    else:
        amount = f"{item.reps} repetitions{side}"
    if item.sets > 1:
        amount = f"{item.sets} sets: {amount}"
    return f"{amount}, {per_day(item.times_per_day)}"


def per_day(times: int) -> str:
    if times == 1:
        return "once a day"
    if times == 2:
        return "twice a day"
    if times >= 6:
        return f"{times} times a day (every 2 to 3 hours)"
    return f"{times} times a day"


def extent(where: Extent | None) -> str:
    return where.label if where is not None else "-"
