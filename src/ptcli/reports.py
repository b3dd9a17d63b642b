"""Use cases of ``ptcli progress`` and ``ptcli report``: the findings of a period and
what a therapist reads before the next appointment (issue 18).

Beside ``services`` (whose Workspace they use) so that a daily command never loads them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from ptcli.domain import measures, outcomes, plan, safety
from ptcli.domain.models import (
    MeasureEntry,
    PainEntry,
    PatientLog,
    PlanChange,
    Profile,
    Routine,
    SessionEntry,
)
from ptcli.domain.when import day_of, end_of, local_day, start_of
from ptcli.errors import BadInput
from ptcli.services import Workspace

DEFAULT_WEEKS = 4  # † without --since: the last 4 weeks
MAX_DAYS = 366  # † a longer period is refused: the report is one page, progress one screen
NOTES_SHOWN = 8  # † the report's notable notes: the latest ones
CHANGES_SHOWN = 10  # † and the engine's latest dose changes


class Progress(NamedTuple):
    """``ptcli progress``: the findings of a period."""

    profile: Profile
    today: date
    outcomes: outcomes.Outcomes


class Note(NamedTuple):
    at: date
    what: str  # "pain 5/10" or the exercise's name
    text: str  # untrusted: the patient's words


class Report(NamedTuple):
    """``ptcli report``: a therapist's page."""

    progress: Progress
    routine: Routine  # today's, as the engine builds it: the plan in force
    pins: dict[str, PlanChange]  # the therapist's pins in force
    changes: tuple[outcomes.DoseChange, ...]  # the engine's latest dose changes
    flags: tuple[safety.Flag, ...]  # active, and those reported or cleared in the period
    notes: tuple[Note, ...]
    # The outcome measures taken in the period, each against its first (the baseline).
    measures: tuple[measures.Row, ...] = ()


def period(ws: Workspace, since: str | None) -> tuple[date, date]:
    today = ws.now.date()
    if since is None:
        return today - timedelta(days=DEFAULT_WEEKS * 7 - 1), today
    first = day_of(ws.when(since, "--since"))
    if first > today:
        raise BadInput(f"--since {since} is in the future: give a day up to today")
    if (today - first).days >= MAX_DAYS:
        raise BadInput(
            f"--since {since} is more than a year ago: give a day within {MAX_DAYS} days"
        )
    return first, today


def _log(ws: Workspace, first: date, last: date) -> PatientLog:
    from ptcli.domain.engine import HISTORY_DAYS

    start, end = start_of(first - timedelta(days=HISTORY_DAYS)), end_of(last)
    screens, clearances = ws.safety_log()
    return PatientLog(
        profile=ws.store.profile(),
        pain=tuple(ws.select(PainEntry, start, end)),
        sessions=tuple(ws.select(SessionEntry, start, end)),
        screens=tuple(screens),
        clearances=tuple(clearances),
        plan=tuple(ws.select(PlanChange, until=end)),
    )


def _findings(
    ws: Workspace, log: PatientLog, first: date, last: date
) -> tuple[outcomes.Outcomes, list[outcomes.DayPlan]]:
    from ptcli.domain.engine import HISTORY_DAYS

    plans = outcomes.day_plans(ws.catalogue, log, first, last, HISTORY_DAYS)
    return outcomes.outcomes(log, plans, first, last, ws.now.date()), plans


def progress(ws: Workspace, since: str | None) -> Progress:
    first, last = period(ws, since)
    log = _log(ws, first, last)
    found, _ = _findings(ws, log, first, last)
    return Progress(log.profile, ws.now.date(), found)


def report(ws: Workspace, since: str | None) -> Report:
    first, last = period(ws, since)
    log = _log(ws, first, last)
    found, plans = _findings(ws, log, first, last)
    today = plans[-1].routine  # a period always ends today
    flags = [
        f
        for f in safety.flags(log.screens, log.clearances, last)
        if f.cleared is None or local_day(f.last) >= first or local_day(f.cleared.at) >= first
    ]
    notes = [
        Note(local_day(e.at), f"pain {e.score}/10", e.note)
        for e in log.pain
        if e.note and first <= local_day(e.at) <= last
    ] + [
        Note(local_day(s.at), _name(ws, s.exercise), s.note)
        for s in log.sessions
        if s.note and first <= local_day(s.at) <= last
    ]
    notes.sort(key=lambda n: n.at)
    changes = outcomes.dose_changes(plans)
    taken = measures.history(ws.select(MeasureEntry))  # all of them: the baseline may be older
    return Report(
        progress=Progress(log.profile, last, found),
        routine=today,
        pins=plan.current(log.plan),
        changes=tuple(changes[-CHANGES_SHOWN:]),
        flags=tuple(flags),
        notes=tuple(notes[-NOTES_SHOWN:]),
        measures=tuple(row for row in taken if first <= local_day(row.at) <= last),
    )


def _name(ws: Workspace, exercise_id: str) -> str:
    exercise = ws.catalogue.get(exercise_id)
    return exercise.name if exercise is not None else exercise_id
