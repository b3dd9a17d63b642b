"""Import files and stores from anywhere (issue 12): every note survives a round trip, and a
hostile or broken file is refused in one line (exit 2), with nothing written."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptcli.records import NAME_MAX, NOTE_MAX
from ptcli.render.csv_format import FORMULA

PAIN = {"id": "p1", "at": "2026-03-02T08:00:00+00:00", "score": 3, "where": None, "note": None}
_stores = itertools.count()


def export_file(tmp_path: Path, pain: list[dict[str, Any]] | None = None, **top: Any) -> Path:
    document = {"format": "ptcli-export", "version": 1, "profile": None, "pain": pain or [PAIN]}
    path = tmp_path / f"in-{next(_stores)}.json"
    path.write_text(json.dumps({**document, **top}))
    return path


def refused(result: Any, *words: str) -> None:
    """Exit 2, one line on stderr starting 'ptcli: ', never an unexpected error."""
    assert result.code == 2, result
    assert result.err.startswith("ptcli: ") and result.err.count("\n") == 1, result.err
    assert "unexpected" not in result.err and "Traceback" not in result.err
    for word in words:
        assert word in result.err, result.err


# 1. Any note round-trips through JSON and NDJSON, and CSV keeps it apart from the guard


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any text an argument can carry: a real command line cannot hold a NUL (ptcli refuses one).
@given(
    note=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=120
    )
)
def test_any_note_round_trips_through_json_ndjson_and_csv(
    run: Any, tmp_path: Path, note: str
) -> None:
    n = next(_stores)
    source = tmp_path / f"source-{n}.json"
    assert run("--db", str(source), "pain", "log", "3", f"--note={note}").code == 0
    for fmt in ("json", "ndjson"):
        path, copy = tmp_path / f"{n}.{fmt}", tmp_path / f"copy-{n}-{fmt}.json"
        assert run("--db", str(source), "export", "--format", fmt, "--output", str(path)).code == 0
        result = run("--db", str(copy), "import", str(path))
        assert result.code == 0, result.err
        assert run("--db", str(copy), "export").json()["pain"][0]["note"] == note
    out = run("--db", str(source), "export", "--format", "csv", "--table", "pain").out
    [row] = list(csv.DictReader(io.StringIO(out, newline="")))
    assert row["note"] == (f"'{note}" if FORMULA.match(note) else note)


def test_ndjson_splits_lines_only_at_newlines(run: Any, tmp_path: Path) -> None:
    note = "a\u2028b\u2029c\x85d\re\x0bf\x1cg"
    run("pain", "log", "3", "--note", note)
    path = tmp_path / "all.ndjson"
    assert run("export", "--format", "ndjson", "--output", str(path)).code == 0
    copy = tmp_path / "copy.json"
    assert run("--db", str(copy), "import", str(path)).code == 0
    assert run("--db", str(copy), "export").json()["pain"][0]["note"] == note


# 2. Invalid text is refused up front, in the dry run as in the import


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_lone_surrogate_is_refused_by_the_dry_run_and_the_import(
    run: Any, tmp_path: Path, db: Path, dry_run: bool
) -> None:
    path = tmp_path / "surrogate.json"
    document = {"format": "ptcli-export", "version": 1, "pain": [{**PAIN, "note": "x"}]}
    path.write_text(json.dumps(document).replace('"x"', '"\\ud800"'))
    result = run("import", str(path), *(["--dry-run"] if dry_run else []))
    refused(result, "pain[0]", "'note'", "not valid text")
    assert not db.exists()


def test_a_lone_surrogate_in_a_name_or_an_argument_is_refused(
    run: Any, tmp_path: Path, db: Path
) -> None:
    path = tmp_path / "surrogate.json"
    profile = {"id": "abc", "name": "x"}
    path.write_text(json.dumps({"format": "ptcli-export", "version": 1, "profile": profile}))
    path.write_text(path.read_text().replace('"x"', '"\\udcff"'))
    refused(run("import", str(path), "--dry-run"), "profile", "'name'")
    refused(run("pain", "log", "3", "--note", "bad \udcff byte"), "--note", "not valid text")
    refused(run("flag", "clear", "fever", "--note", "\udcff"), "--note")
    assert not db.exists()


# 3. Another patient's export


def patient(run: Any, store: Path, name: str | None, score: str = "3") -> None:
    run("--db", str(store), "init", *(["--name", name] if name else []))
    run("--db", str(store), "pain", "log", score, "--at", "2026-03-02T08:00")


def test_another_patients_export_is_refused_naming_both(run: Any, tmp_path: Path) -> None:
    alex, sam = tmp_path / "alex.json", tmp_path / "sam.json"
    patient(run, alex, "Alex", "7")
    patient(run, sam, "Sam")
    path = tmp_path / "alex-export.json"
    run("--db", str(alex), "export", "--output", str(path))
    before = sam.read_bytes()
    for dry in ([], ["--dry-run"]):
        refused(run("--db", str(sam), "import", str(path), *dry), "Alex", "Sam", "--into-this")
    assert sam.read_bytes() == before
    result = run("--db", str(sam), "import", str(path), "--into-this-patient")
    assert result.code == 0, result.err
    after = run("--db", str(sam), "export").json()
    assert after["profile"]["name"] == "Sam" and len(after["pain"]) == 2


def test_unnamed_patients_are_named_by_their_ids(run: Any, tmp_path: Path) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    patient(run, one, None)
    patient(run, two, None)
    path = tmp_path / "one-export.json"
    run("--db", str(one), "export", "--output", str(path))
    ids = [run("--db", str(s), "export").json()["profile"]["id"] for s in (one, two)]
    refused(run("--db", str(two), "import", str(path)), *ids)


def test_a_second_device_or_an_older_store_takes_the_exports_profile(
    run: Any, tmp_path: Path
) -> None:
    alex, phone = tmp_path / "alex.json", tmp_path / "phone.json"
    patient(run, alex, "Alex")
    path = tmp_path / "alex-export.json"
    run("--db", str(alex), "export", "--output", str(path))
    run("--db", str(phone), "pain", "log", "2")  # never init: no profile
    assert run("--db", str(phone), "import", str(path)).code == 0
    profile = run("--db", str(phone), "export").json()["profile"]
    assert profile == run("--db", str(alex), "export").json()["profile"]
    # The same patient's export imports again, and back
    assert run("--db", str(phone), "import", str(path)).code == 0
    back = tmp_path / "phone-export.json"
    run("--db", str(phone), "export", "--output", str(back))
    assert run("--db", str(alex), "import", str(back)).code == 0
    # An export from before profile ids (no id) is not judged
    old = export_file(tmp_path, profile={"name": "Someone"})
    assert run("--db", str(alex), "import", str(old)).code == 0
    # A store whose profile has no id (made before ids) takes the export's id, keeps its name
    # (its records' first write gave it a provisional id meanwhile: FHIR, "For clinics")
    older = tmp_path / "older.json"
    assert run("--db", str(older), "import", str(old)).code == 0
    assert run("--db", str(older), "export").json()["profile"]["provisional"] is True
    result = run("--db", str(older), "import", str(path))
    assert result.code == 0 and "profile filled in" in result.out
    profile = run("--db", str(older), "export").json()["profile"]
    assert (profile["name"], profile["id"]) == (
        "Someone",
        run("--db", str(alex), "export").json()["profile"]["id"],
    )


# 4. The CSV formula guard


@pytest.mark.parametrize(
    "text", ["=1+1", " =1+1", "  +A1", "'=cmd", '"@SUM(A1)', " '-2", "\t1", "\r1", "\u00a0=1"]
)
def test_formulas_behind_spaces_or_quotes_are_made_inert(run: Any, text: str) -> None:
    run("pain", "log", "3", "--note", text)
    out = run("export", "--format", "csv", "--table", "pain").out
    [row] = csv.DictReader(io.StringIO(out, newline=""))
    assert row["note"] == f"'{text}"


@pytest.mark.parametrize("text", ["ok = fine", "a-b", "it's 'fine'", "x@y", " plain", "'quoted'"])
def test_other_text_is_written_as_it_is(run: Any, text: str) -> None:
    run("pain", "log", "3", "--note", text)
    out = run("export", "--format", "csv", "--table", "pain").out
    [row] = csv.DictReader(io.StringIO(out, newline=""))
    assert row["note"] == text


# 5. Broken files: exit 2, one line


def test_broken_files_are_refused_in_one_line(run: Any, tmp_path: Path, db: Path) -> None:
    header = '{"type": "export", "format": "ptcli-export", "version": 1}\n'
    files = {
        "nested.json": ("[" * 100_000 + "]" * 100_000).encode(),
        "nested.ndjson": (
            header + '{"type": "pain", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
        ).encode(),
        "utf16.ndjson": (header + json.dumps({"type": "pain", **PAIN}) + "\n").encode("utf-16"),
        "utf16be.ndjson": header.encode("utf-16-be"),
        "list-line.ndjson": (header + "[1, 2]\n").encode(),
        "list-type.ndjson": (header + '{"type": ["pain"]}\n').encode(),
        "list-first.ndjson": b"[1]\n[2]\n",
        "version-true.json": json.dumps(
            {"format": "ptcli-export", "version": True, "pain": []}
        ).encode(),
        "version-float.json": b'{"format": "ptcli-export", "version": 1.0}',
        "version-true.ndjson": b'{"type": "export", "format": "ptcli-export", "version": true}\n',
        "latin1.json": '{"format": "ptcli-export", "version": 1, "x": "\xe9"}'.encode("latin-1"),
        "huge-int.json": b'{"format": "ptcli-export", "version": 1' + b"1" * 5000 + b"}",
        "year-1.json": json.dumps(
            {"format": "ptcli-export", "version": 1, "pain": [{**PAIN, "at": "0001-01-01T00:00"}]}
        ).encode(),
        "year-9999.json": json.dumps(
            {
                "format": "ptcli-export",
                "version": 1,
                "pain": [{**PAIN, "at": "9999-12-31T23:00:00-12:00"}],
            }
        ).encode(),
        "where-dict.json": json.dumps(
            {"format": "ptcli-export", "version": 1, "pain": [{**PAIN, "where": {"a": 1}}]}
        ).encode(),
        "side-list.json": json.dumps(
            {"format": "ptcli-export", "version": 1, "profile": {"side": ["left"]}}
        ).encode(),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        for dry in ([], ["--dry-run"]):
            result = run("import", str(path), *dry)
            refused(result, str(path))
    assert not db.exists()


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_a_file_with_a_byte_order_mark_is_read(run: Any, tmp_path: Path, fmt: str) -> None:
    run("pain", "log", "3", "--note", "é")
    data = run("export", "--format", fmt).out.encode()
    path = tmp_path / f"bom.{fmt}"
    path.write_bytes(b"\xef\xbb\xbf" + data)
    copy = tmp_path / "copy.json"
    result = run("--db", str(copy), "import", str(path))
    assert result.code == 0, result.err
    assert run("--db", str(copy), "export").json()["pain"][0]["note"] == "é"


def test_a_broken_file_through_a_real_process_is_one_line(tmp_path: Path) -> None:
    from tests.conftest import run_process

    path = tmp_path / "nested.json"
    path.write_text("[" * 200_000)
    result = run_process("import", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("ptcli: ") and result.stderr.count("\n") == 1


# 6. Size limits


def test_notes_above_the_limit_are_refused_at_input(run: Any, db: Path) -> None:
    long = "x" * (NOTE_MAX + 1)
    refused(run("pain", "log", "3", "--note", long), "--note", f"{NOTE_MAX:,}")
    refused(run("session", "log", "walking", "--note", long), "--note", f"{NOTE_MAX:,}")
    assert not db.exists() or run("export").json()["pain"] == []
    run("screen", "--yes", "fever")
    refused(run("flag", "clear", "fever", "--note", long), "--note")
    assert run("flag", "list", "--json").json()["flags"][0]["active"]
    assert run("pain", "log", "3", "--note", "x" * NOTE_MAX).code == 0
    refused(run("init", "--name", "n" * (NAME_MAX + 1)), "--name", f"{NAME_MAX:,}")
    refused(run("init", "--name", "\udcff"), "--name", "not valid text")
    assert run("export").json()["profile"]["name"] is None


@pytest.mark.parametrize(
    ("table", "record", "field"),
    [
        ("pain", {**PAIN, "note": "x" * (NOTE_MAX + 1)}, "'note'"),
        (
            "sessions",
            {
                "id": "s1",
                "at": "2026-03-02T08:00:00+00:00",
                "exercise": "w" * 10_000,
                "sets": 1,
                "reps": 1,
                "hold_s": None,
                "pain_after": None,
                "where_after": None,
                "note": None,
            },
            "'exercise'",
        ),
    ],
)
def test_text_above_the_limit_is_refused_at_import(
    run: Any, tmp_path: Path, db: Path, table: str, record: dict[str, Any], field: str
) -> None:
    path = export_file(tmp_path, **{table: [record]})
    refused(run("import", str(path)), f"{table}[0]", field, "longer than")
    path = export_file(tmp_path, profile={"name": "n" * (NAME_MAX + 1)})
    refused(run("import", str(path), "--dry-run"), "profile", "'name'")
    assert not db.exists()


# 7. A store edited by hand, its checksums recomputed


def rewrite(store: Path, edit: Any) -> None:
    """Apply ``edit`` to each table of ``store`` and recompute the header (a careful hand-edit)."""
    header, *lines = store.read_bytes().split(b"\n")[:-1]
    tables = json.loads(header)["tables"]
    out = []
    for name, line in zip(tables, lines, strict=True):
        table = json.loads(line)
        edit(name, table)
        line = json.dumps(table, separators=(",", ":")).encode()
        tables[name] = [zlib.crc32(line), len(line)]
        out.append(line)
    head = json.dumps({**json.loads(header), "tables": tables}, separators=(",", ":")).encode()
    store.write_bytes(b"\n".join([head, *out]) + b"\n")


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [("pain", "score", 99), ("pain", "at", None), ("pain", "note", 5), ("profile", "side", "up")],
)
def test_a_hand_edited_store_is_a_damaged_store_naming_the_record(
    run: Any, tmp_path: Path, db: Path, table: str, field: str, value: Any
) -> None:
    run("init", "--name", "Sam")
    run("pain", "log", "3")
    path = tmp_path / "export.json"
    run("export", "--output", str(path))

    def edit(name: str, documents: dict[str, Any]) -> None:
        if name.split("/")[0] == table:
            for document in documents.values():
                document[field] = value

    rewrite(db, edit)
    before = db.read_bytes()
    commands = [
        ["history"],
        ["pain", "list"],
        ["export"],
        ["export", "--format", "ndjson"],
        ["import", str(path)],
        ["today"],
    ]
    for command in commands:
        if table == "profile" and command[0] != "export" and command[0] != "import":
            continue  # they do not read the profile
        result = run(*command)
        assert result.code == 1, (command, result)
        assert result.err.startswith("ptcli: the store ") and "damaged" in result.err
        assert result.err.count("\n") == 1 and "unexpected" not in result.err
        assert "profile" in result.err if table == "profile" else "'pain/" in result.err
    assert db.read_bytes() == before


# Fuzz: any value in any field of any record, in JSON or NDJSON


SESSION = {
    "id": "s1",
    "at": "2026-03-02T09:00:00+00:00",
    "exercise": "walking",
    "sets": 1,
    "reps": 1,
    "hold_s": 600,
    "pain_after": 2,
    "where_after": "thigh",
    "note": "ok",
}
SCREEN = {"id": "q1", "at": "2026-03-02T07:00:00+00:00", "yes": ["fever"], "no": []}
CLEARANCE = {"id": "c1", "at": "2026-03-02T10:00:00+00:00", "item": "fever", "note": "seen"}
CLEARANCE = {**CLEARANCE, "reports": ["q1"]}
PLAN = {"id": "l1", "at": "2026-03-02T11:00:00+00:00", "action": "set", "exercise": "walking"}
PLAN = {**PLAN, "sets": 1, "reps": 2, "hold_s": None, "per_day": None}
PROFILE = {"id": "abc", "name": "Ann", "side": "left", "pool": False, "preference": None}
RECORDS = {"pain": PAIN, "sessions": SESSION, "screens": SCREEN, "clearances": CLEARANCE}
RECORDS = {**RECORDS, "plan": PLAN, "profile": PROFILE}
LINE_TYPES = {"sessions": "session", "screens": "screen", "clearances": "clearance"}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@settings(
    max_examples=int(os.environ.get("PTCLI_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    table=st.sampled_from(sorted(RECORDS)),
    field=st.sampled_from([*sorted({k for r in RECORDS.values() for k in r}), "type", "extra"]),
    value=JSON_VALUES,
    ndjson=st.booleans(),
)
def test_any_value_in_any_field_imports_or_is_refused_in_one_line(
    run: Any, tmp_path: Path, table: str, field: str, value: Any, ndjson: bool
) -> None:
    record = {**RECORDS[table], field: value}
    parts = {name: ([r] if name != "profile" else r) for name, r in RECORDS.items()}
    parts[table] = record if table == "profile" else [record]
    if ndjson:
        lines = [{"type": "export", "format": "ptcli-export", "version": 1}]
        for name, part in parts.items():
            kind = LINE_TYPES.get(name, name)
            lines += [{"type": kind, **r} for r in (part if isinstance(part, list) else [part])]
        text = "\n".join(json.dumps(line) for line in lines) + "\n"
    else:
        text = json.dumps({"format": "ptcli-export", "version": 1, **parts})
    path = tmp_path / f"fuzz-{next(_stores)}.json"
    path.write_text(text, errors="surrogatepass")
    store = tmp_path / f"store-{next(_stores)}.json"
    dry = run("--db", str(store), "import", str(path), "--dry-run")
    result = run("--db", str(store), "import", str(path))
    assert (dry.code, dry.err.startswith("ptcli: ")) == (
        result.code,
        result.err.startswith("ptcli: "),
    )
    assert result.code in (0, 2), result
    if result.code:
        refused(result)
        assert not store.exists()
    else:
        assert run("--db", str(store), "export").code == 0
        assert run("--db", str(store), "history", "--since", "2026-03-01").code == 0


@pytest.mark.parametrize(
    "line",
    [b"[]", b"{nope", b'{"x": 5}', b'{"x": [1]}', b'{"x": {"id": "x", "note": "\\ud800"}}'],
)
@pytest.mark.parametrize("table", ["pain", "profile", "_meta"])
def test_a_hand_edited_table_that_is_not_records_is_a_damaged_store(
    run: Any, tmp_path: Path, db: Path, table: str, line: bytes
) -> None:
    run("init", "--name", "Sam")
    run("pain", "log", "3")
    path = tmp_path / "export.json"
    run("export", "--output", str(path))
    header, *lines = db.read_bytes().split(b"\n")[:-1]
    tables = json.loads(header)["tables"]
    for index, name in enumerate(tables):
        if name.split("/")[0] == table:
            lines[index] = line
            tables[name] = [zlib.crc32(line), len(line)]
    head = json.dumps({**json.loads(header), "tables": tables}).encode()
    db.write_bytes(b"\n".join([head, *lines]) + b"\n")
    before = db.read_bytes()
    for command in (["export"], ["import", str(path)], ["today"], ["pain", "log", "2"]):
        result = run(*command)
        if result.code == 0 and table == "profile" and command[0] == "pain":
            # It does not read the profile: the damaged table is kept as it was.
            assert line in db.read_bytes()
            continue
        assert result.code == 1, (command, result)
        assert result.err.startswith("ptcli: the store ") and "damaged" in result.err
        assert f"table '{table}" in result.err and result.err.count("\n") == 1
        assert db.read_bytes() == before
