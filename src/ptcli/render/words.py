"""Plain-English wording shared by the human-readable renderers."""

from __future__ import annotations

from ptcli.domain.models import Extent, RoutineItem


def duration(seconds: int) -> str:
    """'45 seconds', '2 minutes', '4 minutes 15 seconds'."""
    minutes, rest = divmod(seconds, 60)
    parts = [f"{minutes} minute{'s' if minutes != 1 else ''}"] if minutes else []
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def dose(item: RoutineItem) -> str:
    """Today's dose of a routine exercise, per session and per day."""
    per_side = item.exercise.dose.per_side
    text = f"{amount(item.sets, item.reps, item.hold_s, per_side)}, {per_day(item.times_per_day)}"
    return text if item.days_per_week == 7 else f"{text}, {item.days_per_week} days a week"


def amount(sets: int, reps: int, hold_s: int | None, per_side: bool = False) -> str:
    """'10 repetitions', '6 holds of 10 seconds each side', '2 minutes', '2 sets of ...'."""
    if hold_s and reps == 1:
        one = duration(hold_s)
    elif hold_s:
        one = f"{reps} holds of {duration(hold_s)}"
    else:
        one = f"{reps} repetitions"
    one += " each side" if per_side else ""
    return one if sets == 1 else f"{sets} sets of {one}"


def per_day(times: int) -> str:
    if times == 1:
        return "once a day"
    if times == 2:
        return "twice a day"
    if times >= 6:
        return f"{times} times a day (every 2 to 3 hours)"
    return f"{times} times a day"


def extent(where: Extent | None) -> str:
    return where.label if where is not None else ""


def stop_rule(easier: str | None) -> str:
    """The M2 stop rule in plain words, for one exercise (the pain limit is printed once)."""
    if easier:
        return f"Stop if the pain spreads further down your leg, and go back to the easier version, {easier}."
    return "Stop if the pain spreads further down your leg, and tell your therapist."
