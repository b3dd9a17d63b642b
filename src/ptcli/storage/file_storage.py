"""A TinyDB storage that survives crashes and concurrent writers, and whose writes do not
grow with the years.

Layout: the store file (``ptcli.json``) is a small manifest, and each large table (a
month of pain entries or sessions, a large import's undo note) is a file of its own in
the folder beside it (``ptcli.json.parts/``)::

    {"format":"ptcli-store","version":3,"parts":"ptcli.json.parts","tables":{
     "_meta":[crc32,bytes],                      <- inline: a line after the header
     "pain/2026-11":[crc32,bytes,"3f2a9c01"],    <- parts/pain-2026-11.3f2a9c01
     "pain/2026-01":[crc32,bytes,"73461df4",84872],...},  <- parts/pack.73461df4 at 84872
     "years":{"pain/1998":[crc32,bytes,"5e01c2aa",1310]...}}  <- an index, in a pack
    {"schema":{...}}

The months of a year before the latest of their kind are sealed: the manifest names
that year's index (a line ``{"pain/1998-01":[crc32,bytes,token,offset],...}``), not its
months, so it holds a line a year and the months of the latest year, not 1,085 tables
at 30 years. A year's index is read only when one of its months is asked for (a read
of the last weeks reads none); a write in a sealed year writes its index anew.

Why a manifest and copy-on-write parts, not an append-only journal (reads would
replay it, and compaction rewrites the history at times) nor a file per month
rewritten in place (committing two months at once would need a journal anyway):
a part file is never changed once written. A write puts each
table it changed in a NEW part file (a random name), fsyncs them and their folder,
then replaces the manifest atomically (``fileio.write_atomically``: temporary file,
fsync, rename, fsync of the folder). That rename is the one commit point of the whole
transaction, however many months it touches: kill -9 before it leaves the old
manifest naming the old, untouched parts; after it, the new ones. Untouched months
are named again by their checksum and size, without being read. So a write costs
its months plus the manifest (11 KB at 1 year, 14 KB at 30 in the benchmark, most of
it the last 50 changes' undo notes), not the history (12.6 MB at 30 years in one
file). A bulk write (an import) flushes each month as it is merged into packs of
about 1 MB (a part file holding many tables, each named by its offset), so it holds
one month in memory and fsyncs a dozen files, not 720.

Backups stay cheap: ``ptcli.json.bak`` and the dated snapshots are hard links to
earlier manifests, whose parts are still there, since parts are only removed (once
a day, under the lock) when no manifest beside the store names them. Each table's
CRC32 and length in the manifest let a damaged part or manifest be recognised, and
it is never overwritten (parts never are; a damaged manifest refuses every write).

Reads: TinyDB asks for tables by name and the repository names only the months a
command needs, so a table's part is read and parsed on first access, and only then.

A version 1 store (every table inline in one file) reads as it is; its first write
converts it, keeping the old file as ``ptcli.json.v1.bak`` and saying so once. A
version 2 store (no sealed years) reads as it is; its first write seals its years.
Every write holds an exclusive ``flock`` on a sidecar lock file and reads afresh
inside its transaction.
"""

import contextlib
import errno
import json
import os
import re
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any, NamedTuple

from tinydb.storages import Storage

from ptcli.errors import StoreError
from ptcli.fileio import make_private_folder, remove_stale_temps, write_atomically, write_new

FORMAT = "ptcli-store"
FORMAT_VERSION = 3  # 1: every table inline in the one file; 2: no sealed years
LOCK_TIMEOUT_S = 10.0
PART_BYTES = 1024  # a table this large or larger goes in a part file of its own
PACK_BYTES = 1 << 20  # a bulk write packs its months into files of about this size
PACK = "pack"  # a pack's file name: pack.TOKEN
PARTS_SUFFIX = ".parts"
_PART_NAME = re.compile(r"[A-Za-z0-9_-]{1,55}\.[0-9a-f]{8}")
_TOKEN = re.compile(r"[0-9a-f]{8}")
_YEAR_OF = re.compile(r"(.+/[0-9]{4})-[0-9]{2}")  # a month's table ("pain/2026-03") -> its year

Table = dict[str, Any]


