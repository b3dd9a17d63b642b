"""``ptcli db check``: read every record of a store and say what is wrong with it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ptcli.errors import StoreError


class Checked(NamedTuple):
    counts: dict[str, int]  # records by table
    notes: list[str]  # what is odd but not damage


def check(path: Path) -> Checked:
    """Every table read and every record validated; StoreError says what is damaged."""
    from ptcli.domain.models import Correction
    from ptcli.records import KINDS
    from ptcli.storage.tinydb_store import open_file_store

    if not path.is_file():
        raise StoreError(f"there is no store at {path}")
    store = open_file_store(path)
    store.profile()
    counts: dict[str, int] = {}
    ids: set[str] = set()
    targets: list[str] = []
    for kind in KINDS:
        count = 0
        for record in store.stream(kind.type):
            count += 1
            ids.add(record.id)
            if isinstance(record, Correction):
                targets.append(record.target)
        counts[kind.table] = count
    store.changes()
    notes = []
    missing = sum(1 for target in targets if target not in ids)
    if missing:
        notes.append(
            f"{missing} correction{'s' * (missing != 1)} name records this store does not hold "
            "(an import of part of another device's log?): they wait for those records"
        )
    return Checked(counts, notes)
