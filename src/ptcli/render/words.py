"""Plain-English wording shared by the human-readable renderers."""

from __future__ import annotations

from ptcli.domain.models import Extent, RoutineItem


def duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def dose(item: RoutineItem) -> str:
    """Today's dose of a routine exercise, per session and per day."""
    per_side = item.exercise.dose.per_side
    return f"{amount(item.sets, item.reps, item.hold_s, per_side)}, {per_day(item.times_per_day)}"


def amount(sets: int, reps: int, hold_s: int | None, per_side: bool = False) -> str:
    """'10 repetitions', 'hold 10 seconds, 6 times each side', '2 minutes', '2 sets: ...'."""
    side = " each side" if per_side else ""
    if hold_s and reps == 1 and sets == 1:
        text = duration(hold_s) + side
    elif hold_s:
        text = f"hold {duration(hold_s)}, {reps} times{side}"
    else:
        text = f"{reps} repetitions{side}"
    return f"{sets} sets: {text}" if sets > 1 else text


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