class Entry(NamedTuple):
    """Where one table's line is: inline in the manifest (``data``) or in a part file."""

    crc: int  # CRC32 of the line without its newline
    size: int  # bytes of the line without its newline
    data: memoryview | None = None  # inline: the line with its newline
    part: str | None = None  # in the parts folder: the file's name
    offset: int = 0  # where the line starts in that file (a pack holds many tables)


class Saved(NamedTuple):
    manifest: bytes
    parts: dict[str, bytes]  # new part files to write first: name -> line with newline


class Tables(MutableMapping[str, Table]):
    """The tables of one snapshot of the store, each checked and parsed on first access."""

    def __init__(
        self,
        entries: dict[str, Entry] | None = None,
        on_damage: Callable[[str, str], Exception] | None = None,
        read_part: Callable[[str, int, int], bytes] | None = None,
        years: dict[str, Entry] | None = None,
    ) -> None:
        self._raw = dict(entries or {})  # not parsed yet
        self._origin = dict(entries or {})  # as read: tables written back unchanged keep these
        self._parsed: dict[str, Table] = {}
        self._touched: set[str] = set()  # set since read (TinyDB sets a table it changes)
        self._on_damage = on_damage or (lambda name, detail: ValueError(f"{name} {detail}"))
        self._read_part = read_part or (lambda name, offset, size: b"")
        self._sealed = dict(years or {})  # years not opened: "pain/2020" -> where its index is
        self._opened: dict[str, tuple[Entry, dict[str, Entry]]] = {}  # its index, its tables

    def _open_year_of(self, name: str) -> None:
        """Before table ``name`` is looked at: the tables of its year, if it is sealed."""
        if self._sealed and (year := _year(name)) in self._sealed:
            self._open(year)

    def _open(self, year: str) -> None:
        """A sealed year's tables named like any other (its index checked and read)."""
        entry = self._sealed.pop(year)
        try:
            index = json.loads(bytes(self._checked(year, entry)))
            tables = {
                str(name): _part_entry(crc, size, part, str(name))
                for name, (crc, size, *part) in index.items()
            }
            if any(_year(n) != year or n in self._raw or n in self._parsed for n in tables):
                raise ValueError("a table of another year, or one named twice")
        except (AttributeError, TypeError, ValueError, RecursionError):
            raise self._on_damage(year, "does not list its tables") from None
        self._raw.update(tables)
        self._origin.update(tables)
        self._opened[year] = (entry, tables)

    def names(self, first: str, last: str) -> list[str]:
        """The tables named from ``first`` to ``last``, sorted, opening only the sealed
        years whose months may be among them (a read of the last weeks opens none)."""
        for year in [y for y in self._sealed if f"{y}-" <= last and first <= f"{y}-~"]:
            self._open(year)
        return sorted(name for name in [*self._parsed, *self._raw] if first <= name <= last)

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str):
            self._open_year_of(name)
        return name in self._parsed or name in self._raw

    def __getitem__(self, name: str) -> Table:
        self._open_year_of(name)
        if name not in self._parsed:
            self._parsed[name] = self._table(name)  # KeyError: no such table
            del self._raw[name]
        return self._parsed[name]

    def peek(self, name: str) -> Table:
        """Table ``name`` ({} if none), parsed afresh and not kept: a read that stays small."""
        self._open_year_of(name)
        if name in self._parsed:
            return self._parsed[name]
        return self._table(name) if name in self._raw else {}

    def _table(self, name: str) -> Table:
        """Table ``name`` parsed, once its checksum is verified; a line whose checksum
        matches but which is not a table of records (a file edited by hand) is damage."""
        line = bytes(self._checked(name, self._raw[name]))
        try:
            table = json.loads(line)
            if b"\\u" in line:  # an escape: a lone surrogate could never be written back
                _dump(table)
        except (ValueError, RecursionError):
            table = None
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise self._on_damage(name, "is not a table of records: edited by hand?")
        return table

    def __setitem__(self, name: str, table: Table) -> None:
        self._open_year_of(name)
        self._raw.pop(name, None)
        self._parsed[name] = table
        self._touched.add(name)

    def touch_parsed(self) -> None:
        """Count every table parsed so far as changed (a migration edits them in place)."""
        self._touched.update(self._parsed)

    def __delitem__(self, name: str) -> None:
        self._open_year_of(name)
        if self._raw.pop(name, None) is None:
            del self._parsed[name]

    def __iter__(self) -> Iterator[str]:
        self._open_every_year()
        return iter([*self._parsed, *self._raw])

    def __len__(self) -> int:
        self._open_every_year()
        return len(self._parsed) + len(self._raw)

    def _open_every_year(self) -> None:
        for year in list(self._sealed):
            self._open(year)

    def flush(self, name: str, pack: Callable[[bytes], tuple[str, int]]) -> None:
        """Table ``name`` put back as not parsed (no longer in memory); if it changed and
        is large, its line goes to ``pack``, which says in which file and where."""
        if name not in self._parsed:
            return
        new: dict[str, bytes] = {}
        origin = self._origin.get(name)
        entry = origin if origin and name not in self._touched else self._entry(name, new)
        for line in new.values():
            file, offset = pack(line)
            entry = Entry(entry.crc, entry.size, part=file, offset=offset)
        self._raw[name] = entry
        del self._parsed[name]

    def forget_origin(self) -> None:
        """Read every table, so that each is saved anew, none named as it was read (a
        manifest copied from elsewhere names another store's parts folder)."""
        for name in list(self):
            self[name] = self[name]
        self._origin.clear()
        self._opened.clear()

    def parts(self) -> list[str]:
        """The part files these tables are read from (a sealed year's: its index's)."""
        return [e.part for e in [*self._origin.values(), *self._sealed.values()] if e.part]

    def save(self, parts_folder: str, pack: Callable[[bytes], tuple[str, int]]) -> Saved:
        """The new manifest, and the part files to write before it: only the tables whose
        content changed. An inline table is checked first (a damaged manifest is never
        written back); a part that is not read is named again, not read. The months of
        a year before the latest of their kind are sealed: the manifest names the year's
        index, which names them; a year changed gets a new index, which goes to ``pack``
        (see flush) with its months written now; one not opened is named again."""
        lines: list[bytes | memoryview] = []
        index: dict[str, list[int | str]] = {}
        new: dict[str, bytes] = {}
        names = sorted([*self._parsed, *self._raw])
        latest: dict[str, str] = {}  # of each kind with months ("pain"): its latest year
        for name in [*names, *self._sealed]:
            if year := _year(name):
                kind = year.rpartition("/")[0]
                latest[kind] = max(latest.get(kind, ""), year)
        sealing: dict[str, dict[str, Entry]] = {}
        for name in names:
            entry = self._raw.get(name) or self._entry(name, new)
            if entry.part is None and entry.size >= PART_BYTES:  # a version 1 store's table
                entry = self._new_part(name, bytes(self._checked(name, entry)), entry.crc, new)
            if (year := _year(name)) and year < latest[year.rpartition("/")[0]]:
                sealing.setdefault(year, {})[name] = entry
            elif entry.part is None:
                lines.append(self._checked(name, entry))
                index[name] = [entry.crc, entry.size]
            else:
                index[name] = _index_entry(entry)
        years = dict(self._sealed)
        for year, tables in sealing.items():
            years[year] = self._seal(year, tables, new, pack)
        head = {"format": FORMAT, "version": FORMAT_VERSION, "parts": parts_folder}
        sealed = {year: _index_entry(years[year]) for year in sorted(years)}
        header = _dump({**head, "tables": index, **({"years": sealed} if sealed else {})})
        return Saved(b"".join([header + b"\n", *lines]), new)

    def _seal(
        self,
        year: str,
        tables: dict[str, Entry],
        new: dict[str, bytes],
        pack: Callable[[bytes], tuple[str, int]],
    ) -> Entry:
        """The index of a year's ``tables``: as it was if they are; else a new one in
        ``pack``, after the lines of those of them written now (or inline)."""
        opened = self._opened.get(year)
        if opened is not None and opened[1] == tables:
            return opened[0]
        listed = {}
        for name, entry in sorted(tables.items()):
            if entry.part is None or entry.part in new:  # small, or written by this save
                line = new.pop(entry.part) if entry.part else bytes(self._checked(name, entry))
                file, offset = pack(line)
                entry = Entry(entry.crc, entry.size, part=file, offset=offset)
            listed[name] = _index_entry(entry)
        line = _dump(listed)
        file, offset = pack(line + b"\n")
        return Entry(zlib.crc32(line), len(line), part=file, offset=offset)

    def _entry(self, name: str, new: dict[str, bytes]) -> Entry:
        line = _dump(self._parsed[name])
        crc, origin = zlib.crc32(line), self._origin.get(name)
        if origin is not None and (origin.crc, origin.size) == (crc, len(line)):
            return origin  # unchanged: its part (or inline line) as it was
        if len(line) < PART_BYTES:
            return Entry(crc, len(line), memoryview(line + b"\n"))
        return self._new_part(name, line + b"\n", crc, new)

    @staticmethod
    def _new_part(name: str, line: bytes, crc: int, new: dict[str, bytes]) -> Entry:
        """A new part file (a fresh name: a part is never overwritten) for ``line``."""
        part = part_file(name, [crc, len(line) - 1, os.urandom(4).hex()])
        new[part] = line
        return Entry(crc, len(line) - 1, part=part)

    def _checked(self, name: str, entry: Entry) -> memoryview:
        """The line of ``name`` with its newline, once its length and checksum are verified."""
        data = (
            entry.data
            if entry.part is None
            else memoryview(self._read_part(entry.part, entry.offset, entry.size + 1))
        )
        if data is None or len(data) != entry.size + 1 or zlib.crc32(data[:-1]) != entry.crc:
            where = f" (its file {entry.part})" if entry.part else ""
            raise self._on_damage(name, f"does not match its checksum{where}")
        return data


