"""Named, run-once schema migrations, recorded in the store's ``_meta`` table.

A migration is a function over the raw tables (a mutable mapping of table name to
``{doc_id: document}``). They run in order on the snapshot a command reads; the
result and the names applied are saved with the command's next write, so a
read-only command never writes. To change the stored shape, append a function to
``MIGRATIONS`` and never rename or reorder the ones already released.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from ptcli.errors import StoreError

META_TABLE = "_meta"
META_ID = "schema"

Tables = MutableMapping[str, dict[str, Any]]


def _initial(tables: Tables) -> None:
    """Version 1: profile, and pain and session tables split by month (``pain/2026-11``)."""


def _check_outs_marked(tables: Tables) -> None:
    """Version 2: a guided session's check-out is marked ``after_exercise`` (it was known
    only by its note, which a patient could also type)."""
    for name in [name for name in tables if name.startswith("pain/")]:
        for document in tables[name].values():
            if document.get("note") == "after a guided session":
                document["after_exercise"] = True


def _corrections_by_month(tables: Tables) -> None:
    """Version 3: the corrections that void or amend a pain entry or a session (without
    moving it) go beside their target's month, ``corrections/2026-03``
    (``tinydb_store.correction_table``): a daily read no longer parses every correction."""
    from ptcli.storage.tinydb_store import CORRECTIONS, correction_table

    stored = tables.get(CORRECTIONS)
    if not stored:
        return
    kept: dict[str, Any] = {}
    for doc_id, document in stored.items():
        name = correction_table(document) if isinstance(document, dict) else CORRECTIONS
        if name == CORRECTIONS:
            kept[doc_id] = document
        else:
            tables.setdefault(name, {})[doc_id] = document
    tables[CORRECTIONS] = kept


MIGRATIONS: list[tuple[str, Callable[[Tables], None]]] = [
    ("0001-initial", _initial),
    ("0002-check-outs-marked", _check_outs_marked),
    ("0003-corrections-by-month", _corrections_by_month),
]
SCHEMA_VERSION = len(MIGRATIONS)


def upgrade(tables: Tables, where: str) -> bool:
    """Apply the pending migrations to ``tables``; True when anything changed."""
    meta = tables.get(META_TABLE, {}).get(META_ID, {"schema_version": 0, "migrations": []})
    if meta.get("schema_version", 0) > SCHEMA_VERSION:
        raise StoreError(f"the store {where} was written by a newer ptcli; upgrade ptcli to use it")
    applied = list(meta.get("migrations", []))
    pending = [(name, migrate) for name, migrate in MIGRATIONS if name not in applied]
    for name, migrate in pending:
        migrate(tables)
        applied.append(name)
    if pending:
        tables[META_TABLE] = {META_ID: {"schema_version": SCHEMA_VERSION, "migrations": applied}}
    return bool(pending)
