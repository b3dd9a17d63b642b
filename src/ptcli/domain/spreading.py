"""Spreading down the leg (DOMAIN.md section 3, the M2 stop rule): when it happened, and what it rules out.

Numbers marked † are ours (README, "How the routine is chosen"):
- The baseline of a session is the extent recorded nearest before it within 24 hours †
  (a pain entry, or an earlier session's ``where_after``). Without one, an extent after
  at the calf or foot counts as spread †: below the knee is never a safe unknown.
- An exercise that spread symptoms stays out this day and the next two †.
- Mornings: the latest logged morning reaching further down than the logged morning
  before it (within a week) freezes progression and raises a caution †.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from ptcli.domain.catalogue import Catalogue
from ptcli.domain.models import Exercise, Extent, PainEntry, Reason, SessionEntry
from ptcli.domain.monitoring import Mornings, cite
from ptcli.domain.when import local_day

PERIPHERALIZED_DAYS = 3  # † an exercise that spread symptoms stays out this day and the next two
BASELINE_WINDOW = timedelta(hours=24)  # † the record a session is compared with
SPREADING_MORNINGS_DAYS = 7  # † two successive logged mornings, both in the last week


class Peripheralization(NamedTuple):
    exercise: Exercise
    day: date
    session: SessionEntry


def spread_after(
    session: SessionEntry, pain: Sequence[PainEntry], sessions: Sequence[SessionEntry]
) -> bool | None:
    """Did symptoms reach further down the leg after ``session``? None: ``where_after`` not given.

    Compared with the baseline (see above); central back pain is never spreading, even
    when it is new, and with no baseline only the calf or foot counts.
    """
    if session.where_after is None:
        return None
    return further_down(baseline_before(session, pain, sessions), session.where_after)


def further_down(before: Extent | None, after: Extent) -> bool:
    """Did symptoms reach further down the leg than ``before`` (M2)? Central back pain is
    never spreading, even when new; with no ``before`` only the calf or foot counts."""
    if before is None:
        return after >= Extent.CALF
    return after > max(before, Extent.BACK)


def baseline_before(
    session: SessionEntry, pain: Sequence[PainEntry], sessions: Sequence[SessionEntry]
) -> Extent | None:
    """The extent recorded nearest before ``session`` within 24 hours, if any."""
    earlier = [(e.at, e.id, e.where) for e in pain]
    earlier += [(s.at, s.id, s.where_after) for s in sessions if s.id != session.id]
    # Before the session: an earlier instant, or the same second and made earlier (ids begin
    # with their creation time), so a check-out logged in the session's second is after it.
    window = [
        record
        for record in earlier
        if session.at - BASELINE_WINDOW <= record[0]
        and (record[0], record[1]) < (session.at, session.id)
        and record[2] is not None
    ]
    if not window:
        return None
    return max(window, key=lambda record: (record[0], record[1]))[2]


def spread_sessions(pain: Sequence[PainEntry], sessions: Sequence[SessionEntry]) -> frozenset[str]:
    """The ids of the sessions after which symptoms reached further down the leg: each
    ``spread_after``, in one pass over the records in time order (not a search of the
    whole log per session)."""
    records = sorted(
        [(e.at, e.id, e.where, None) for e in pain]
        + [(s.at, s.id, s.where_after, s) for s in sessions],
        key=lambda record: (record[0], record[1]),
    )
    found: set[str] = set()
    last: tuple[datetime, Extent] | None = None  # the latest record giving an extent
    for at, _, extent, session in records:
        if session is not None and extent is not None:
            before = last[1] if last and at - BASELINE_WINDOW <= last[0] else None
            if further_down(before, extent):
                found.add(session.id)
        if extent is not None:
            last = (at, extent)
    return frozenset(found)


def peripheralizations(
    catalogue: Catalogue,
    pain: Sequence[PainEntry],
    sessions: Sequence[SessionEntry],
    day: date,
    spread: frozenset[str] | None = None,
) -> list[Peripheralization]:
    """Sessions of the last days after which symptoms reached further down the leg,
    one per exercise (the first), within PERIPHERALIZED_DAYS of ``day``. ``spread``:
    the ids of ``spread_sessions``, when already known."""
    if spread is None:
        spread = spread_sessions(pain, sessions)
    first = day - timedelta(days=PERIPHERALIZED_DAYS - 1)
    found: dict[str, Peripheralization] = {}
    for session in sorted(sessions, key=lambda s: (s.at, s.id)):
        on = local_day(session.at)
        if not first <= on <= day:
            continue
        exercise = catalogue.get(session.exercise)
        if exercise is not None and session.id in spread:
            found.setdefault(exercise.id, Peripheralization(exercise, on, session))
    return sorted(found.values(), key=lambda p: (p.day, p.exercise.id))


def ruled_out_by(spread: Exercise, exercise: Exercise) -> bool:
    """M2: the exercise that spread symptoms, harder levels of its chain, and its direction."""
    if exercise.chain == spread.chain:
        return exercise.level >= spread.level
    return spread.direction != "neutral" and exercise.direction == spread.direction


def spreading_mornings(mornings: Mornings, day: date) -> Reason | None:
    """The latest logged morning (today or yesterday) reaching further down the leg than
    the logged morning before it, in the last week: freeze progression, tell the therapist."""
    first = day - timedelta(days=SPREADING_MORNINGS_DAYS - 1)
    known = [
        entry
        for on, entry in sorted(mornings.by_day.items())
        if first <= on <= day and entry.where is not None
    ]
    if len(known) < 2 or local_day(known[-1].at) < day - timedelta(days=1):
        return None
    before, latest = known[-2], known[-1]
    assert before.where is not None and latest.where is not None
    if latest.where <= max(before.where, Extent.BACK):
        return None
    return Reason(
        "spreading-mornings",
        f"Morning pain reached further down the leg on {local_day(latest.at):%d %b} "
        f"({latest.where.place}) than on {local_day(before.at):%d %b} ({before.where.place}): "
        "no progression until it settles; tell your therapist.",
        (cite(before), cite(latest)),
    )
