"""Plain-English wording shared by the human-readable renderers."""

from __future__ import annotations

import re
from typing import Any

from ptcli.domain.models import Extent, Reason, Routine, RoutineItem
from ptcli.domain.safety import EMERGENCY, ITEMS


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
    return where.place if where is not None else ""


def stop_rule(easier: str | None) -> str:
    """The M2 stop rule in plain words, for one exercise (the pain limit is printed once)."""
    if easier:
        return f"Stop if the pain spreads further down your leg, and go back to the easier version, {easier}."
    return "Stop if the pain spreads further down your leg, and tell your therapist."


# The quick routine (``routine --pain``) reads nothing but the stated pain: every format
# says so, and carries the warning signs a screen would have asked about.
QUICK_NOTE = "Built from the pain you stated: no log, safety flags or plan were checked."
EMERGENCY_SIGNS_ADVICE = (
    "Seek emergency care now (call your emergency number or go to an emergency department) "
    "if you have any of these:"
)
URGENT_SIGNS_ADVICE = (
    "Do not do harder exercises, and contact your GP or physiotherapist soon, if you have any "
    "of these:"
)
ALERT_LABEL = {"emergency": "EMERGENCY", "urgent": "URGENT", "caution": "Caution"}
ALERT_LEVELS = ("emergency", "urgent", "caution")  # most serious first


def alert_label(level: str) -> str:
    """How an alert of ``level`` is introduced: 'URGENT: ...' (a new level: its name)."""
    return ALERT_LABEL.get(level, level.capitalize())


def alert_rank(level: str) -> int:
    """0 for the most serious level; a level not known here ranks with the most serious."""
    return ALERT_LEVELS.index(level) if level in ALERT_LEVELS else 0


def emergency_stop(items: list[str]) -> list[str]:
    """The emergency message for active emergency flags, a paragraph each: what was
    reported (each item named), what to do now, and the next step once seen to."""
    symptoms = [f"{ITEMS[item].symptom} ({item})" for item in items]
    reported = (
        symptoms[0] if len(symptoms) == 1 else ", ".join(symptoms[:-1]) + " and " + symptoms[-1]
    )
    clear = [f'  ptcli flag clear {item} --note "seen by ..."' for item in items]
    return [
        f"You reported {reported}.",
        "Seek emergency care now: call your emergency number or go to an emergency "
        "department. This can be a sign of nerve compression (cauda equina syndrome) that "
        "needs treatment within hours.",
        "No exercises until a clinician has seen you; then record it, with who saw you "
        "and when:\n" + "\n".join(clear),
    ]


def emergency_signs() -> list[str]:
    """The six emergency warning signs (DOMAIN.md section 1), as printed statements."""
    return [item.sign for item in ITEMS.values() if item.level == EMERGENCY]


def urgent_signs() -> list[str]:
    """The urgent warning signs: contact a clinician soon, no progression meanwhile."""
    return [item.sign for item in ITEMS.values() if item.level != EMERGENCY]


def urgent_list() -> str:
    """The urgent signs in one sentence's clauses: 'fever or chills, ...; a history of cancer'."""
    return "; ".join(sign[:1].lower() + sign[1:] for sign in urgent_signs())


def reasons_shown(routine: Routine) -> tuple[Reason, ...]:
    """The routine-wide reasons for ``--explain``: a blocked routine follows no band, so the
    band's reasons ("the gentle (amber) programme") are not shown beside the emergency."""
    if routine.status != "blocked":
        return routine.reasons
    return tuple(r for r in routine.reasons if r.rule not in ("band", "band-holds"))


# Control characters (C0 but tab and newline, DEL, C1): a catalogue or a note may carry an
# escape sequence that would retitle or rewrite the reader's terminal, or a byte RFC 5545
# forbids in a calendar. No printed form needs them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without control characters (tab and newline kept)."""
    return _CONTROL.sub("", text)


# What a terminal must never receive from untrusted text (a note, a catalogue, an import):
# control characters (C0 but tab and newline, DEL, C1) start escape sequences that can
# retitle, clear or rewrite the reader's terminal; bidirectional overrides and isolates
# reorder what is shown; line and paragraph separators break a line where none is seen;
# a lone surrogate cannot be written at all. Each is shown, not obeyed: C0 and DEL as
# their Unicode control pictures (ESC as U+241B), the others as <U+XXXX>.
_UNSHOWABLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def visible(text: str, lines: bool = False) -> str:
    """``text`` fit for a terminal: every control or invisible reordering character made
    visible (ESC as U+241B, U+202E as <U+202E>). With ``lines``, newlines are kept.

    Rich markup in it is never interpreted: ptcli prints untrusted text with markup off.
    """
    if lines:
        return "\n".join(_UNSHOWABLE.sub(_picture, line) for line in text.split("\n"))
    return _UNSHOWABLE.sub(_picture, text)


def visible_all(value: object) -> object:
    """``value`` (a view: named tuples, lists, tuples, dicts) with every string made
    :func:`visible` (newlines kept); enums, numbers and dates as they are."""
    from enum import Enum

    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return visible(value, lines=True)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        fields: list[Any] = [visible_all(field) for field in value]
        return type(value)(*fields)
    if isinstance(value, (list, tuple)):
        return type(value)(visible_all(item) for item in value)
    if isinstance(value, dict):
        return {visible_all(key): visible_all(item) for key, item in value.items()}
    return value
