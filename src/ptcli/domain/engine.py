"""Today's routine: a pure function of (catalogue, pain log, session log, profile, date).

The rules follow DOMAIN.md section 4's traffic light and section 3's stop rule.
Numbers marked † are our own choices where DOMAIN.md is silent (documented in
README.md, "How the routine is chosen"):

- Today's pain is the latest entry from the routine's day or the day before †; with
  none, the routine is the amber one (gentle, no progression) and asks for a log.
- Each band has slots per category; a slot is filled by the first chain (in
  catalogue order, which is the therapist's priority) whose entry level is allowed
  in the band, not therapist-only, fits the profile and has not peripheralized.
- Directional preference: McKenzie exercises only in the preferred direction and
  no exercise biased the opposite way; extension until a therapist sets one †.
- Red: no isotonic work whatever the catalogue says, and the lowest dose of each
  range. Pool exercises only with pool access, and then in every band.
- Peripheralization: a session after which symptoms reach further down the leg
  (past the back: buttock, thigh, calf or foot) than the last record of where they
  reached in the 24 hours before it (a pain entry or an earlier session) † puts that
  exercise, every harder level of its chain and every other exercise in its
  direction out for that day and the next two †.

Progression along the chains from the log (DOMAIN.md section 4's table) plugs in
where ``_dose`` and ``_entry_level`` decide today's level and dose.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from ptcli.domain.catalogue import Catalogue
from ptcli.domain.models import (
    Band,
    Exercise,
    Extent,
    PainEntry,
    PainReading,
    Profile,
    Routine,
    RoutineItem,
    SessionEntry,
)

HISTORY_DAYS = 14  # how much of the log the engine reads (the caller may pass more)
PAIN_VALID_DAYS = 2  # † today's pain: an entry from today or yesterday
PERIPHERALIZED_DAYS = 3  # † an exercise that spread symptoms stays out this day and the next two
BASELINE_WINDOW = timedelta(hours=24)  # † the pain entry a session is compared with
DEFAULT_PREFERENCE = "extension"  # † until a therapist assesses the directional preference
OPPOSITE = {"extension": "flexion", "flexion": "extension"}

# Order of the categories in a routine, and how many chains of each a band offers.
ORDER = ("mckenzie", "neural", "isometric", "isotonic", "stretch", "aerobic", "hydrotherapy")
SLOTS: dict[Band, dict[str, int]] = {
    Band.GREEN: {
        "mckenzie": 1,
        "neural": 1,
        "isometric": 3,
        "isotonic": 1,
        "stretch": 1,
        "aerobic": 1,
        "hydrotherapy": 1,
    },
    Band.AMBER: {"mckenzie": 1, "neural": 1, "isometric": 2, "aerobic": 1, "hydrotherapy": 1},
    Band.RED: {"mckenzie": 1, "isometric": 1, "aerobic": 1, "hydrotherapy": 1},
}
# Loaded isotonic work is never offered in red: a safety rule, not a catalogue choice.
NEVER_IN_RED = frozenset({"isotonic"})
CATEGORY_NAMES = {"mckenzie": "McKenzie", "neural": "Nerve glide"}

STOP_RULE = (
    "Stop any exercise that makes pain spread further down your leg, and go back to the easier one."
)


class Peripheralization(NamedTuple):
    exercise: Exercise
    day: date


def build_routine(
    catalogue: Catalogue,
    pain: Sequence[PainEntry],
    sessions: Sequence[SessionEntry],
    profile: Profile,
    day: date,
    stated: PainReading | None = None,
) -> Routine:
    """The routine for ``day``; ``stated`` replaces the log's pain (the therapist's quick routine)."""
    reading: PainReading | None
    if stated is not None:
        reading, logged = stated, day
    else:
        latest = todays_pain(pain, day)
        reading = PainReading(latest.score, latest.where) if latest else None
        logged = latest.at.date() if latest else day
    band = Band.for_score(reading.score) if reading is not None else Band.AMBER
    spread = peripheralizations(catalogue, pain, sessions, day)
    preference = profile.preference or DEFAULT_PREFERENCE
    items: list[RoutineItem] = []
    for category in ORDER:
        wanted = SLOTS[band].get(category, 0)
        if category in NEVER_IN_RED and band is Band.RED:
            continue
        for chain in _chains(catalogue, category):
            if wanted == 0:
                break
            exercise = _entry_level(catalogue, chain)
            if exercise is None or not _allowed(exercise, band, profile, preference, spread):
                continue
            items.append(_item(exercise, band, reading, catalogue))
            wanted -= 1
    return Routine(
        date=day,
        status="ok",
        band=band,
        pain=reading,
        message=_message(band, reading, spread, day, logged),
        items=tuple(items),
    )


def todays_pain(pain: Sequence[PainEntry], day: date) -> PainEntry | None:
    """The latest pain entry from ``day`` or the day before (none later than ``day``)."""
    first = day - timedelta(days=PAIN_VALID_DAYS - 1)
    recent = [entry for entry in pain if first <= entry.at.date() <= day]
    return max(recent, key=lambda entry: (entry.at, entry.id)) if recent else None


def peripheralizations(
    catalogue: Catalogue, pain: Sequence[PainEntry], sessions: Sequence[SessionEntry], day: date
) -> list[Peripheralization]:
    """Sessions of the last days after which symptoms reached further down the leg."""
    first = day - timedelta(days=PERIPHERALIZED_DAYS - 1)
    found: dict[str, Peripheralization] = {}
    for session in sessions:
        exercise = catalogue.get(session.exercise)
        if (
            exercise is not None
            and first <= session.at.date() <= day
            and spread_after(session, pain, sessions)
        ):
            found.setdefault(exercise.id, Peripheralization(exercise, session.at.date()))
    return sorted(found.values(), key=lambda p: (p.day, p.exercise.id))


def spread_after(
    session: SessionEntry, pain: Sequence[PainEntry], sessions: Sequence[SessionEntry]
) -> bool | None:
    """Did symptoms reach further down the leg after ``session``? None: nothing to compare with.

    The baseline is the last record of where symptoms reached in the 24 hours before
    it: a pain entry, or an earlier session's ``where_after`` (DOMAIN.md: compare
    after each set). Central back pain is never spreading, even when it is new.
    """
    if session.where_after is None:
        return None
    earlier = [(e.at, e.id, e.where) for e in pain]
    earlier += [(s.at, s.id, s.where_after) for s in sessions if s.id != session.id]
    window = [
        record
        for record in earlier
        if session.at - BASELINE_WINDOW <= record[0] <= session.at and record[2] is not None
    ]
    if not window:
        return None
    baseline = max(window, key=lambda record: (record[0], record[1]))[2]
    assert baseline is not None
    return session.where_after > max(baseline, Extent.BACK)


def _chains(catalogue: Catalogue, category: str) -> list[str]:
    """The chains of a category in the order they first appear in the catalogue."""
    return list(dict.fromkeys(e.chain for e in catalogue if e.category == category))


def _entry_level(catalogue: Catalogue, chain: str) -> Exercise | None:
    """The level of ``chain`` a routine starts from: its first level."""
    levels = catalogue.chain(chain)
    return levels[0] if levels else None


def _allowed(
    exercise: Exercise,
    band: Band,
    profile: Profile,
    preference: str,
    spread: Sequence[Peripheralization],
) -> bool:
    if exercise.therapist_only or band not in exercise.bands:
        return False
    if exercise.pool and not profile.pool:
        return False
    if exercise.category == "mckenzie" and exercise.direction != preference:
        return False
    if exercise.direction == OPPOSITE.get(preference):
        return False
    return not any(_ruled_out_by(p.exercise, exercise) for p in spread)


def _ruled_out_by(spread: Exercise, exercise: Exercise) -> bool:
    """M2: the exercise that spread symptoms, harder levels of its chain, and its direction."""
    if exercise.chain == spread.chain:
        return exercise.level >= spread.level
    return spread.direction != "neutral" and exercise.direction == spread.direction


def _item(
    exercise: Exercise, band: Band, reading: PainReading | None, catalogue: Catalogue
) -> RoutineItem:
    dose = exercise.dose
    if band is Band.RED:
        sets, reps = dose.range.sets[0], dose.range.reps[0]
        hold = dose.range.hold_s[0] if dose.range.hold_s else dose.hold_s
        how = "lowest dose"
    else:
        sets, reps, hold = dose.sets, dose.reps, dose.hold_s
        how = "usual dose" if band is Band.GREEN else "usual dose, no progression"
    chain_length = len(catalogue.chain(exercise.chain))
    place = (
        f"Level {exercise.level} of {chain_length} of the {exercise.chain} chain"
        if chain_length > 1
        else f"{CATEGORY_NAMES.get(exercise.category, exercise.category.capitalize())} exercise"
    )
    return RoutineItem(
        exercise=exercise,
        sets=sets,
        reps=reps,
        hold_s=hold,
        times_per_day=dose.times_per_day,
        days_per_week=dose.days_per_week,
        why=f"{place}; {_pain_words(reading, band)}: {how}",
    )


def _pain_words(reading: PainReading | None, band: Band) -> str:
    if reading is None:
        return "no pain logged today"
    return f"pain {reading.score}/10 ({band.value})"


def _message(
    band: Band,
    reading: PainReading | None,
    spread: Sequence[Peripheralization],
    day: date,
    logged: date,
) -> str:
    if reading is None:
        parts = [
            "No pain logged for today, so this is the gentle programme.",
            "Log how you are with 'ptcli pain log SCORE --where PLACE' for a routine fitted to today.",
        ]
    else:
        where = (
            f" reaching the {reading.where.label}" if reading.where and reading.where.value else ""
        )
        when = " (logged yesterday)" if logged < day else ""
        parts = [f"Pain {reading.score}/10{where}{when}: {band.value}."]
        parts.append(
            {
                Band.GREEN: "Full programme at the usual dose.",
                Band.AMBER: "Gentle programme: keep the same dose and do not push on.",
                Band.RED: "Relief positions and gentle movement only, at the lowest dose. "
                "If pain keeps rising or spreads down the leg, contact your physiotherapist.",
            }[band]
        )
    for p in spread:
        parts.append(
            f"Left out: {p.exercise.name} and harder exercises"
            + (
                f" in {p.exercise.direction}"
                if p.exercise.direction != "neutral"
                else " of its kind"
            )
            + f", because pain spread further down the leg after it on {p.day.isoformat()};"
            " tell your therapist."
        )
    parts.append(STOP_RULE)
    return " ".join(parts)
