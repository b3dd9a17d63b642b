"""The repository over TinyDB: a profile, and pain and session tables split by month."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB, where
from tinydb.storages import MemoryStorage
from tinydb.table import Document, Table

from ptcli import records
from ptcli.domain.models import Correction, Profile
from ptcli.errors import StoreError
from ptcli.records import KIND_OF, KINDS, Kind
from ptcli.storage import migrations
from ptcli.storage.file_storage import FileStorage, Tables
from ptcli.storage.repository import Change, MergeReport, R, Record

PROFILE = "profile"
JOURNAL = "_undo/"  # a table per change made in this store (for undo), never exported
JOURNAL_KEPT = 50
PUSHED = "_pushed/"  # a table per FHIR server pushed to (ptcli push), never exported
LEDGER = "ledger"  # the one document of a push table
CHANGE = "change"  # the one document of a journal table
MARGIN = timedelta(days=2)  # UTC offsets span 26 hours: dates in two offsets differ by up to 2 days


# Pain and session tables are split into one table a month ("pain/2026-03"), so daily
# reads stay small; screens, clearances and plan changes are few and read whole.
MONTHLY = frozenset({"pain", "sessions"})
CORRECTIONS = "corrections"
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def correction_table(document: dict[str, Any]) -> str:
    """Where a correction is stored: beside its target's month (``corrections/2026-03``)
    when it voids or amends a pain entry or a session without moving it, so a daily read
    parses the corrections of its weeks, not of years (issue 16); every other correction
    (one that changes a time, one of a screen or a plan, one of a correction, anything
    odd) in ``corrections``, which every reader of corrections reads whole."""
    target_at, changes = document.get("target_at"), document.get("changes")
    if (
        document.get("table") in MONTHLY
        and isinstance(target_at, str)
        and _MONTH.fullmatch(target_at[:7])
        and isinstance(changes, dict)
        and "at" not in changes
    ):
        return f"{CORRECTIONS}/{target_at[:7]}"
    return CORRECTIONS


def _target(document: dict[str, Any]) -> str | None:
    """The id a correction names, if it is text (a list, edited by hand, names none)."""
    target = document.get("target")
    return target if isinstance(target, str) else None


def _move_of(document: Any, table: str) -> bool:
    """Whether ``document`` is a well-formed move of one of ``table``'s records."""
    return (
        isinstance(document, dict)
        and document.get("table") == table
        and _target(document) is not None
        and "target_at" in document
        and isinstance(document.get("changes"), dict)
        and "at" in document["changes"]
    )


def _version(document: dict[str, Any]) -> tuple[datetime, int, str]:
    """Which of two versions of a record is newer: the later ``at``; then, for a screen
    saved answer by answer, the one with more answers (two versions can share a second,
    and an emergency yes must never lose to the version before it); then the larger JSON
    text, an arbitrary order but the same on every store."""
    answers = len(document.get("yes", ())) + len(document.get("no", ()))
    return (datetime.fromisoformat(document["at"]), answers, json.dumps(document, sort_keys=True))


def _at(entry: Record) -> str:
    """A record's time as stored (its month names its table)."""
    return records.timestamp(entry.at)


def _near(since: datetime | None, until: datetime | None) -> Callable[[Any], bool]:
    """A quick test on the ISO text of ``at``: within the window, with a margin for offsets."""
    first = (since - MARGIN).date().isoformat() if since else ""
    last = (until + MARGIN).date().isoformat() + "~" if until else "~"

    def near(at: Any) -> bool:  # not text: a record edited by hand, to be refused, not skipped
        return not isinstance(at, str) or first <= at <= last

    return near


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
        import copy

        snapshot = copy.deepcopy(self.memory)
        try:
            yield
        except BaseException:
            self.memory = snapshot
            raise


def open_file_store(path: Path) -> TinyDBRepository:
    def prepare(tables: migrations.Tables) -> bool:
        return migrations.upgrade(tables, str(path))

    return TinyDBRepository(PtcliDB(path, storage=FileStorage, prepare=prepare))


