"""CSV export: one table, a header row, the record fields in order (lists joined by ';')."""

from __future__ import annotations

import csv
import io

from ptcli import records
from ptcli.views import Export

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _cell(value: object) -> object:
    return ";".join(value) if isinstance(value, list) else value


def render(view: object) -> str:
    assert isinstance(view, Export)
    if len(view.tables) != 1:
        raise ValueError("a CSV export holds one table")
    [(table, entries)] = view.tables.items()
    kind = next(kind for kind in records.KINDS if kind.table == table)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=kind.fields, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = kind.to_record(entry)
        writer.writerow({key: _inert(_cell(value)) for key, value in row.items()})
    return out.getvalue()
