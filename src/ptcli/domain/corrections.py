"""Corrections applied to the log: the one place that decides a record's corrected view.

The corrected view depends only on the set of records, never on the order they
arrived in, so stores that exchange exports agree (README, "Mistakes and backups"):

- Corrections are ordered by ``(at, id)``. A void of a correction counts only when it
  comes after it in that order (as every real one does), so voids form no cycle.
- A correction is in force unless a void in force names it (``undo`` of an edit or of
  a delete is such a void). They are resolved newest first.
- A record named by a void in force is voided: it leaves every reader's view. A void
  names the record's table too, and counts only for a record of that table; a void of
  safety data (a screen's answers, a flag clearance) counts only with a reason (DOMAIN
  1: an emergency answer is never lost silently, whichever device or file it came from).
- Otherwise the amends in force apply oldest first: for each field, the latest wins.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from ptcli.domain.models import Correction

T = TypeVar("T", bound=NamedTuple)


class Status(NamedTuple):
    """What happened to one record: voided (by ``void``), or amended (by ``amends``)."""

    void: Correction | None
    amends: tuple[Correction, ...]


class Corrections:
    """The corrections in force over a store's log."""

    def __init__(self, corrections: Iterable[Correction]) -> None:
        newest_first = sorted(corrections, key=lambda c: (c.at, c.id), reverse=True)
        order = {c.id: (c.at, c.id) for c in newest_first}
        self._by_id = {c.id: c for c in newest_first}
        # By (table, target id): the void in force (the latest), the amends in force.
        self.voids: dict[tuple[str, str], Correction] = {}
        self.amends: dict[tuple[str, str], list[Correction]] = {}
        self.in_force: list[Correction] = []  # oldest first
        for correction in newest_first:
            if ("corrections", correction.id) in self.voids:
                continue  # taken back by a later void in force
            self.in_force.append(correction)
            if correction.action != "void" or not self.counts(correction):
                continue
            if correction.table == "corrections":
                older = order.get(correction.target)
                if older is None or older >= (correction.at, correction.id):
                    continue  # a void of a later correction: only a forged file has one
            self.voids.setdefault((correction.table, correction.target), correction)
        self.in_force.reverse()
        for correction in self.in_force:
            if correction.action == "amend":
                key = (correction.table, correction.target)
                self.amends.setdefault(key, []).append(correction)

    def on_safety_data(self, correction: Correction) -> bool:
        """Does ``correction`` change safety data (a screen's answers, a flag clearance),
        itself or through the corrections it takes back? Undoing the void of a clearance
        brings an emergency flag back; voiding that undo takes it away again."""
        seen: set[str] = set()
        while correction.table == "corrections" and correction.target not in seen:
            seen.add(correction.target)
            target = self._by_id.get(correction.target)
            if target is None:
                return False
            correction = target
        return correction.table in SAFETY_TABLES

    def counts(self, void: Correction) -> bool:
        """A void that changes safety data counts only with a reason saying why it was wrong."""
        return not self.on_safety_data(void) or bool(void.reason and void.reason.strip())

    def __bool__(self) -> bool:
        return bool(self.voids or self.amends)

    def voided(self, table: str, record_id: str) -> bool:
        return (table, record_id) in self.voids

    def status(self, table: str, record_id: str) -> Status | None:
        """How a record was corrected, or None if it stands as written."""
        key = (table, record_id)
        void, amends = self.voids.get(key), self.amends.get(key, [])
        return Status(void, tuple(amends)) if void or amends else None

    def apply(self, table: str, entry: T) -> T | None:
        """``entry`` (a record of ``table``) as corrected; None when it is voided."""
        key = (table, entry.id)  # type: ignore[attr-defined]
        if key in self.voids:
            return None
        amends = self.amends.get(key)
        if not amends:
            return entry
        changes: dict[str, Any] = {}
        for amend in amends:
            changes.update(amend.changes)
        fields = entry._fields
        return entry._replace(**{k: v for k, v in changes.items() if k in fields})

    def moved(self, table: str) -> list[tuple[str, datetime, datetime]]:
        """The records of ``table`` whose time an amend changes: (id, time as written,
        time as corrected). A reader of a period must also read those whose corrected
        time falls in it while the written one does not."""
        found = []
        for (kind, target), amends in self.amends.items():
            times = [value for a in amends for field, value in a.changes if field == "at"]
            if kind == table and times and (kind, target) not in self.voids:
                found.append((target, amends[0].target_at, times[-1]))
        return found

    def view(
        self,
        table: str,
        entries: Sequence[T],
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[T]:
        """``entries`` of ``table`` corrected, the voided ones and those now outside the
        period left out; oldest first."""
        seen: dict[str, T] = {}
        for entry in entries:
            corrected = self.apply(table, entry)
            if corrected is None:
                continue
            at: datetime = corrected.at  # type: ignore[attr-defined]
            if (since and at < since) or (until and at > until):
                continue
            seen[corrected.id] = corrected  # type: ignore[attr-defined]
        return sorted(seen.values(), key=lambda e: (e.at, e.id))  # type: ignore[attr-defined]


SAFETY_TABLES = ("screens", "clearances")
