"""The repository over TinyDB: a profile, and pain and session tables split by month."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from tinydb import TinyDB, where
from tinydb.storages import MemoryStorage
from tinydb.table import Document, Table

from ptcli import records
from ptcli.domain.models import PainEntry, Profile, SessionEntry
from ptcli.errors import StoreError
from ptcli.storage import migrations
from ptcli.storage.file_storage import FileStorage
from ptcli.storage.repository import MergeReport

PAIN, SESSIONS, PROFILE = "pain", "sessions", "profile"
MARGIN = timedelta(days=2)  # UTC offsets span 26 hours: dates in two offsets differ by up to 2 days
Entry = TypeVar("Entry", PainEntry, SessionEntry)


class IdTable(Table):
    """Documents keyed by the record's own id, so an import can tell a record it already has."""

    document_id_class = str  # type: ignore[assignment]  # TinyDB types ids as int

    def _get_next_id(self) -> str:
        raise RuntimeError("ptcli documents are always inserted with their own id")


class PtcliDB(TinyDB):
    table_class = IdTable


class MemoryStore(MemoryStorage):
    """In-memory storage with the same interface as FileStorage (for tests and dry runs)."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.memory: dict[str, Any] = {}
        migrations.upgrade(self.memory, "(memory)")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        snapshot = copy.deepcopy(self.memory)
        try:
            yield
        except BaseException:
            self.memory = snapshot
            raise


def open_file_store(path: Path) -> TinyDBRepository:
    def prepare(tables: migrations.Tables) -> None:
        migrations.upgrade(tables, str(path))

    return TinyDBRepository(PtcliDB(path, storage=FileStorage, prepare=prepare))


def open_memory_store() -> TinyDBRepository:
    return TinyDBRepository(PtcliDB(storage=MemoryStore))


class TinyDBRepository:
    def __init__(self, db: TinyDB) -> None:
        self._db = db

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        storage = cast("FileStorage | MemoryStore", self._db.storage)
        return storage.transaction()

    # Profile

    def profile(self) -> Profile:
        document = self._db.table(PROFILE).get(doc_id=PROFILE)  # type: ignore[call-overload]
        return records.profile_from_record(document) if document else Profile()

    def save_profile(self, profile: Profile) -> None:
        with self.transaction():
            document = Document(records.profile_to_record(profile), doc_id=PROFILE)  # type: ignore[arg-type]
            self._db.table(PROFILE).upsert(document)

    # Pain entries and sessions

    def pain(self, since: datetime | None = None, until: datetime | None = None) -> list[PainEntry]:
        return self._select(PAIN, records.pain_from_record, since, until)

    def sessions(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[SessionEntry]:
        return self._select(SESSIONS, records.session_from_record, since, until)

    def add_pain(self, entry: PainEntry) -> None:
        self._insert(PAIN, [records.pain_to_record(entry)])

    def add_session(self, entry: SessionEntry) -> None:
        self._insert(SESSIONS, [records.session_to_record(entry)])

    def merge(
        self, profile: Profile | None, pain: list[PainEntry], sessions: list[SessionEntry]
    ) -> MergeReport:
        report = MergeReport()
        with self.transaction():
            if profile is not None:
                report.profile_updated = self._merge_profile(profile)
            report.added_pain = self._merge(PAIN, [records.pain_to_record(e) for e in pain], report)
            report.added_sessions = self._merge(
                SESSIONS, [records.session_to_record(e) for e in sessions], report
            )
        return report

    # Internals

    def _tables_of(self, kind: str, since: datetime | None, until: datetime | None) -> list[str]:
        """The month tables of ``kind`` that may hold entries between ``since`` and ``until``.

        A table holds the entries whose local date (in their own offset) falls in its
        month; a margin of ``MARGIN`` covers offsets that move an entry across a month's end.
        """
        first = f"{kind}/{(since - MARGIN):%Y-%m}" if since else f"{kind}/"
        last = f"{kind}/{(until + MARGIN):%Y-%m}" if until else f"{kind}/~"
        return sorted(name for name in self._db.tables() if first <= name <= last)

    def _select(
        self,
        kind: str,
        parse: Callable[[dict[str, Any]], Entry],
        since: datetime | None,
        until: datetime | None,
    ) -> list[Entry]:
        found: list[Entry] = []
        # Compare the ISO date prefix first (with a margin for offsets), parse only what may match.
        first = (since - MARGIN).date().isoformat() if since else ""
        last = (until + MARGIN).date().isoformat() + "~" if until else "~"

        def near(at: Any) -> bool:
            return isinstance(at, str) and first <= at <= last

        in_range = where("at").test(near)
        for name in self._tables_of(kind, since, until):
            for document in self._db.table(name).search(in_range):
                entry = self._parse(parse, document)
                if (since is None or entry.at >= since) and (until is None or entry.at <= until):
                    found.append(entry)
        found.sort(key=lambda entry: (entry.at, entry.id))
        return found

    def _parse(self, parse: Callable[[dict[str, Any]], Entry], document: dict[str, Any]) -> Entry:
        try:
            return parse(document)
        except ValueError as error:
            raise StoreError(
                f"a stored record is invalid ({error}); the store may have been edited by hand"
            ) from None

    def _insert(self, kind: str, documents: Iterable[dict[str, Any]]) -> None:
        by_table: dict[str, list[Document]] = {}
        for document in documents:
            table = f"{kind}/{document['at'][:7]}"  # one table a month: reads stay small
            stored = Document(document, doc_id=document["id"])
            by_table.setdefault(table, []).append(stored)
        with self.transaction():
            for table, batch in by_table.items():
                self._db.table(table).insert_multiple(batch)

    def _merge(self, kind: str, documents: list[dict[str, Any]], report: MergeReport) -> int:
        existing: dict[str, dict[str, Any]] = {}
        for name in self._tables_of(kind, None, None):
            existing.update((str(document.doc_id), document) for document in self._db.table(name))
        new = []
        for document in documents:
            stored = existing.get(document["id"])
            if stored is None:
                existing[document["id"]] = document
                new.append(document)
            elif stored == document:
                report.unchanged += 1
            else:
                report.conflicts.append(document["id"])
        self._insert(kind, new)
        return len(new)

    def _merge_profile(self, incoming: Profile) -> bool:
        """A store without a profile takes ``incoming``; one with a profile keeps its own."""
        if self._db.table(PROFILE).contains(doc_id=PROFILE):  # type: ignore[arg-type]
            return False
        self.save_profile(incoming)
        return True
