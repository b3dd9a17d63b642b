"""The published JSON Schema (src/ptcli/data/export.schema.json) holds for every export.

The store is built through the CLI with every kind of record, with and without each
optional value, and the JSON export, each one-table export and every NDJSON line are
validated against the schema; edited copies show that the schema rejects what import
refuses.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from importlib.resources import files
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from ptcli.records import KINDS, timestamp

SCHEMA_TEXT = files("ptcli").joinpath("data", "export.schema.json").read_text(encoding="utf-8")
SCHEMA = json.loads(SCHEMA_TEXT)
REGISTRY: Registry[Any] = Resource.from_contents(SCHEMA) @ Registry()
HEADER_KEYS = {"format", "version", "exported_at", "profile"}
TABLES = [kind.table for kind in KINDS]
LINE_ORDER = ["export", "profile", *(kind.line_type for kind in KINDS)]

STORY = [
    ["init", "--name", "Ann Example", "--side", "left", "--pool", "--preference", "extension"],
    ["pain", "log", "6", "--where", "calf", "--at", "2026-03-01T08:00", "--note", 'bad "night"'],
    ["pain", "log", "4", "--at", "2026-03-01T20:00+05:30"],
    ["pain", "log", "3"],
    ["pain", "log", "5", "--where", "thigh", "--flag", "fever"],
    [
        *("session", "log", "prone-lying", "--at", "2026-03-02T09:00", "--pain-after", "2"),
        *("--where-after", "buttock", "--note", "easier after"),
    ],
    ["session", "log", "walking", "--hold", "900"],
    ["session", "log", "dynamic-bridge", "--sets", "1", "--reps", "8"],
    ["screen", "--yes", "fever", "--no-others"],
    ["flag", "clear", "fever", "--note", "seen by GP 2026-11-20"],
    [
        *("assess", "--record", "--baseline", "6,thigh,25,a-little", "--side-glides"),
        *("--set", "extension-standing:4,buttock,better", "--set", "flexion-lying:5,calf,worse"),
        *("--set", "side-glide-left:4,buttock,same"),
    ],
    ["measure", "odi", "--scores", "2,3,-,1,2,2,1,0,3,2"],
    [
        "measure",
        "psfs",
        "--activity",
        "walking",
        "--activity",
        "sitting",
        "--activity",
        "lifting; carrying",
        "--answers",
        "4,6,3",
    ],
    ["plan", "set", "dynamic-bridge", "--sets", "2", "--reps", "8", "--per-day", "2"],
    ["plan", "set", "prone-lying", "--hold", "180"],
    ["plan", "set", "walking"],
    ["plan", "drop", "walking"],
    ["plan", "clear"],
    ["undo", "--yes"],  # a correction: the plan clear taken back
    [
        *("appointment", "add", "2026-03-03T10:00", "--kind", "massage", "--with", "Anna"),
        *("--place", "Riverside Clinic", "--note", "deep tissue", "--done"),
    ],
    ["appointment", "add", "tomorrow 18:00", "--kind", "online", "--link", "https://x.example/a"],
    ["learn", "3"],
]


def validator(definition: str | None = None) -> Draft202012Validator:
    """The whole schema, or one of its $defs, referred to by the schema's $id."""
    schema = SCHEMA if definition is None else {"$ref": f"{SCHEMA['$id']}#/$defs/{definition}"}
    return Draft202012Validator(
        schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


DOCUMENT = validator()
LINE = validator("ndjsonLine")


def assert_valid(check: Draft202012Validator, instance: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(instance)]
    assert errors == [], instance


@pytest.fixture
def story(run: Any) -> None:
    for args in STORY:
        result = run(*args)
        assert result.code == 0, (args, result.err)


def export(run: Any, *args: str) -> Any:
    result = run("export", *args)
    assert result.code == 0 and result.err == "", result.err
    return result.json() if "ndjson" not in args else result.out


def test_the_schema_command_prints_the_packaged_schema_a_valid_2020_12_schema(run: Any) -> None:
    result = run("export", "--schema")
    assert (result.code, result.err) == (0, "")
    assert result.out == SCHEMA_TEXT
    Draft202012Validator.check_schema(result.json())
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == "https://ptcli.example/schemas/export-2.json"
    assert "not a URL that resolves" in SCHEMA["description"]
    assert {"pain", "session", "screen", "clearance", "planChange", "profile"} <= set(
        SCHEMA["$defs"]
    )
    assert {"timestamp", "extent", "score", "id", "ndjsonLine"} <= set(SCHEMA["$defs"])


def test_the_json_export_of_every_kind_of_record_validates(run: Any, story: None) -> None:
    document = export(run)
    assert_valid(DOCUMENT, document)
    # The story reached every table, and both sides of each optional value.
    assert set(document) == HEADER_KEYS | set(TABLES)
    assert document["profile"] == {
        "id": document["profile"]["id"],
        "name": "Ann Example",
        "side": "left",
        "pool": True,
        "preference": "extension",
        "contact": None,
    }
    pain, sessions = document["pain"], document["sessions"]
    assert {entry["where"] for entry in pain} == {"calf", "thigh", None}
    assert {entry["note"] is None for entry in pain + sessions} == {True, False}
    assert any(entry["at"].endswith("+05:30") for entry in pain)
    assert {entry["hold_s"] is None for entry in sessions} == {True, False}
    assert {entry["pain_after"] for entry in sessions} == {2, None}
    assert {entry["where_after"] for entry in sessions} == {"buttock", None}
    assert [(s["yes"], s["no"] == []) for s in document["screens"]] == [
        (["fever"], True),  # pain log --flag: a partial screen
        (["fever"], False),
    ]
    assert [c["item"] for c in document["clearances"]] == ["fever"]
    plan = document["plan"]
    assert [change["action"] for change in plan] == ["set", "set", "set", "drop", "clear"]
    assert plan[-1]["exercise"] is None
    assert {change["hold_s"] is None for change in plan} == {True, False}
    odi, psfs = document["measures"]
    assert (odi["measure"], odi["answers"][2], odi["activities"], odi["score"]) == (
        "odi", None, [], 35.56,
    )  # fmt: skip
    assert (psfs["activities"][2], psfs["score"]) == ("lifting; carrying", 4.33)


def test_each_one_table_export_validates(run: Any, story: None) -> None:
    for table in TABLES:
        document = export(run, "--table", table)
        assert set(document) == HEADER_KEYS | {table}
        assert document[table]
        assert_valid(DOCUMENT, document)


def test_every_ndjson_line_validates_in_the_documented_order(run: Any, story: None) -> None:
    lines = [json.loads(line) for line in export(run, "--format", "ndjson").splitlines()]
    for line in lines:
        assert_valid(LINE, line)
    types = [line["type"] for line in lines]
    assert types[:2] == ["export", "profile"]
    assert types == sorted(types, key=LINE_ORDER.index)
    assert set(types) == set(LINE_ORDER)
    # Each record line is the JSON export's record plus its "type".
    document = export(run)
    for kind in KINDS:
        records = [line for line in lines if line["type"] == kind.line_type]
        assert [{**line, "type": None} for line in records] == [
            {"type": None, **record} for record in document[kind.table]
        ]


def test_the_export_of_an_empty_store_validates(run: Any) -> None:
    document = export(run)
    assert_valid(DOCUMENT, document)
    assert document["profile"] == {
        "id": None,
        "name": None,
        "side": None,
        "pool": False,
        "preference": None,
        "contact": None,
    }
    assert all(document[table] == [] for table in TABLES)
    for table in TABLES:
        assert_valid(DOCUMENT, export(run, "--table", table))
    lines = export(run, "--format", "ndjson").splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["export", "profile"]
    for line in lines:
        assert_valid(LINE, json.loads(line))


@pytest.mark.parametrize(
    "offset",
    [
        timedelta(0),
        timedelta(hours=5, minutes=30),
        -timedelta(hours=3),
        timedelta(minutes=19, seconds=32),  # Europe/Amsterdam's local mean time in 1900
        timedelta(seconds=1, microseconds=5),  # an odd offset read from an imported file
    ],
)
def test_the_timestamp_pattern_takes_every_time_ptcli_writes(offset: timedelta) -> None:
    moment = datetime(1900, 1, 2, 3, 4, 5, 678, tzinfo=timezone(offset))
    assert_valid(validator("timestamp"), timestamp(moment))
    assert_valid(validator("timestamp"), timestamp(moment.replace(year=2999)))


def _set(table: str, key: str, value: Any, index: int = 0) -> Callable[[Any], None]:
    def edit(document: Any) -> None:
        document[table][index][key] = value

    return edit


def _clear_with_exercise(document: Any) -> None:
    next(c for c in document["plan"] if c["action"] == "clear")["exercise"] = "walking"


def _set_without_exercise(document: Any) -> None:
    next(c for c in document["plan"] if c["action"] == "set")["exercise"] = None


def _drop_table(document: Any) -> None:
    del document["plan"]  # neither every table nor one


WRONG: dict[str, Callable[[Any], None]] = {
    "score 11": _set("pain", "score", 11),
    "score -1": _set("pain", "score", -1),
    "score 5.5": _set("pain", "score", 5.5),
    "unknown field in a record": _set("pain", "mood", "fine"),
    "at without offset": _set("pain", "at", "2026-03-01T08:00:00"),
    "at as a date": _set("sessions", "at", "2026-03-01"),
    "where knee": _set("pain", "where", "knee"),
    "where_after knee": _set("sessions", "where_after", "knee"),
    "missing key": lambda document: document["pain"][0].pop("note"),
    "bad id": _set("sessions", "id", "has space"),
    "sets 0": _set("sessions", "sets", 0),
    "hold_s 0": _set("sessions", "hold_s", 0),
    "pain_after true": _set("sessions", "pain_after", True),
    "note a number": _set("sessions", "note", 3),
    "screen item not an id": _set("screens", "yes", ["-fever"]),
    "blank clearance note": _set("clearances", "note", "   "),
    "plan clear with an exercise": _clear_with_exercise,
    "plan set without an exercise": _set_without_exercise,
    "plan action pause": _set("plan", "action", "pause"),
    "plan per_day 0": _set("plan", "per_day", 0),
    "profile side middle": lambda document: document["profile"].update(side="middle"),
    "profile pool as text": lambda document: document["profile"].update(pool="yes"),
    "profile unknown field": lambda document: document["profile"].update(age=40),
    "version 3": lambda document: document.update(version=3),
    "unknown top-level key": lambda document: document.update(notes=[]),
    "four of five tables": _drop_table,
}


def test_the_schema_rejects_what_import_refuses(run: Any, story: None) -> None:
    document = export(run)
    assert_valid(DOCUMENT, document)
    accepted = []
    for name, edit in WRONG.items():
        wrong = copy.deepcopy(document)
        edit(wrong)
        assert wrong != document, name
        if DOCUMENT.is_valid(wrong):
            accepted.append(name)
    assert accepted == []


def test_an_ndjson_line_of_the_wrong_shape_is_rejected(run: Any, story: None) -> None:
    lines = [json.loads(line) for line in export(run, "--format", "ndjson").splitlines()]
    pain = next(line for line in lines if line["type"] == "pain")
    header, profile = lines[0], lines[1]
    wrong = [
        {**pain, "score": 11},
        {**pain, "type": "session"},  # a pain entry's keys under another type
        {**pain, "type": "note"},
        {key: value for key, value in pain.items() if key != "type"},
        {**header, "version": 3},
        {**header, "profile": profile},  # the JSON document's shape is not a line
        {**profile, "type": "export"},
    ]
    assert [line for line in wrong if LINE.is_valid(line)] == []


def test_the_schema_declares_the_note_and_name_limits_import_keeps() -> None:
    """A script can check an export against the same limits import refuses above."""
    from ptcli.records import NAME_MAX, NOTE_MAX

    defs = json.loads(files("ptcli").joinpath("data", "export.schema.json").read_text())["$defs"]
    assert defs["note"]["maxLength"] == NOTE_MAX
    assert defs["profileFields"]["properties"]["name"]["maxLength"] == NAME_MAX
