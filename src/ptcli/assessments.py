"""Use cases of ``ptcli assess`` (beside services.py): what may be tested, saving a test
as its answers are given, a therapist's record, and past tests. The rules are in
``domain.assessment``; the guided test's terminal is ``cli.assess``.

Nothing here writes the profile: a test suggests a preference, the therapist sets it
(``ptcli init --preference``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from ptcli import records
from ptcli.domain import assessment
from ptcli.domain.models import Assessment, Extent, MovementSet
from ptcli.domain.when import local_day
from ptcli.errors import BadInput, SafetyStop

if TYPE_CHECKING:
    from ptcli.services import Workspace


class Allowed(NamedTuple):
    """What the gate says of a test now: the directions stopped by M2 in the last days."""

    stopped: frozenset[str]


def gate(
    ws: Workspace, shifted: bool | None = None, pain: int | None = None, day: date | None = None
) -> Allowed:
    """The exclusions of DOMAIN 8.1 through the one gate (``domain.gate.open_gate``): an
    emergency flag stops for safety (exit 3); an urgent flag, a shift or pain 8 or more is
    one clear line (exit 2). Returns the directions stopped in the last days. ``day``: the
    day of a test recorded afterwards (default today), as the gate saw that day."""
    from ptcli import services
    from ptcli.domain import safety
    from ptcli.domain.gate import open_gate

    day = day or ws.now.date()
    opened = open_gate(ws.catalogue, services.patient_log(ws, day), day)
    if opened.emergency:
        raise SafetyStop([flag.item.id for flag in opened.emergency])
    why = assessment.refusal(
        emergency=[],
        urgent=[f.item.symptom for f in opened.flags if f.item.level == safety.URGENT],
        pain=pain,
        shifted=shifted,
    )
    if why is not None:
        raise BadInput(f"no assessment now: {why}")
    # M2 (one place, the gate): an exercise's direction that spread, or an assessment's
    spread = {p.exercise.direction for p in opened.spread} | {t.tag for t in opened.tests}
    return Allowed(frozenset(spread - {"neutral"}))


def begin(
    ws: Workspace,
    by: str,
    pain: int,
    where: Extent,
    side_glides: bool,
    note: str | None = None,
) -> Assessment:
    """A new test with its baseline pain and extent, saved at once (partial until its end)."""
    _check_note(note)
    started = Assessment(
        id=records.new_id(),
        at=ws.clock(),
        by=by,
        pain=pain,
        where=where,
        side_glides=side_glides,
        partial=True,
        note=note,
    )
    ws.store.put(started)
    return started


def save(ws: Workspace, test: Assessment) -> Assessment:
    """The test as it stands (an answer just given), in place of its last version. Its
    ``at`` stays the moment it began: one test, one time."""
    ws.store.put(test)
    return test


def record(
    ws: Workspace,
    baseline: tuple[int, Extent, int | None, str | None],
    sets: Sequence[MovementSet],
    side_glides: bool,
    shifted: bool,
    at: str | None,
    note: str | None,
) -> tuple[Assessment, frozenset[str]]:
    """A therapist's record of an in-clinic test, checked as the guided test is (the
    exclusions, the order, the stop rule), written whole or not at all."""
    pain, where, fingertips, extension = baseline
    moment = ws.moment(at)
    allowed = gate(ws, shifted=shifted, pain=pain, day=local_day(moment))
    _check_note(note)
    test = Assessment(
        id=records.new_id(),
        at=moment,
        by="therapist",
        pain=pain,
        where=where,
        fingertips_cm=fingertips,
        extension=extension,
        sets=tuple(sets),
        side_glides=side_glides,
        note=note,
    )
    try:
        assessment.check_order(test, allowed.stopped)
    except ValueError as error:
        raise BadInput(f"--set {error}") from None
    ws.store.add(test)
    return test, allowed.stopped


def past(ws: Workspace) -> list[Assessment]:
    """Every test, oldest first (as corrected)."""
    return ws.select(Assessment)


def _check_note(note: str | None) -> None:
    problem = records.text_problem(note, records.NOTE_MAX) if note is not None else None
    if problem is not None:
        raise BadInput(f"--note {problem}")
