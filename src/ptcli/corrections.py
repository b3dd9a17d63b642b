"""Use cases of corrections: edit, delete and undo (README, "Mistakes and backups").

Each writes a ``Correction`` record; the originals stay as written. What every reader
then sees is decided in one place, ``domain.corrections``, through ``Workspace.select``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from ptcli import records
from ptcli.domain.models import (
    Clearance,
    Correction,
    PainEntry,
    Routine,
    Screen,
    SessionEntry,
)
from ptcli.errors import BadInput
from ptcli.services import Workspace, routine_for
from ptcli.storage.repository import Change, Record

LAST_DAYS = 30  # † how far back "last" looks
PREFIX_MIN = 6  # † characters of an id that name a record, as Git takes a short hash
UNDO_LIST = 10  # † changes that ``undo --list`` shows


LAST = "last"  # in place of an id: the latest pain entry or session (of its kind for an edit)


def find(
    ws: Workspace,
    given: str,
    kinds: tuple[type, ...] = (PainEntry, SessionEntry),
    listed: str = "ptcli history --all",
) -> Record:
    """The record whose id is ``given``, or the one whose id starts or ends with it (at
    least 6 characters). An id begins with the time it was made, so records made in the
    same hour share their first characters; its last 8 are random. ``last`` is the latest
    entry of ``kinds`` (as corrected: a deleted one is skipped)."""
    given = given.strip()
    if given.lower() == LAST:
        return _last(ws, kinds)
    if len(given) < PREFIX_MIN:
        raise BadInput(
            f"id {given!r} is too short: give at least {PREFIX_MIN} characters "
            f"(ids are in '{listed}')"
        )
    found = {record.id: record for record in ws.store.matching(given)}
    if given in found:
        return found[given]
    if not found:
        raise BadInput(f"no record has an id starting or ending {given!r}: see '{listed}'")
    if len(found) > 1:
        raise BadInput(
            f"{len(found)} records have ids starting or ending {given!r}: give more characters"
        )
    return next(iter(found.values()))


def _last(ws: Workspace, kinds: tuple[type, ...]) -> Record:
    latest: list[Any] = []
    for kind in kinds:
        found = ws.select(kind, ws.now - timedelta(days=LAST_DAYS), ws.now + timedelta(days=1))
        latest += found[-1:]
    if not latest:
        words = " or ".join(noun_of_kind(kind) for kind in kinds)
        raise BadInput(
            f"no {words} in the last {LAST_DAYS} days: give an id (see 'ptcli history --all')"
        )
    record = max(latest, key=lambda entry: (entry.at, entry.id))
    status = ws.corrections.status(table_of(record), record.id)
    written_at = status.amends[0].target_at if status and status.amends else record.at
    return ws.store.find(type(record), record.id, written_at) or record  # type: ignore[no-any-return]


def noun_of_kind(kind: type) -> str:
    return {PainEntry: "pain entry", SessionEntry: "session"}.get(kind, "record")


def table_of(record: Record) -> str:
    return records.KIND_OF[type(record)].table


def current(ws: Workspace, record: Record) -> Record | None:
    """``record`` as corrected now; None when voided."""
    return ws.corrections.apply(table_of(record), record)


def edit(
    ws: Workspace,
    given: str,
    kind: type[PainEntry] | type[SessionEntry],
    changes: Mapping[str, Any],
) -> tuple[Record, Record]:
    """Amend a pain entry or a session: only the fields that change are recorded.

    Returns the record as it was and as it is now. ``changes`` are model values, with
    ``at`` as the text of ``--at``; a field given its current value is no change.
    """
    name = {PainEntry: "pain entry", SessionEntry: "session"}[kind]
    command = {PainEntry: "pain edit", SessionEntry: "session edit"}[kind]
    note = changes.get("note")
    if note is not None:
        problem = records.text_problem(note, records.NOTE_MAX)
        if problem:
            raise BadInput(f"--note {problem}: nothing was written")
    with ws.store.transaction():
        ws.forget_corrections()
        record = find(ws, given, (kind,))
        if not isinstance(record, kind):
            raise BadInput(
                f"{record.id} is a {noun(record)}, not a {name}: '{command}' edits a {name}"
            )
        before = current(ws, record)
        if before is None:
            raise BadInput(f"{record.id} was deleted: 'ptcli undo' can bring it back")
        wanted = dict(changes)
        if "at" in wanted:
            wanted["at"] = ws.moment(wanted["at"])
        if "note" in wanted and wanted["note"] == "":
            wanted["note"] = None  # --note "" takes a note away
        if "exercise" in wanted:
            wanted["exercise"] = ws.exercise(wanted["exercise"]).id
        if isinstance(before, SessionEntry) and wanted.get("hold_s") is not None:
            known = ws.catalogue.get(wanted.get("exercise", before.exercise))
            if known is not None and known.dose.hold_s is None:
                raise BadInput(f"{known.id} has no hold: leave out --hold")
        new = {k: v for k, v in wanted.items() if getattr(before, k) != v}
        if not new:
            raise BadInput(f"nothing to change: {record.id} already has these values")
        amend = Correction(
            records.new_id(),
            ws.now,
            record.id,
            table_of(record),
            record.at,
            "amend",
            tuple(sorted(new.items())),
        )
        ws.store.add(amend)
        ws.forget_corrections()
    after = current(ws, record)
    assert after is not None
    return before, after


def delete(ws: Workspace, given: str, reason: str | None) -> tuple[Record, Routine, Routine]:
    """Void a record (entered in error); a screen or clearance needs a reason (safety data).

    Returns the record as it stood (corrected), and today's routine before and after."""
    _check_reason(reason)
    with ws.store.transaction():
        ws.forget_corrections()
        record = find(ws, given)
        standing = current(ws, record)
        if standing is None:
            raise BadInput(f"{record.id} is already deleted")
        _need_reason(ws, [record], reason, "delete")
        before = _routine(ws)
        ws.store.add(_void(ws, record, reason))
        ws.forget_corrections()
        after = _routine(ws)
    return standing, before, after


