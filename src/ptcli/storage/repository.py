"""What the services need from a store; ``tinydb_store`` is the implementation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import NamedTuple, Protocol, TypeVar

from ptcli.domain.models import (
    Appointment,
    Assessment,
    Clearance,
    Correction,
    LessonRead,
    MeasureEntry,
    PainEntry,
    PlanChange,
    Profile,
    Screen,
    SessionEntry,
)

Record = (
    PainEntry
    | SessionEntry
    | Screen
    | Clearance
    | PlanChange
    | Correction
    | Appointment
    | LessonRead
    | Assessment
    | MeasureEntry
)
R = TypeVar(
    "R",
    PainEntry,
    SessionEntry,
    Screen,
    Clearance,
    PlanChange,
    Correction,
    Appointment,
    LessonRead,
    Assessment,
    MeasureEntry,
)


class Change(NamedTuple):
    """One write made in this store (a command's records, or an import's): what ``undo``
    takes back. The store keeps the last few; they are not exported."""

    id: str
    at: datetime
    records: list[Record]  # those still in the store, in the order written


class MergeReport:
    """What ``Repository.merge`` did: records added per table, already present, and the ids
    that differed: ``conflicts`` kept the stored version, ``replaced`` took the imported one."""

    def __init__(self) -> None:
        self.added: dict[str, int] = {}
        self.unchanged = 0
        self.conflicts: list[str] = []
        self.replaced: list[str] = []
        self.profile_updated = False


class Repository(Protocol):
    def transaction(self) -> AbstractContextManager[None]:
        """Group writes: all are saved together at the end, or none on an error."""

    def snapshot(self, reason: str) -> None:
        """Keep a copy of the store as it is, if this transaction saves (see snapshots)."""

    def profile(self) -> Profile: ...

    def save_profile(self, profile: Profile) -> None: ...

    def select(
        self, kind: type[R], since: datetime | None = None, until: datetime | None = None
    ) -> list[R]:
        """Records of one kind with ``since <= at <= until``, oldest first."""

    def stream(
        self, kind: type[R], since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[R]:
        """Like ``select``, a table at a time, keeping none in memory (for exports).

        Oldest first within each month; months in order.
        """

    def add(self, *entries: Record, journal: bool = True) -> None:
        """Add new records, all in one write; with ``journal`` it is one of ``changes``."""

    def put(self, entry: Record) -> None:
        """Store ``entry`` in place of any stored record with its id (one write).

        Only for a record still being made: a guided session saves its exercise as each
        set ends, and a screen is saved as each answer is given. Everywhere else records
        are never changed once written.
        """

    def changes(self) -> list[Change]:
        """The last writes made in this store, newest first."""

    def matching(self, part: str) -> list[Record]:
        """Every record (of any kind) whose id starts or ends with ``part``."""

    def corrections_of(self, table: str, since: datetime | None) -> list[Correction]:
        """The corrections a reader of ``table`` from ``since`` on needs: those of its
        records dated from about then (or moved in time), and every void of a correction.
        Much fewer than all of them, for daily reads over years of corrections."""

    def find(self, kind: type[R], record_id: str, near: datetime) -> R | None:
        """The record of ``kind`` with this id, dated within a day of ``near``."""

    def pushed(self, target: str) -> dict[str, str]:
        """What ``ptcli push`` last sent to ``target`` and the server took: resource id ->
        content digest. Kept in the store, never exported."""

    def save_pushed(self, target: str, digests: dict[str, str]) -> None:
        """Remember ``digests`` (added to those of earlier pushes) for ``target``."""

    def merge(self, profile: Profile | None, entries: Sequence[Record]) -> MergeReport:
        """Add records whose id is new. When an id's content differs, the newer version wins
        on every store alike (later ``at``, then the larger JSON text), so stores merged in
        any order, any number of times, end the same."""
