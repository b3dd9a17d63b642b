"""NDJSON export: one JSON object a line, each with a "type", written as it is read.

The first line is the header (``type: "export"``, with format, version and the time),
then the profile, then every record of each table in time order. A ten-year history
streams into ``jq`` a month of records at a time, never as one document.
"""

import json
from collections.abc import Iterator
from typing import Any

from ptcli import records
from ptcli.views import EXPORT_FORMAT, EXPORT_VERSION, Export

HEADER_TYPE = "export"
PROFILE_TYPE = "profile"


def render(view: object) -> Iterator[str]:
    assert isinstance(view, Export)
    header = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION}
    yield _line(HEADER_TYPE, {**header, "exported_at": records.timestamp(view.exported_at)})
    yield _line(PROFILE_TYPE, records.profile_to_record(view.profile))
    for kind in records.KINDS:
        for entry in view.tables.get(kind.table, ()):
            yield _line(kind.line_type, kind.to_record(entry))


def _line(line_type: str, fields: dict[str, Any]) -> str:
    return json.dumps({"type": line_type, **fields}, ensure_ascii=False) + "\n"