class FileStorage(Storage):
    """TinyDB storage over one ptcli store; writes only inside ``transaction()``."""

    def __init__(self, path: Path, prepare: Callable[[Tables], object] | None = None) -> None:
        self.path = Path(os.path.realpath(path))  # write through a symlink, lock beside the target
        self._prepare = prepare  # run on each fresh snapshot: the schema migrations
        self.backup = path.with_name(path.name + ".bak")
        self.parts = self.path.with_name(self.path.name + PARTS_SUFFIX)
        self.read_from = self.parts  # the parts folder the manifest read names
        self._version = FORMAT_VERSION  # of the store as read
        self._data = b""  # the manifest as read
        self._tables: Tables | None = None
        self._migrated = False  # the tables read needed a migration (see _as_read_if_unchanged)
        self._flushed: list[Path] = []  # part files written ahead of this transaction's save
        self._pack = bytearray()  # tables flushed but not yet written (see flush)
        self._pack_name: str | None = None
        self._lock_fd: int | None = None
        self._dirty = False
        self._snapshot_reason: str | None = None  # keep one before the next save, and why

    def read(self) -> Tables:  # type: ignore[override]  # TinyDB only needs a MutableMapping
        if self._tables is None:
            self._tables = self._load()
            self._migrated = self._prepare is not None and bool(self._prepare(self._tables))
            if self._migrated:
                self._snapshot_reason = "migration"  # kept only if it comes to be saved
                self._tables.touch_parsed()
        return self._tables

    def write(self, data: MutableMapping[str, Table]) -> None:
        if self._lock_fd is None:
            raise RuntimeError("FileStorage.write outside a transaction")
        if data is not self._tables:
            tables = self.read()
            for name in [name for name in tables if name not in data]:
                del tables[name]
            for name in data:
                tables[name] = data[name]
        self._dirty = True

    def close(self) -> None:
        self._tables = None

    def flush(self, name: str) -> None:
        """Inside a transaction: write table ``name``'s part file now (if it changed) and
        keep it out of memory; the save commits it with the rest. A bulk write (an import)
        so holds one month at a time, not the history."""
        if self._lock_fd is not None and self._tables is not None:
            self._tables.flush(name, self._packed)

    def _packed(self, line: bytes) -> tuple[str, int]:
        """``line`` added to the pack being filled: its file and offset. Months go to disk
        a pack at a time, so an import of 30 years fsyncs about 13 files, not 720."""
        if self._pack_name is None:
            self._pack_name = f"{PACK}.{os.urandom(4).hex()}"
        name, offset = self._pack_name, len(self._pack)
        self._pack += line
        if len(self._pack) >= PACK_BYTES:
            self._write_pack()
        return name, offset

    def _write_pack(self) -> None:
        if self._pack_name is None:
            return
        path = self.parts / self._pack_name
        try:
            make_private_folder(self.parts)
            self._flushed.append(path)
            write_new(path, bytes(self._pack))
        except OSError as error:
            raise self._not_saved(error) from None
        self._pack, self._pack_name = bytearray(), None

    def snapshot(self, reason: str) -> None:
        """Keep the store as it is now beside it when this transaction saves (a write of
        many records: an import, an undo of many, a restore)."""
        self._snapshot_reason = reason

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the writer's lock, read afresh, and save once at the end (all or nothing)."""
        if self._lock_fd is not None:
            yield  # nested: the outer transaction saves
            return
        self._check_writable()
        self._lock()
        try:
            self._tables = self._as_read_if_unchanged()
            self._dirty = False
            self._snapshot_reason = None
            remove_stale_temps(self.path)
            yield
            if self._dirty:
                self._save()
            self._flushed = []  # named by the manifest now
        finally:
            self._pack, self._pack_name = bytearray(), None
            for path in self._flushed:  # named by no manifest: removed now, not once a day
                with contextlib.suppress(OSError):
                    os.unlink(path)
            if self._flushed:  # a dry run (or a failed import) of a new store leaves no folder
                with contextlib.suppress(OSError):
                    os.rmdir(self.parts)  # only if empty
            self._flushed = []
            self._tables = None  # after a failure the snapshot may hold unsaved changes
            self._dirty = False
            self._snapshot_reason = None
            self._unlock()

    def _read_manifest(self) -> bytes | None:
        """The store file's bytes (None: there is none yet)."""
        try:
            # Non-blocking: a FIFO in the store's place is refused at once, not waited on.
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StoreError(f"cannot read the store {self.path}: {error.strerror}") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise self._not_a_file()
            with open(fd, "rb", closefd=False) as file:
                return file.read()
        except OSError as error:
            raise StoreError(f"cannot read the store {self.path}: {error.strerror}") from None
        finally:
            os.close(fd)

    def _as_read_if_unchanged(self) -> Tables | None:
        """The tables read before the lock, if the store file is still the same bytes and
        they needed no migration; else None: read afresh. A write at 30 years so parses its
        manifest (1,085 tables, about 3.5 ms) once, not twice. A commit by another writer
        in between is a new manifest (a rename), so different bytes, read again here."""
        if self._tables is None or self._migrated or not self._data:
            return None
        return self._tables if self._read_manifest() == self._data else None

    def _load(self) -> Tables:
        data = self._read_manifest()
        if data is None:
            self._data = b""
            return Tables()
        self._data = data
        header, end = read_header(data, self._damaged)
        if header["version"] > FORMAT_VERSION:
            raise StoreError(
                f"the store {self.path} was written by a newer ptcli; upgrade ptcli to use it"
            )
        self._version = header["version"]
        folder = header.get("parts", self.parts.name)
        if not isinstance(folder, str) or not folder or "/" in folder or folder in {".", ".."}:
            raise self._damaged("its header names no parts folder")
        self.read_from = self.path.with_name(folder)
        # The header gives each line's length: slice the inline tables out without
        # scanning them. Each is checked against its CRC32 when first read.
        view, entries, start = memoryview(data), {}, end + 1
        try:
            for name, (crc, size, *part) in header["tables"].items():
                if part:
                    entries[str(name)] = _part_entry(crc, size, part, str(name))
                    continue
                entries[str(name)] = Entry(
                    int(crc), int(size), view[start : start + int(size) + 1]
                )  # with its newline
                start += int(size) + 1
            years = {
                str(year): _part_entry(crc, size, part, str(year))
                for year, (crc, size, *part) in header.get("years", {}).items()
                if len(part) == 2 and _YEAR_OF.fullmatch(f"{year}-01")
            }
            if len(years) != len(header.get("years", {})):
                raise ValueError("a year's index that is not in a pack")
        except (KeyError, AttributeError, TypeError, ValueError):
            raise self._damaged("its header does not list its tables") from None
        if start != len(data) or data[-1:] != b"\n":
            raise self._damaged(f"its length does not match its header ({len(data)} bytes)")
        return Tables(
            entries,
            lambda name, detail: self._damaged(f"table {name!r} {detail}"),
            self._part,
            years,
        )

    def _part(self, name: str, offset: int, size: int) -> bytes:
        if name == self._pack_name:  # flushed in this transaction, not written yet
            return bytes(self._pack[offset : offset + size])
        written = any(path.name == name for path in self._flushed)  # in this transaction
        try:
            folder = self.parts if written else self.read_from
            fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                return os.pread(fd, size, offset)
            finally:
                os.close(fd)
        except FileNotFoundError:
            raise self._damaged(
                f"its file {self.read_from.name}/{name} is missing: "
                f"a store is its file and the folder {self.read_from.name} beside it"
            ) from None
        except OSError as error:
            raise StoreError(f"cannot read the store {self.path}: {error.strerror}") from None

    def _save(self) -> None:
        assert self._tables is not None
        tables = self._tables
        if self.read_from != self.parts:  # a manifest copied from elsewhere: own its parts
            tables.forget_origin()
        saved = tables.save(self.parts.name, self._packed)
        if saved.manifest == self._data and not saved.parts:
            return  # nothing changed: an import of what the store already holds
        written: list[Path] = []
        try:
            make_private_folder(self.path.parent)
            from ptcli.storage import snapshots

            if snapshots.keep(self.path, self._snapshot_reason):  # the day's first write
                written_ahead = {path.name for path in self._flushed}
                collect_parts(self.path, self.parts, written_ahead, self.backup)
            self._write_pack()
            if saved.parts or self._flushed:
                new_folder = not self.parts.is_dir()
                make_private_folder(self.parts)
                if new_folder or self._flushed:
                    _fsync_folder(self.path.parent)
                for name, line in saved.parts.items():
                    written.append(self.parts / name)
                    write_new(self.parts / name, line)
                _fsync_folder(self.parts)
            migrated = self._version < 2 and bool(self._data)  # 1: one file
            if migrated:
                snapshots.link(self.path, self.path.with_name(self.path.name + ".v1.bak"))
            write_atomically(self.path, saved.manifest, keep_previous=self.backup)
        except OSError as error:
            for path in written:  # named by no manifest: removed now rather than once a day
                with contextlib.suppress(OSError):
                    os.unlink(path)
            raise self._not_saved(error) from None
        if migrated:
            print(
                f"ptcli: the store now keeps each month in a file of {self.parts.name}/ beside "
                f"it; the single-file store is kept as {self.path.name}.v1.bak",
                file=sys.stderr,
            )
        self._version, self._data = FORMAT_VERSION, saved.manifest

    def _not_saved(self, error: OSError) -> StoreError:
        reason = "the disk is full" if error.errno == errno.ENOSPC else error.strerror
        return StoreError(f"could not save the store {self.path}: {reason}; nothing was changed")

    def _check_writable(self) -> None:
        """Refuse, before writing anything, a store that is not a file or is read-only."""
        try:
            info = os.stat(self.path)
        except OSError:
            return  # missing: a new store; other errors are reported by the read
        if not stat.S_ISREG(info.st_mode):
            raise self._not_a_file()
        if not info.st_mode & stat.S_IWUSR:
            raise StoreError(
                f"the store {self.path} is read-only (mode {stat.S_IMODE(info.st_mode):04o}) "
                f"and was left untouched; make it writable (chmod u+w) to change it"
            )

    def _not_a_file(self) -> StoreError:
        return StoreError(
            f"the store {self.path} is not a regular file: give the path of a store file"
        )

    def _damaged(self, detail: str) -> StoreError:
        if "its file" in detail:  # a part: every backup beside the store may name it too
            recover = (
                "list the snapshots with 'ptcli db backups' and check one with "
                "'ptcli db check NAME', or import an export into a new store"
            )
        elif self.backup.exists():
            recover = (
                f"the previous version is {self.backup}: check it with "
                f"'ptcli --db {self.backup} history', then copy it over the damaged file"
            )
        else:
            recover = "restore it from a backup or an export, or move it aside to start a new store"
        return StoreError(
            f"the store {self.path} is damaged ({detail}) and was left untouched; {recover}"
        )

    def _lock(self) -> None:
        import fcntl

        try:
            make_private_folder(self.path.parent)
            fd = os.open(
                self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600
            )
        except OSError as error:
            raise StoreError(
                f"cannot open the store {self.path} for writing: {error.strerror}"
            ) from None
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise StoreError(
                        f"the store {self.path} is busy: another ptcli command is writing to it; try again"
                    ) from None
                time.sleep(0.01)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None


