"""CSV export: one table, a header row, the record fields in order (lists joined by ';'),
then ``local_time``: the record's moment on this machine's clock, as a spreadsheet reads a
date and time (``2026-03-02 08:10:00``), added after the fields so scripts keep theirs."""

from __future__ import annotations

import csv
import io
import json
import re

from ptcli import records
from ptcli.views import Export

# A cell a spreadsheet may run as a formula: one starting with = + - @, also after
# spaces (any whitespace) or quotes, and one starting with a tab or a carriage return.
FORMULA = re.compile(r"[\s'\"]*[=+\-@]|[\t\r]")
LOCAL_TIME = "local_time"


def _inert(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice);
    other text is written as it is."""
    return f"'{value}" if isinstance(value, str) and FORMULA.match(value) else value


def _cell(value: object) -> object:
    if isinstance(value, list) and all(isinstance(item, str | int | None) for item in value):
        # Lists of text, or a measure's answers (empty for a missing one).
        return ";".join("" if item is None else str(item) for item in value)
    if isinstance(value, dict | list):  # a correction's changes, an assessment's sets
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def render(view: object) -> str:
    assert isinstance(view, Export)
    if len(view.tables) != 1:
        raise ValueError("a CSV export holds one table")
    [(table, entries)] = view.tables.items()
    kind = next(kind for kind in records.KINDS if kind.table == table)
    out = io.StringIO()
    fields = (*kind.fields, LOCAL_TIME)
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    # The csv module quotes a cell holding "\n" but not one holding a lone "\r" (it is not
    # in the line terminator), which a reader would take for a line's end: such a row is
    # written with every cell quoted.
    quoted = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for entry in entries:
        row = {key: _inert(_cell(value)) for key, value in kind.to_record(entry).items()}
        row[LOCAL_TIME] = f"{entry.at.astimezone():%Y-%m-%d %H:%M:%S}"
        has_cr = any(isinstance(value, str) and "\r" in value for value in row.values())
        (quoted if has_cr else writer).writerow(row)
    return out.getvalue()
