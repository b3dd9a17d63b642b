"""Plain-English wording shared by the human-readable renderers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from ptcli.domain import wording
from ptcli.domain.models import Band, Extent, Reason, Routine, RoutineItem
from ptcli.domain.safety import EMERGENCY, ITEMS
from ptcli.domain.wording import amount as amount
from ptcli.domain.wording import duration as duration
from ptcli.domain.wording import per_day as per_day


def day_words(day: date, year: bool = True) -> str:
    """'Sunday 29 November 2026' (no leading zero, as a person writes it); 'Sunday 29
    November' without the year."""
    return f"{day:%A} {day.day} {day:%B}" + (f" {day:%Y}" if year else "")


def dose(item: RoutineItem, brief: bool = False) -> str:
    """Today's dose of a routine exercise, per session and per day; ``brief`` for the
    patient's short list: '2 minutes, 6 times a day'."""
    return wording.dose(
        item.sets,
        item.reps,
        item.hold_s,
        item.exercise.dose.per_side,
        item.times_per_day,
        item.days_per_week,
        brief=brief,
    )


# Today's change against last time, as the patient's list says it.
CHANGE = {"new": "New", "progressed": "A bit harder", "held": "Same", "regressed": "Easier"}
# Why, in a few words, by the rule that decided (the rule and its evidence: --explain).
WHY = {
    "new": "",
    "two-easy-sessions": "two easy sessions",
    "one-easy-session": "needs one more easy session",
    "acceptable": "pain after was 4-5",  # monitoring.EASY + 1 to ACCEPTABLE (not imported:
    # `pain log` loads this module and not the monitoring model)
    "no-pain-after": "pain after not logged",
    "not-known-settled": "waiting for tomorrow's pain",
    "easy-sessions-too-old": "last easy session over a week ago",
    "too-painful": "pain after was over 5",
    "not-settled": "pain had not settled next morning",
    "spread": "pain spread down the leg",
    "morning-flare": "this morning's pain is up",
    "worsening-week": "pain is up on last week",
    "spreading-mornings": "pain is reaching further down the leg",
    "urgent-flag": "not until your flag is seen to",
    "unscreened": "not until you answer the screen",
    "top-allowed": "the most allowed today",
    "weekly-minutes": "at most 5 more minutes a week",
    "plan": "your therapist's plan",
    "fallback": "the harder one is out today",
    "not-endorsed": "from the level prescribed",
    "named": "asked for by name",
}


def change(item: RoutineItem, band: Band) -> str:
    """'Same: needs one more easy session.': today's change and why, in one line."""
    word, why = _change(item, band)
    return f"{word}: {why}." if why else f"{word}."


SAID_ONCE = 3  # † this many exercises or more with the same change: it is said once


def changes(routine: Routine) -> tuple[list[str], str]:
    """Each exercise's change line for today's list, and a line said once under it: when
    every exercise (three or more) has the same change, the lines are empty and the one
    line says it ('Every exercise today: same (needs one more easy session).'), so a
    full day's list is not the same words eight times."""
    parts = [_change(item, routine.band) for item in routine.items]
    if len(parts) < SAID_ONCE or len(set(parts)) > 1:
        return [f"{word}: {why}." if why else f"{word}." for word, why in parts], ""
    word, why = parts[0]
    return [""] * len(parts), f"Every exercise today: {word.lower()}" + (
        f" ({why})." if why else "."
    )


def _change(item: RoutineItem, band: Band) -> tuple[str, str]:
    rule = item.reason.rule if item.reason is not None else "new"
    if rule == "band-holds":
        why = "not on a bad day"
    elif band is Band.RED and item.change != "regressed":
        why = "the lowest dose today"
    else:
        why = WHY.get(rule, "")
    return CHANGE.get(item.change, item.change.capitalize()), why


BAND_WORDS = {  # the day, and what it allows
    Band.GREEN: ("A good day", "the full programme"),
    # DOMAIN 3, amber 4-6: maintain, prefer low-load work. "Bad" is kept for 7-10: a
    # patient at 4/10 reads "a bad day" as a warning the band does not mean.
    Band.AMBER: ("A harder day", "gentle exercises, no step up"),
    Band.RED: (
        "A bad day",
        "relief positions and gentle movement only; if pain keeps rising, call your "
        "physiotherapist",
    ),
}