def pending(ws: Workspace, limit: int | None = None) -> list[Change]:
    """The changes made in this store that undo can still take back, newest first."""
    ws.forget_corrections()
    fixes = ws.corrections
    found = []
    for change in ws.store.changes():
        left = [r for r in change.records if not fixes.voided(table_of(r), r.id)]
        if left:
            found.append(change._replace(records=left))
        if limit is not None and len(found) >= limit:
            break
    return found


def needs_reason_for(ws: Workspace, record: Record) -> bool:
    return _safety(ws, record)


def needs_reason(ws: Workspace, change: Change) -> bool:
    return any(_safety(ws, record) for record in change.records)


def undo(ws: Workspace, change: Change, reason: str | None) -> tuple[Routine, Routine]:
    """Void every record of ``change`` still in force (one write; a snapshot first when
    there are several). Returns today's routine before and after."""
    _check_reason(reason)
    _need_reason(ws, change.records, reason, "undo")
    with ws.store.transaction():
        ws.forget_corrections()
        left = [r for r in change.records if not ws.corrections.voided(table_of(r), r.id)]
        if not left:
            raise BadInput("that change was already undone: see 'ptcli undo --list'")
        before = _routine(ws)
        if len(left) > 1:
            ws.store.snapshot("undo")
        ws.store.add(*[_void(ws, r, reason) for r in left], journal=False)
        ws.forget_corrections()
        after = _routine(ws)
    return before, after


def _void(ws: Workspace, record: Record, reason: str | None) -> Correction:
    return Correction(
        records.new_id(), ws.now, record.id, table_of(record), record.at, "void", (), reason
    )


def _safety(ws: Workspace, record: Record) -> bool:
    """Safety data: voiding a screen's answers or a clearance, or a correction of one (an
    undo of a flag's clearance), needs a reason (DOMAIN 1: an emergency answer is never
    lost silently)."""
    if isinstance(record, Correction):
        return ws.corrections.on_safety_data(record)
    return isinstance(record, Screen | Clearance)


def _need_reason(ws: Workspace, found: Sequence[Record], reason: str | None, command: str) -> None:
    safety = [r for r in found if _safety(ws, r)]
    if safety and not (reason and reason.strip()):
        raise BadInput(
            f"{safety[0].id} is a {noun(safety[0])} (safety data): "
            f"'{command}' it only with --note saying why, such as 'answered yes by mistake'"
        )


def _check_reason(reason: str | None) -> None:
    problem = None if reason is None else records.text_problem(reason, records.NOTE_MAX)
    if problem:
        raise BadInput(f"--note {problem}: nothing was written")


def _routine(ws: Workspace) -> Routine:
    return routine_for(ws, ws.now.date())


def noun(record: Record) -> str:
    if isinstance(record, Correction):
        return "delete" if record.action == "void" else "edit"
    return {
        "pain": "pain entry",
        "sessions": "session",
        "screens": "screen",
        "clearances": "flag clearance",
        "plan": "plan change",
        "appointments": "appointment",
        "lessons": "lesson read",
        "assessments": "assessment",
    }[table_of(record)]
