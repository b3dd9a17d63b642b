"""Corrections applied to the log: the one place that decides a record's corrected view.

The corrected view depends only on the set of records, never on the order they
arrived in, so stores that exchange exports agree (README, "Mistakes and backups"):

- Corrections are ordered by ``(at, id)``. A void of a correction counts only when it
  comes after it in that order (as every real one does), so voids form no cycle.
- A correction is in force unless a void in force names it (``undo`` of an edit or of
  a delete is such a void). They are resolved newest first.
- A record named by a void in force is voided: it leaves every reader's view.
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
        self.voids: dict[str, Correction] = {}  # target id -> the void in force (the latest)
        self.amends: dict[str, list[Correction]] = {}  # target id -> amends in force, oldest first
        self.in_force: list[Correction] = []
        for correction in newest_first:
            if correction.id in self.voids:
                continue  # taken back by a later void in force
            self.in_force.append(correction)
            if correction.action == "void":
                older = order.get(correction.target)
                if older is None or older < (correction.at, correction.id):
                    self.voids.setdefault(correction.target, correction)
        for correction in reversed(self.in_force):
            if correction.action == "amend" and correction.id not in self.voids:
                self.amends.setdefault(correction.target, []).append(correction)
        self.in_force.reverse()  # oldest first

    def __bool__(self) -> bool:
        return bool(self.voids or self.amends)

    def status(self, record_id: str) -> Status | None:
        """How ``record_id`` was corrected, or None if it stands as written."""
        void, amends = self.voids.get(record_id), self.amends.get(record_id, [])
        return Status(void, tuple(amends)) if void or amends else None

    def apply(self, entry: T) -> T | None:
        """``entry`` as corrected; None when it is voided."""
        record_id: str = entry.id  # type: ignore[attr-defined]
        if record_id in self.voids:
            return None
        amends = self.amends.get(record_id)
        if not amends:
            return entry
        changes: dict[str, Any] = {}
        for amend in amends:
            changes.update(amend.changes)
        fields = entry._fields
        return entry._replace(**{k: v for k, v in changes.items() if k in fields})

    def moved(self, table: str) -> list[tuple[str, datetime]]:
        """The records of ``table`` whose time an amend changes: (id, time as written).

        A reader of a period must also read these, since the corrected time may fall in
        the period while the written one does not."""
        return [
            (target, amends[0].target_at)
            for target, amends in self.amends.items()
            if amends[0].table == table
            and any(field == "at" for a in amends for field, _ in a.changes)
        ]

    def view(
        self, entries: Sequence[T], since: datetime | None = None, until: datetime | None = None
    ) -> list[T]:
        """``entries`` corrected, voided ones left out, those now outside the period too;
        oldest first."""
        seen: dict[str, T] = {}
        for entry in entries:
            corrected = self.apply(entry)
            at: datetime = getattr(corrected, "at", None)  # type: ignore[assignment]
            if corrected is None or (since and at < since) or (until and at > until):
                continue
            seen[entry.id] = corrected  # type: ignore[attr-defined]
        return sorted(seen.values(), key=lambda e: (e.at, e.id))  # type: ignore[attr-defined]