def read_header(data: bytes, damaged: Callable[[str], Exception]) -> tuple[dict[str, Any], int]:
    """A store's header (format and version checked) and where its line ends."""
    end = data.find(b"\n")
    try:
        header = json.loads(data[:end])
        if header.get("format") != FORMAT:
            raise ValueError("not a ptcli store")
    except (ValueError, AttributeError):
        raise damaged("its first line is not a ptcli store header: is it a ptcli store?") from None
    if not isinstance(header.get("version"), int):
        raise damaged("its header has no version")
    return header, end


def collect_parts(store: Path, parts: Path, keep: set[str], backup: Path) -> None:
    """Remove the part files no manifest names: not the store, its snapshots, nor its
    ``backup`` (beside the name given, a symlink's too); those of earlier versions, and
    of writers killed before their commit. Only under the writer's lock."""
    from ptcli.storage import snapshots

    named = set(keep)  # and the parts of the manifest being saved
    indexes: set[tuple[Any, ...]] = set()  # the years' indexes read (manifests share most)
    for manifest in [store, backup, *(snapshot.path for snapshot in snapshots.listed(store))]:
        if manifest == backup and not manifest.exists():
            continue
        try:
            with open(manifest, "rb") as file:
                header, _ = read_header(file.readline(), ValueError)
            if header.get("parts", parts.name) != parts.name:
                continue
            tables = header["tables"].items()
            named.update(part_file(name, entry) for name, entry in tables if len(entry) > 2)
            for year, (crc, size, *part) in header.get("years", {}).items():
                if (crc, size, *part) in indexes:
                    continue
                indexes.add((crc, size, *part))
                index = _part_entry(crc, size, part, year)
                assert index.part is not None
                named.add(index.part)
                with open(parts / index.part, "rb") as file:
                    file.seek(index.offset)
                    line = file.read(index.size)
                if zlib.crc32(line) != index.crc:
                    return  # a damaged index might name any part: remove none
                named.update(part_file(n, entry) for n, entry in json.loads(line).items())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return  # a manifest that cannot be read might name any part: remove none
    with contextlib.suppress(OSError):
        for entry in os.scandir(parts):
            if _PART_NAME.fullmatch(entry.name) and entry.name not in named:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _year(name: str) -> str | None:
    """The year a month's table belongs to ("pain/2026-03" -> "pain/2026"), else None."""
    month = _YEAR_OF.fullmatch(name)
    return month[1] if month else None


