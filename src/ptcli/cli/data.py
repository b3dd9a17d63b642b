"""ptcli history | export | import"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ptcli.cli import daily, emit, options, store_paths, workspace
from ptcli.errors import BadInput
from ptcli.records import KINDS
from ptcli.render import formats_for

ExportFormat = StrEnum("ExportFormat", {name: name for name in formats_for("export")})  # type: ignore[misc]
BundleType = StrEnum("BundleType", {"collection": "collection", "transaction": "transaction"})
TableName = StrEnum("TableName", {kind.table: kind.table for kind in KINDS})  # type: ignore[misc]


BOM = "\ufeff"  # LibreOffice and Excel guess a CSV's encoding without it, and garble accents
TABLE_WORDS = {
    "pain": ("pain entry", "pain entries"),
    "sessions": ("session", "sessions"),
    "screens": ("screen", "screens"),
    "clearances": ("flag clearance", "flag clearances"),
    "plan": ("plan change", "plan changes"),
    "corrections": ("correction", "corrections"),
    "appointments": ("appointment", "appointments"),
    "lessons": ("lesson read", "lessons read"),
    "assessments": ("assessment", "assessments"),
    "measures": ("outcome measure", "outcome measures"),
}


def _count(count: int, forms: tuple[str, str]) -> str:
    return f"{count} {forms[0] if count == 1 else forms[1]}"


def register(app: typer.Typer) -> None:
    app.command("history")(history)
    app.command("export")(export)
    app.command("import")(import_)


def history(
    ctx: typer.Context,
    since: options.Since = None,
    until: options.Until = None,
    all_: Annotated[
        bool,
        typer.Option("--all", help="Also deleted entries, and mark the deleted and edited ones."),
    ] = False,
    json: options.Json = False,
) -> None:
    """Pain entries and sessions together, oldest first, as corrected."""
    daily.history(store_paths(ctx), since, until, all_, json)


def export(
    ctx: typer.Context,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="json: everything, for import; ndjson: the same, one record a line; "
            "csv: one table; fhir: a FHIR R4 Bundle; ics: today's routine as calendar reminders.",
        ),
    ] = ExportFormat["json"],
    table: Annotated[
        TableName | None,
        typer.Option(
            "--table",
            metavar="TABLE",
            help=f"Only this table (required for csv): {', '.join(TableName)}.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="From this day on (default: everything).",
            show_default=False,
        ),
    ] = None,
    until: options.Until = None,
    output: options.Output = None,
    force: options.Force = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of the json export and stop.")
    ] = False,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom",
            help="Start a CSV file with a byte order mark, so spreadsheets read it as UTF-8.",
        ),
    ] = False,
    bundle: Annotated[
        BundleType,
        typer.Option(
            "--bundle",
            metavar="TYPE",
            help="fhir: collection (a file) or transaction (to post to a FHIR server; "
            "every entry a PUT at its stable id, so loading it twice changes nothing).",
        ),
    ] = BundleType.collection,
) -> None:
    """Export everything (JSON or NDJSON, for import; FHIR), one table (CSV), or a calendar."""
    from ptcli import services
    from ptcli.render import render

    ws = workspace(ctx)
    if schema:
        emit(services.export_schema(), output, ws.db_path, force)
        return
    if bundle is not BundleType.collection and format.value != "fhir":
        raise BadInput("--bundle is for --format fhir")
    if bom and format.value != "csv":
        raise BadInput("--bom is for --format csv (JSON and calendars must not start with one)")
    if format.value == "csv" and table is None:
        raise BadInput("a CSV file holds one table: add --table pain (or sessions, screens, ...)")
    if format.value == "ics":
        if table or since or until:
            raise BadInput("--format ics is today's routine: leave out --table, --since, --until")
        calendar = services.calendar(ws)
        if calendar.zone is None:
            print(
                "ptcli: note: this machine's time zone has no IANA name (set TZ, e.g. "
                "TZ=Europe/London): the calendar's times are in UTC",
                file=sys.stderr,
            )
        view: object = calendar
    else:
        view = services.export(
            ws,
            table.value if table else None,
            since,
            until,
            corrected=format.value == "csv",  # a spreadsheet shows the log as corrected
            marked=format.value == "fhir",  # deleted and amended resources say so
        )._replace(bundle=bundle.value)
    text = render(format.value, view)
    if bom and isinstance(text, str):
        text = BOM + text
    emit(text, output, ws.db_path, force)


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A file from 'ptcli export' ('-' reads standard input).",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change, and change nothing.")
    ] = False,
    into_this_patient: Annotated[
        bool,
        typer.Option(
            "--into-this-patient",
            help="Import an export whose profile is another patient's into this store's "
            "patient (the store keeps its profile).",
        ),
    ] = False,
) -> None:
    """Merge a JSON or NDJSON export; records already present are skipped (safe to repeat)."""
    from ptcli import services

    source = "standard input" if str(file) == "-" else str(file)
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as error:
        raise BadInput(f"cannot read {file}: {error.strerror}") from None
    result = services.import_export(workspace(ctx), data, source, dry_run, into_this_patient)
    report = result.report
    added = [
        _count(count, TABLE_WORDS.get(table, (table, table)))
        for table, count in report.added.items()
        if count
    ]
    joined = ", ".join(added[:-1]) + " and " + added[-1] if len(added) > 1 else "".join(added)
    print(
        ("Would import " if dry_run else "Imported ")
        + f"{joined or 'nothing new'}; {report.unchanged} already present"
        + (f"; {len(report.replaced)} replaced by a newer version" if report.replaced else "")
        + ("; profile filled in" if report.profile_updated else "")
        + (" (dry run: nothing was changed)." if dry_run else ".")
    )
    if result.routines is not None:
        from ptcli.cli.corrections import say_routine

        say_routine(*result.routines)
    for label, ids in (("kept", report.conflicts), ("replaced", report.replaced)):
        if ids:
            shown = ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "")
            what = "the stored, newer" if label == "kept" else "the imported, newer"
            print(
                f"ptcli: {len(ids)} records differ from the store; {what} version wins: {shown}",
                file=sys.stderr,
            )
    if result.unknown_exercises:
        print(
            "ptcli: sessions name exercises this catalogue lacks (kept, not used for routines): "
            + ", ".join(result.unknown_exercises),
            file=sys.stderr,
        )
