"""Use cases of ``ptcli progress`` and ``ptcli report``: the findings of a period and
what a therapist reads before the next appointment (issue 18).

Beside ``services`` (whose Workspace they use) so that a daily command never loads them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from ptcli import services
from ptcli.domain import measures, outcomes, plan, safety
from ptcli.domain.models import (
    MeasureEntry,
    PatientLog,
    PlanChange,
    Profile,
    Routine,
)
from ptcli.domain.when import day_of, local_day
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


def _findings(
    ws: Workspace, log: PatientLog, first: date, last: date
) -> tuple[outcomes.Outcomes, list[outcomes.DayPlan]]:
    from ptcli.domain.engine import HISTORY_DAYS

    plans = outcomes.day_plans(ws.catalogue, log, first, last, HISTORY_DAYS)
    return outcomes.outcomes(log, plans, first, last, ws.now.date()), plans


def _log(ws: Workspace, since: str | None) -> tuple[PatientLog, date, date]:
    """The log of the period, and the period: it starts no earlier than the log does (the
    first pain, session or screen), so the days before a patient began are not missed."""
    first, last = period(ws, since)
    log = services.patient_log(ws, last, since=first)  # a period always ends today
    begun = [local_day(r.at) for table in (log.pain, log.sessions, log.screens) for r in table]
    return log, max(first, min(begun, default=last)), last


def progress(ws: Workspace, since: str | None) -> Progress:
    log, first, last = _log(ws, since)
    found, _ = _findings(ws, log, first, last)
    return Progress(log.profile, ws.now.date(), found)


def report(ws: Workspace, since: str | None) -> Report:
    log, first, last = _log(ws, since)
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