def band_line(routine: Routine) -> str:
    """The day in one line: 'A harder day (pain 5/10, thigh): gentle exercises, no step up.'"""
    if routine.pain is None:
        return (
            "No pain logged today: the gentle programme. "
            "Log it with: ptcli pain log SCORE --where PLACE"
        )
    pain = routine.pain
    where = f", {pain.where.place}" if pain.where else ""
    when = " yesterday" if routine.pain_day is not None and routine.pain_day < routine.date else ""
    logged = f"(pain {pain.score}/10{where}{when})"
    if routine.band is not Band.for_score(pain.score):  # kept gentle by the gate
        rules = {reason.rule for reason in routine.reasons}
        until = "an urgent flag is seen to" if "urgent-flag" in rules else "you answer the screen"
        return f"Gentle exercises only until {until} {logged}."
    day, advice = BAND_WORDS[routine.band]
    return f"{day} {logged}: {advice}."


def rest_day(next_day: date | None) -> str:
    """'rest today (next: Tuesday)'."""
    return f"rest today (next: {next_day:%A})" if next_day is not None else "rest today"


def extent(where: Extent | None) -> str:
    return where.place if where is not None else ""


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
# Left out of text for a file (Markdown, iCalendar, HTML and PDF): control characters,
# bidirectional marks, overrides and isolates (they reorder a dose or a name as shown),
# and lone surrogates; a line or paragraph separator becomes a space.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SEPARATOR = re.compile("[\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` fit for a file another program shows: without control characters or
    invisible reordering (tab and newline kept; U+2028 and U+2029 as spaces)."""
    return _CONTROL.sub("", _SEPARATOR.sub(" ", text))


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


APPOINTMENT_WORDS = {  # an appointment's kind, as a person says it
    "assessment": "assessment",
    "treatment": "treatment",
    "massage": "massage",
    "hydrotherapy": "hydrotherapy",
    "hydrotherapy-class": "water class",
    "review": "review",
    "online": "online session",
}


def appointment(item: Any, today: date | None = None) -> str:
    """'tomorrow at 10:30, massage with Anna, Riverside Clinic': when, then what (the link
    and note are said apart)."""
    return f"{appointment_when(item, today)}, {appointment_what(item)}"


def appointment_when(item: Any, today: date | None = None) -> str:
    """'Friday 4 December at 10:30' ('today' or 'tomorrow' when it is, with ``today``)."""
    at = item.at.astimezone()
    day = at.date()
    when = day_words(day, year=today is None or day.year != today.year)
    if today is not None and (day - today).days in (0, 1):
        when = ("today", "tomorrow")[(day - today).days]
    return f"{when} at {at:%H:%M}"


def appointment_what(item: Any) -> str:
    """'massage with Anna, Riverside Clinic'."""
    text: str = APPOINTMENT_WORDS.get(item.kind, item.kind)
    text += f" with {item.who}" if item.who else ""
    return text + (f", {item.place}" if item.place else "")


def today_lines(view: Any) -> list[str]:
    """The reminder lines under today's routine (a ``views.Today``): the next appointment
    the next lesson not yet read and the outcome measures due, one line each."""
    lines = []
    if view.appointment is not None:
        line = f"Next appointment: {appointment(view.appointment, view.routine.date)}"
        lines.append(line + (f" ({view.appointment.link})" if view.appointment.link else ""))
    if view.lesson is not None:
        lines.append(f"Learn: {view.lesson.title} (ptcli learn {view.lesson.number})")
    if view.measures_due:
        lines.append(measures_due(view.measures_due))
    return lines


def measures_due(names: Sequence[str]) -> str:
    """``today``'s one line for the outcome measures due ('' for none)."""
    if not names:
        return ""
    commands = ", ".join(f"ptcli measure {name}" for name in names)
    return f"Questionnaires due: {commands}."
