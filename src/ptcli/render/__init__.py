"""Renderers: each turns a view (a routine, a list of entries, an export) into text.

A format is one module with a ``render(view) -> str`` function plus one line in
``RENDERERS`` naming the views it can show; the CLI offers a command exactly the
formats registered for its view. Modules are imported only when used.
"""

import importlib
from collections.abc import Iterable
from typing import NamedTuple


class Renderer(NamedTuple):
    module: str
    views: frozenset[str]


RENDERERS: dict[str, Renderer] = {
    # plain.py draws the daily views (today, history) itself, the rest with table.py's Rich
    "table": Renderer(
        "ptcli.render.plain",
        frozenset(
            {"routine", "pain", "history", "exercises", "exercise", "flags", "plan"}
            | {"appointments", "lessons"}
        ),
    ),
    "json": Renderer(
        "ptcli.render.json_format",
        frozenset(
            {"routine", "pain", "history", "exercises", "exercise", "export", "flags", "plan"}
            | {"appointments", "lessons"}
        ),
    ),
    # The handout, for pasting into a message (the printable's programme and safety box).
    "markdown": Renderer("ptcli.render.markdown", frozenset({"handout"})),
    "csv": Renderer("ptcli.render.csv_format", frozenset({"export"})),
    "ndjson": Renderer("ptcli.render.ndjson", frozenset({"export"})),
    "fhir": Renderer("ptcli.render.fhir", frozenset({"export"})),
    # The schedule of today's routine as calendar events (export --format ics): a Calendar.
    "ics": Renderer("ptcli.render.ics", frozenset({"export"})),
    # A routine to print or mail: one page template, as HTML or printed to PDF (bytes).
    "html": Renderer("ptcli.render.html", frozenset({"handout"})),
    "pdf": Renderer("ptcli.render.pdf", frozenset({"handout"})),
}


class EncodedText(bytes):
    """Text already encoded as UTF-8 whose line ends belong to its format (a calendar's CRLF):
    written as it is to a file or stdout, never through the platform's newline translation,
    and, unlike a PDF's bytes, fit for a terminal."""


def formats_for(view: str) -> list[str]:
    """The formats that can show ``view``, in registry order."""
    return [name for name, renderer in RENDERERS.items() if view in renderer.views]


def render(format_name: str, view: object) -> str | Iterable[str] | bytes:
    """The text of ``view``; a streaming format (ndjson) gives it in pieces, PDF as bytes."""
    module = importlib.import_module(RENDERERS[format_name].module)
    text: str | Iterable[str] | bytes = module.render(view)
    return text
