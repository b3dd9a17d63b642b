"""CSV export: one table (pain or sessions), a header row, the record fields in order."""

from __future__ import annotations

import csv
import io

from ptcli import records
from ptcli.services import Export

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def render(view: object) -> str:
    assert isinstance(view, Export)
    fields: tuple[str, ...]
    if view.pain is not None and view.sessions is None:
        fields, rows = records.PAIN_FIELDS, [records.pain_to_record(e) for e in view.pain]
    elif view.sessions is not None and view.pain is None:
        fields, rows = records.SESSION_FIELDS, [records.session_to_record(e) for e in view.sessions]
    else:
        raise ValueError("a CSV export holds one table")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: _inert(value) for key, value in row.items()} for row in rows)
    return out.getvalue()