def open_memory_store() -> TinyDBRepository:
    return TinyDBRepository(PtcliDB(storage=MemoryStore))


class TinyDBRepository:
    def __init__(self, db: TinyDB) -> None:
        self._db = db

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        storage = cast("FileStorage | MemoryStore", self._db.storage)
        return storage.transaction()

    def snapshot(self, reason: str) -> None:
        """Keep the store as it is beside it if this transaction saves (a file store)."""
        keep = getattr(self._db.storage, "snapshot", None)
        if keep is not None:
            keep(reason)

    # Profile

    def profile(self) -> Profile:
        document = self._db.table(PROFILE).get(doc_id=PROFILE)  # type: ignore[call-overload]
        return self._parse(None, document, PROFILE) if document else Profile()

    def save_profile(self, profile: Profile) -> None:
        with self.transaction():
            document = Document(records.profile_to_record(profile), doc_id=PROFILE)  # type: ignore[arg-type]
            table = self._db.table(PROFILE)
            table.truncate()  # a replacement: upsert would keep a field left out ("provisional")
            table.insert(document)

    # Records

    def select(
        self, kind: type[R], since: datetime | None = None, until: datetime | None = None
    ) -> list[R]:
        found: list[R] = []
        # Compare the ISO date prefix first (with a margin for offsets), parse only what may match.
        near = _near(since, until)
        in_range = where("at").test(near)
        for name in self._tables_of(KIND_OF[kind], since, until):
            documents = self._db.table(name).search(in_range)
            found += self._within(kind, documents, since, until, name)
        found.sort(key=lambda entry: (entry.at, entry.id))
        return found

    def stream(
        self, kind: type[R], since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[R]:
        if KIND_OF[kind].table not in MONTHLY:  # few, in tables not by their own time
            yield from self.select(kind, since, until)
            return
        near = _near(since, until)
        for name in self._tables_of(KIND_OF[kind], since, until):
            documents = [
                doc
                for doc in self._peek(name).values()
                if not isinstance(doc, dict) or near(doc.get("at"))
            ]
            entries = self._within(kind, documents, since, until, name)
            entries.sort(key=lambda entry: (entry.at, entry.id))
            yield from entries

    def _within(
        self,
        kind: type[R],
        documents: Iterable[dict[str, Any]],
        since: datetime | None,
        until: datetime | None,
        table: str,
    ) -> list[R]:
        entries = [self._parse(KIND_OF[kind], document, table) for document in documents]
        return [
            e
            for e in entries
            if (since is None or e.at >= since) and (until is None or e.at <= until)
        ]

    def add(self, *entries: Record, journal: bool = True) -> None:
        documents = [
            (KIND_OF[type(entry)], KIND_OF[type(entry)].to_record(entry)) for entry in entries
        ]
        with self.transaction():
            self._own_profile()
            self._insert(documents)
            if journal:
                self._journal(documents)

    def put(self, entry: Record) -> None:
        kind = KIND_OF[type(entry)]
        with self.transaction():
            self._own_profile()
            # A version being replaced is from the same session: at most a day earlier.
            for name in self._tables_of(kind, entry.at - timedelta(days=1), entry.at):
                table = self._db.table(name)
                if table.contains(doc_id=entry.id):  # type: ignore[arg-type]
                    table.remove(doc_ids=[entry.id])  # type: ignore[list-item]
                    known = True
                    break
            else:
                known = False
            document = kind.to_record(entry)
            self._insert([(kind, document)])
            if not known:  # its first version: a change; later versions are the same one
                self._journal([(kind, document)])

    def changes(self) -> list[Change]:
        found = []
        tables = self._db.tables()
        for name in reversed(self._journal_tables()):
            change = self._db.table(name).get(doc_id=CHANGE)  # type: ignore[call-overload]
            try:
                at, names = datetime.fromisoformat(change["at"]), list(change["records"])
            except (KeyError, TypeError, ValueError):
                continue  # an entry edited by hand: the journal is a convenience, skip it
            entries = []
            for table, record_id in names:
                kind = next((k for k in KINDS if str(table).split("/")[0] == k.table), None)
                document = (
                    self._db.table(table).get(doc_id=record_id)
                    if kind is not None and table in tables
                    else None
                )
                if document is not None and kind is not None:
                    entries.append(self._parse(kind, document, table))
            found.append(Change(name.removeprefix(JOURNAL), at, entries))
        return found

    def matching(self, part: str) -> list[Record]:
        found = []
        for kind in KINDS:
            for name in self._tables_of(kind, None, None):
                found += [
                    self._parse(kind, document, name)
                    for record_id, document in self._peek(name).items()
                    if record_id.startswith(part) or record_id.endswith(part)
                ]
        return found

    def corrections_of(self, table: str, since: datetime | None) -> list[Correction]:
        kind = KIND_OF[Correction]
        first = (since - MARGIN).date().isoformat() if since else ""
        tables = self._tables()

        def recent(at: Any) -> bool:  # not text: edited by hand, kept to be refused
            return not isinstance(at, str) or at >= first

        def needed(document: Any) -> bool:  # anything odd is kept, to be refused
            if not isinstance(document, dict) or document.get("table") == CORRECTIONS:
                return True  # an undo concerns every table
            if document.get("table") != table:
                return False
            changes = document.get("changes")
            return (
                not isinstance(changes, dict)
                or "at" in changes
                or recent(document.get("target_at"))
            )

        # The table of corrections is read whole: it holds every move (and every undo).
        # The moves wanted are those of a record that is, or comes to be, from ``first``
        # on: every one of them, since the last made says where the record is.
        moves: list[dict[str, Any]] = []
        others: list[Any] = []  # anything odd among them is kept, to be refused
        for document in (tables.get(CORRECTIONS) or {}).values():
            (moves if _move_of(document, table) else others).append(document)
        near = {d["target"] for d in moves if recent(d["target_at"]) or recent(d["changes"]["at"])}
        found = [d for d in moves if d["target"] in near] + [d for d in others if needed(d)]
        if table in MONTHLY:
            # The other corrections of a pain entry or a session are beside the month it
            # was written in (see correction_table): those of the months from ``first`` on,
            # and those of a record moved here from any month.
            def of_moved(document: Any) -> bool:
                return (
                    isinstance(document, dict)
                    and document.get("table") == table
                    and _target(document) in near
                )

            start = f"{CORRECTIONS}/{first[:7]}"
            months = set(self._names(start, f"{CORRECTIONS}/~"))
            moved_from = {
                f"{CORRECTIONS}/{d['target_at'][:7]}"
                for d in moves
                if d["target"] in near and isinstance(d["target_at"], str)
            }
            found += [
                d
                for name in sorted(months | moved_from)
                for d in (tables.get(name) or {}).values()
                if (name in months and needed(d)) or of_moved(d)
            ]
        return [self._parse(kind, document, kind.table) for document in found]

    def find(self, kind: type[R], record_id: str, near: datetime) -> R | None:
        day = timedelta(days=1)
        for name in self._tables_of(KIND_OF[kind], near - day, near + day):
            document = self._db.table(name).get(doc_id=record_id)  # type: ignore[call-overload]
            if document is not None:
                return cast("R", self._parse(KIND_OF[kind], document, name))
        return None

    def merge(self, profile: Profile | None, entries: Sequence[Record]) -> MergeReport:
        report = MergeReport()
        with self.transaction():
            if profile is not None:
                report.profile_updated = self._merge_profile(profile)
            by_table: dict[str, list[Record]] = {}
            for entry in entries:
                kind = KIND_OF[type(entry)]
                home = kind.to_record(entry) if kind.table == CORRECTIONS else {"at": _at(entry)}
                by_table.setdefault(self._table_name(kind, home), []).append(entry)
            written: list[list[str]] = []
            for kind in KINDS:
                report.added[kind.table] = self._merge(kind, by_table, report, written)
            if written:
                self._own_profile()
                self._journal_names(written)
        return report

    def pushed(self, target: str) -> dict[str, str]:
        document = self._db.table(_pushed_table(target)).get(doc_id=LEDGER)  # type: ignore[call-overload]
        digests = document.get("digests") if document else None
        return dict(digests) if isinstance(digests, dict) else {}

    def save_pushed(self, target: str, digests: dict[str, str]) -> None:
        with self.transaction():
            merged = self.pushed(target) | digests
            document = Document({"target": target, "digests": merged}, doc_id=LEDGER)  # type: ignore[arg-type]
            self._db.table(_pushed_table(target)).upsert(document)

    # Internals

    def _own_profile(self) -> None:
        """A store's first record gives a profile without an id a provisional one, so no two
        stores share a FHIR Patient (``init`` keeps it; an imported profile's id replaces it)."""
        profile = self.profile()
        if profile.id is None:
            self.save_profile(profile._replace(id=records.new_id(), provisional=True))

    def _tables_of(self, kind: Kind, since: datetime | None, until: datetime | None) -> list[str]:
        """The tables of ``kind`` that may hold entries between ``since`` and ``until``.

        A month table holds the entries whose local date (in their own offset) falls in
        its month; a margin of ``MARGIN`` covers offsets that move an entry across a month's end.
        """
        if kind.table == CORRECTIONS:  # by their target's month, not their own time: all
            return [CORRECTIONS, *self._names(f"{CORRECTIONS}/", f"{CORRECTIONS}/~")]
        if kind.table not in MONTHLY:
            return [kind.table]
        first = f"{kind.table}/{(since - MARGIN):%Y-%m}" if since else f"{kind.table}/"
        last = f"{kind.table}/{(until + MARGIN):%Y-%m}" if until else f"{kind.table}/~"
        return self._names(first, last)

    def _tables(self) -> MutableMapping[str, dict[str, Any]]:
        """The store's tables as TinyDB reads them (never asked their number: that
        would read the index of every sealed year)."""
        tables = self._db.storage.read()
        return {} if tables is None else tables

    def _names(self, first: str, last: str) -> list[str]:
        """The tables named from ``first`` to ``last``, sorted; of a file store, without
        reading the index of a year sealed outside them (file_storage)."""
        tables = self._tables()
        if isinstance(tables, Tables):
            return tables.names(first, last)
        return sorted(name for name in tables if first <= name <= last)

    def _peek(self, name: str) -> dict[str, Any]:
        """Table ``name`` ({} if none) read on its own, not through TinyDB: not kept."""
        tables = self._tables()
        return tables.peek(name) if isinstance(tables, Tables) else tables.get(name, {})

    def _parse(self, kind: Kind | None, document: Any, table: str) -> Any:
        """A stored record (the profile when ``kind`` is None); a record that is not
        valid (a store edited by hand, its checksums recomputed) is a damaged store."""
        try:
            if kind is None:
                return records.profile_from_record(document)
            return kind.from_record(document)
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            doc_id = getattr(document, "doc_id", None)
            if doc_id is None and isinstance(document, dict):
                doc_id = document.get("id")
            record = f"record {str(doc_id)[:64]!r}" if isinstance(doc_id, str) else "a record"
            reason = error if isinstance(error, ValueError) else "not a record"
            detail = f"{record} in table {table!r} is invalid: {reason}; edited by hand?"
            damaged = getattr(self._db.storage, "_damaged", None)  # with the way to recover
            if damaged is not None:
                raise damaged(detail) from None
            raise StoreError(f"the store is damaged ({detail})") from None

    def _insert(self, documents: Iterable[tuple[Kind, dict[str, Any]]]) -> None:
        by_table: dict[str, list[Document]] = {}
        for kind, document in documents:
            table = self._table_name(kind, document)
            stored = Document(document, doc_id=document["id"])
            by_table.setdefault(table, []).append(stored)
        with self.transaction():
            for table, batch in by_table.items():
                self._db.table(table).insert_multiple(batch)

    def _journal(self, documents: Iterable[tuple[Kind, dict[str, Any]]]) -> None:
        """Note one change: the records just written (their tables and ids). Each change
        is a table of its own, so a write never re-encodes the earlier ones (an import's
        can hold thousands of ids)."""
        self._journal_names(
            [[self._table_name(kind, document), document["id"]] for kind, document in documents]
        )

    def _journal_names(self, names: list[list[str]]) -> None:
        now = datetime.now().astimezone().replace(microsecond=0)
        change = Document({"at": now.isoformat(), "records": names}, doc_id=CHANGE)  # type: ignore[arg-type]
        self._db.table(f"{JOURNAL}{records.new_id()}").insert(change)
        kept = self._journal_tables()
        for name in kept[: max(0, len(kept) - JOURNAL_KEPT)]:
            self._db.drop_table(name)

    def _journal_tables(self) -> list[str]:
        return self._names(JOURNAL, f"{JOURNAL}~")  # ids: letters and digits

    @staticmethod
    def _table_name(kind: Kind, document: dict[str, Any]) -> str:
        if kind.table == CORRECTIONS:
            return correction_table(document)
        return f"{kind.table}/{document['at'][:7]}" if kind.table in MONTHLY else kind.table

    def _merge(
        self,
        kind: Kind,
        by_table: dict[str, list[Record]],
        report: MergeReport,
        written: list[list[str]],
    ) -> int:
        """Merge the incoming records of ``kind`` a table (a month) at a time: each month
        is read, merged, and flushed to its file before the next, so an import holds
        one month of the store at a time, not its history."""
        names = sorted(name for name in by_table if name.split("/")[0] == kind.table)
        if not names:
            return 0
        home: dict[str, str] | None = None  # where each stored id is, once one is not at home
        added = 0
        for name in names:
            pending: dict[str, dict[str, Any]] = {}  # this month's, to insert
            for entry in by_table.pop(name):
                document = kind.to_record(entry)
                record_id, where = document["id"], name
                stored = pending.get(record_id)
                if stored is None:
                    stored = self._db.table(name).get(doc_id=record_id)
                if stored is None:  # a version may sit in another month: look everywhere, once
                    home = self._homes(kind) if home is None else home
                    where = home.get(record_id, name)
                    if where != name:
                        stored = self._db.table(where).get(doc_id=record_id)
                if stored is not None and stored != document:  # equal: valid as the import is
                    self._parse(kind, stored, where)  # its time decides which version wins
                if stored is None:
                    added += 1
                elif stored == document:
                    report.unchanged += 1
                    continue
                elif _version(document) > _version(stored):
                    if record_id not in pending:
                        self._db.table(where).remove(doc_ids=[record_id])
                    report.replaced.append(record_id)
                else:
                    report.conflicts.append(record_id)
                    continue
                pending[record_id] = document
                if home is not None:
                    home[record_id] = name
            if pending:
                batch = [Document(d, doc_id=i) for i, d in pending.items()]  # type: ignore[arg-type]
                self._db.table(name).insert_multiple(batch)
                written += [[name, record_id] for record_id in pending]
            self._flush(name)
        return added

    def _homes(self, kind: Kind) -> dict[str, str]:
        """Each stored id of ``kind`` and its table, read a table at a time (none kept)."""
        home: dict[str, str] = {}
        for name in self._tables_of(kind, None, None):
            home.update(dict.fromkeys(self._peek(name), name))
        return home

    def _flush(self, name: str) -> None:
        """Out of memory, onto disk (a file store), until the transaction saves."""
        flush = getattr(self._db.storage, "flush", None)
        if flush is not None:
            flush(name)
        self._db.table(name).clear_cache()

    def _merge_profile(self, incoming: Profile) -> bool:
        """A store without a profile takes ``incoming``; one with a profile keeps its own."""
        if self._db.table(PROFILE).contains(doc_id=PROFILE):  # type: ignore[arg-type]
            return False
        self.save_profile(incoming)
        return True


def _pushed_table(target: str) -> str:
    """The table of one server's push ledger: named by a digest of its URL."""
    import hashlib

    return PUSHED + hashlib.sha1(target.encode()).hexdigest()[:16]