def _part_entry(crc: Any, size: Any, part: list[Any], name: str) -> Entry:
    """A manifest's ``[crc, size, token(, offset)]`` checked (ValueError if it is not)."""
    if not part:
        raise ValueError("inline")
    offset = part[1] if len(part) > 1 else 0
    if not (isinstance(part[0], str) and _TOKEN.fullmatch(part[0])) or not (
        type(offset) is int and offset >= 0 and len(part) < 3
    ):
        raise ValueError(part)
    return Entry(int(crc), int(size), part=part_file(name, [crc, size, *part]), offset=offset)


def _index_entry(entry: Entry) -> list[int | str]:
    """How the manifest (or a year's index) names a table in a part file."""
    assert entry.part is not None
    token = entry.part.rpartition(".")[2]
    packed = [entry.offset] if entry.part.startswith(f"{PACK}.") else []
    return [entry.crc, entry.size, token, *packed]


def part_file(table: str, entry: list[Any]) -> str:
    """The file of a table's manifest entry ``[crc, size, token]`` (a file of its own,
    named after the table) or ``[crc, size, token, offset]`` (in a pack)."""
    if len(entry) > 3:
        return f"{PACK}.{entry[2]}"
    return f"{re.sub(r'[^A-Za-z0-9_]', '-', str(table))[:55]}.{entry[2]}"


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
