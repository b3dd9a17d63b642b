"""Snapshots of the store beside it, taken without the patient having to think of them.

``ptcli.json.2026-11-29.bak``: the store as it was before the day's first write.
``ptcli.json.2026-11-29T19-05-12.before-import.bak``: before a write of many records
(an import, a migration, an undo of many, a restore). Each is a hard link to the old
store file, the manifest (no copy; a copy where links are not supported), mode 0600,
and those older than ``SNAPSHOT_DAYS`` days are removed. The month files they name in
``ptcli.json.parts/`` are never changed, and are kept while any of them names one (see
file_storage). ``ptcli.json.bak``, the version before the last write, is listed with
them, and ``ptcli.json.v1.bak``, a single-file store as it was before its first write
by this version, is kept until the patient removes it.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from ptcli.fileio import PRIVATE

SNAPSHOT_DAYS = 7  # † days of snapshots kept beside the store
_NAME = re.compile(r"\.(\d{4}-\d\d-\d\d)(?:T(\d\d-\d\d-\d\d)\.before-([a-z-]+))?\.bak")


class Snapshot(NamedTuple):
    path: Path
    taken: datetime  # the time of the store it holds (its last write)
    day: date  # the day it was taken (from its name; for ``.bak``, its time)
    why: str  # "daily", "before import", ..., or "before the last write"
    size: int


def keep(store: Path, reason: str | None) -> bool:
    """Before ``store`` is replaced: the day's first snapshot, and one for ``reason``.
    True when this is the day's first (older snapshots were then pruned)."""
    if not store.exists():
        return False
    now = datetime.now()
    daily = _name(store, now.date())
    first = not daily.exists()
    if first:
        link(store, daily)
        prune(store, now.date())
    if reason is not None:
        link(store, store.with_name(f"{store.name}.{now:%Y-%m-%dT%H-%M-%S}.before-{reason}.bak"))
    return first


def prune(store: Path, today: date) -> None:
    oldest = today - timedelta(days=SNAPSHOT_DAYS - 1)
    kept = (f"{store.name}.bak", f"{store.name}.v1.bak")  # the last write's; the single file
    for snapshot in listed(store):
        if snapshot.path.name in kept or snapshot.day >= oldest:
            continue
        with contextlib.suppress(OSError):
            os.unlink(snapshot.path)


def listed(store: Path) -> list[Snapshot]:
    """The snapshots beside ``store``, oldest first."""
    found = []
    prefix = store.name
    with contextlib.suppress(OSError):
        for entry in os.scandir(store.parent):
            if not entry.name.startswith(prefix):
                continue
            rest = entry.name[len(prefix) :]
            match = _NAME.fullmatch(rest)
            try:
                info = entry.stat()
            except OSError:
                continue
            taken = datetime.fromtimestamp(info.st_mtime)
            if rest == ".bak":
                day, why = taken.date(), "before the last write"
            elif rest == ".v1.bak":
                day, why = taken.date(), "the single-file store, before months had files"
            elif match:
                try:
                    day = date.fromisoformat(match.group(1))
                except ValueError:
                    continue
                reason = match.group(3)
                why = (
                    f"before {reason.replace('-', ' ')}"
                    if reason
                    else "before the day's first write"
                )
            else:
                continue
            found.append(Snapshot(Path(entry.path), taken, day, why, info.st_size))
    return sorted(found, key=lambda s: (s.taken, s.path.name))


def _name(store: Path, day: date) -> Path:
    return store.with_name(f"{store.name}.{day.isoformat()}.bak")


def link(store: Path, snapshot: Path) -> None:
    """``snapshot`` made a hard link to ``store`` (a copy where links are not supported)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(snapshot)
    try:
        os.link(store, snapshot)
    except OSError:
        import shutil  # only where links fail: its import (with bz2, lzma) costs a write 2 ms

        try:
            shutil.copyfile(store, snapshot)
        except OSError:
            return  # a snapshot is a convenience: the write itself must not fail for it
    with contextlib.suppress(OSError):
        os.chmod(snapshot, PRIVATE)


def restore(store: Path, snapshot: Path) -> None:
    """Put ``snapshot`` in the store's place, under the writer's lock, keeping the
    current store as a snapshot too (``before-restore``)."""
    from ptcli.fileio import write_atomically
    from ptcli.storage.file_storage import FileStorage

    data = snapshot.read_bytes()
    storage = FileStorage(store)
    source = FileStorage(snapshot)
    with storage.transaction():
        if not source.read().parts() or source.read_from == storage.parts:
            keep(store, "restore")  # its parts are the store's: the manifest is enough
            write_atomically(storage.path, data, keep_previous=storage.backup)
        else:  # a snapshot from another folder: its tables, copied into the store's parts
            storage.snapshot("restore")
            tables = source.read()
            storage.write({name: tables[name] for name in tables})
