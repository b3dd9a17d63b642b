"""Export (JSON, CSV) and import: round trips, idempotence, and files import refuses whole."""

from __future__ import annotations

import csv
import io
import json
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest

PAIN_KEYS = ["id", "at", "score", "where", "note"]
SESSION_KEYS = [
    "id",
    "at",
    "exercise",
    "sets",
    "reps",
    "hold_s",
    "pain_after",
    "where_after",
    "note",
]


@pytest.fixture
def logged(run: Any) -> None:
    run("init", "--name", "Ann Example", "--side", "left", "--pool")
    run(
        "pain",
        "log",
        "6",
        "--where",
        "calf",
        "--at",
        "2026-03-01T08:00",
        "--note",
        "bad night, 'quoted' \"too\"",
    )
    run("pain", "log", "3", "--where", "thigh", "--at", "2026-03-02T08:00")
    run(
        "session",
        "log",
        "prone-lying",
        "--at",
        "2026-03-02T09:00",
        "--pain-after",
        "2",
        "--where-after",
        "buttock",
    )
    run("session", "log", "walking", "--hold", "900", "--at", "2026-03-02T17:00")


def export(run: Any, *args: str) -> dict[str, Any]:
    result = run("export", *args)
    assert result.code == 0 and result.err == ""
    return result.json()  # type: ignore[no-any-return]


def test_json_export_holds_everything_with_the_documented_keys(run: Any, logged: None) -> None:
    document = export(run)
    assert set(document) == {
        *("format", "version", "exported_at", "profile", "pain", "sessions"),
        *("screens", "clearances", "plan", "corrections", "appointments", "lessons"),
        *("assessments", "measures"),
    }
    assert (document["format"], document["version"]) == ("ptcli-export", 2)
    assert document["profile"] == {
        "id": ANY,
        "name": "Ann Example",
        "side": "left",
        "pool": True,
        "preference": None,
        "contact": None,
    }
    assert len(document["profile"]["id"]) == 20
    assert [list(entry) for entry in document["pain"]] == [PAIN_KEYS, PAIN_KEYS]
    assert [list(entry) for entry in document["sessions"]] == [SESSION_KEYS, SESSION_KEYS]
    assert document["pain"][0]["at"].startswith("2026-03-01T08:00:00")
    assert document["sessions"][1]["hold_s"] == 900


def test_export_filters_by_table_and_date(run: Any, logged: None) -> None:
    only_pain = export(run, "--table", "pain", "--since", "2026-03-02")
    assert "sessions" not in only_pain
    assert [entry["score"] for entry in only_pain["pain"]] == [3]


def test_csv_export_has_fixed_columns_and_round_trips_text(run: Any, logged: None) -> None:
    result = run("export", "--format", "csv", "--table", "pain")
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == [*PAIN_KEYS, "after_exercise", "local_time"]
    assert rows[1][2:-1] == ["6", "calf", "bad night, 'quoted' \"too\"", ""]
    sessions = list(
        csv.DictReader(io.StringIO(run("export", "--format", "csv", "--table", "sessions").out))
    )
    assert [row["exercise"] for row in sessions] == ["prone-lying", "walking"]
    assert sessions[1]["pain_after"] == ""


def test_csv_local_time_is_the_moment_on_this_machines_clock(
    run: Any, zone: Callable[[str], None]
) -> None:
    assert run("pain", "log", "4", "--at", "2026-03-02T08:10:00+00:00").code == 0
    zone("Asia/Tokyo")  # UTC+9
    [row] = csv.DictReader(io.StringIO(run("export", "--format", "csv", "--table", "pain").out))
    assert row["at"] == "2026-03-02T08:10:00+00:00"  # kept as it was, for scripts
    assert row["local_time"] == "2026-03-02 17:10:00"


def test_csv_with_bom_is_read_as_utf_8_and_bom_is_only_for_csv(run: Any, tmp_path: Path) -> None:
    assert run("pain", "log", "4", "--note", "Étirement 🙂").code == 0
    target = tmp_path / "pain.csv"
    assert run("export", "--format", "csv", "--table", "pain", "--bom", "-o", str(target)).code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,at,")
    [row] = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    assert row["note"] == "Étirement 🙂"
    plain = run("export", "--format", "csv", "--table", "pain").out
    assert not plain.startswith("\ufeff")  # only when asked: scripts read the header as is
    for fmt in ("json", "ics"):
        result = run("export", "--format", fmt, "--bom")
        assert (result.code, result.out) == (2, "")
        assert result.err == (
            "ptcli: --bom is for --format csv (JSON and calendars must not start with one)\n"
        )


def test_import_into_another_store_reproduces_the_export(
    run: Any, logged: None, tmp_path: Path
) -> None:
    assert run("export", "--output", str(tmp_path / "out.json")).out == ""
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o600
    other = str(tmp_path / "other.json")
    result = run("--db", other, "import", str(tmp_path / "out.json"))
    assert result.code == 0
    assert (
        result.out
        == "Imported 2 pain entries and 2 sessions; 0 already present; profile filled in.\n"
    )
    original = export(run)
    copied = run("--db", other, "export").json()
    for key in ("profile", "pain", "sessions"):
        assert copied[key] == original[key]


def test_importing_twice_adds_nothing_and_leaves_the_file_alone(
    run: Any, logged: None, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "out.json"
    run("export", "--output", str(path))
    before = db.read_bytes()
    result = run("import", str(path))
    assert result.out == "Imported nothing new; 4 already present.\n"
    assert db.read_bytes() == before


def test_a_conflicting_record_resolves_to_the_newer_version_either_way(
    run: Any, logged: None, tmp_path: Path
) -> None:
    original = export(run)
    later = json.loads(json.dumps(original))
    later["pain"][0]["at"] = "2026-03-01T09:00:00+00:00"  # an edit that moved it an hour on
    later["pain"][0]["score"] = 4
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(later))
    pain_id = original["pain"][0]["id"]
    result = run("import", str(path))
    assert result.code == 0
    assert result.out == "Imported nothing new; 3 already present; 1 replaced by a newer version.\n"
    assert result.err == (
        f"ptcli: 1 records differ from the store; the imported, newer version wins: {pain_id}\n"
    )
    first = export(run)["pain"][0]
    assert (first["id"], first["score"]) == (pain_id, 4)
    # The older version coming back (another device's export) does not undo it.
    path.write_text(json.dumps(original))
    again = run("import", str(path))
    assert again.err == (
        f"ptcli: 1 records differ from the store; the stored, newer version wins: {pain_id}\n"
    )
    assert [e["score"] for e in export(run)["pain"]] == [4, 3]


def test_dry_run_reports_and_changes_nothing(
    run: Any, logged: None, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "all.json"
    run("export", "--output", str(path))
    other = tmp_path / "other.json"
    dry = run("--db", str(other), "import", "--dry-run", str(path))
    assert dry.out.startswith("Would import 2 pain entries and 2 sessions; 0 already present")
    assert dry.out.endswith("(dry run: nothing was changed).\n")
    assert not other.exists()
    before = db.read_bytes()
    assert run("import", "--dry-run", str(path)).out.startswith("Would import nothing new")
    assert db.read_bytes() == before


def test_import_reads_standard_input(logged: None, tmp_path: Path) -> None:
    from tests.conftest import run_process

    exported = run_process("export").stdout
    other = str(tmp_path / "piped.json")
    process = run_process("--db", other, "import", "-", input=exported)
    assert process.returncode == 0, process.stderr
    assert process.stdout.startswith("Imported 2 pain entries and 2 sessions")


def test_export_pipes_into_another_program(logged: None) -> None:
    export_process = subprocess.Popen(
        [sys.executable, "-m", "ptcli", "export"], stdout=subprocess.PIPE
    )
    reader = subprocess.run(
        [sys.executable, "-c", "import json, sys; print(len(json.load(sys.stdin)['pain']))"],
        stdin=export_process.stdout,
        capture_output=True,
        text=True,
    )
    assert export_process.wait() == 0
    assert reader.stdout == "2\n"


BAD_FILES = [
    (b"not json at all", "is not JSON: import reads files written by 'ptcli export'"),
    (b'{"format": "other"}', 'is not a ptcli export (no "format": "ptcli-export")'),
    (
        b'{"format": "ptcli-export", "version": 7}',
        "is export version 7; this ptcli reads versions 1 and 2",
    ),
    (b'{"format": "ptcli-export", "version": 1, "pain": {}}', "'pain' must be a list"),
    (
        b'{"format": "ptcli-export", "version": 1, "pain": [{"id": "a", "at": "2026-01-01T08:00:00+00:00", "score": 11}]}',
        "pain[0]: 'score' must be a whole number from 0 to 10; nothing was imported",
    ),
    (
        b'{"format": "ptcli-export", "version": 1, "pain": [{"id": "a", "at": "yesterday", "score": 1}]}',
        "pain[0]: 'at' must be an ISO 8601 date-time",
    ),
    (
        b'{"format": "ptcli-export", "version": 1, "sessions": [{"id": "a", "at": "2026-01-01T08:00:00+00:00", '
        b'"exercise": "walking", "sets": 0, "reps": 1}]}',
        "sessions[0]: 'sets' must be a whole number from 1",
    ),
    (
        b'{"format": "ptcli-export", "version": 1, "pain": [{"id": "a", "at": "2026-01-01T08:00:00+00:00", '
        b'"score": 1, "mood": "ok"}]}',
        "pain[0]: unknown field 'mood'",
    ),
    (
        b'{"format": "ptcli-export", "version": 1, "profile": {"side": "middle"}}',
        "profile: 'side' must be one of",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_whole(
    run: Any, logged: None, db: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    before = db.read_bytes()
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run("import", str(path))
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"ptcli: {path}") and message in result.err
    assert result.err.count("\n") == 1
    assert db.read_bytes() == before


def test_csv_cells_a_spreadsheet_would_run_are_made_inert(run: Any) -> None:
    run("pain", "log", "3", "--note", '=HYPERLINK("http://x")')
    rows = list(
        csv.DictReader(io.StringIO(run("export", "--format", "csv", "--table", "pain").out))
    )
    assert rows[0]["note"] == '\'=HYPERLINK("http://x")'


def test_sessions_of_unknown_exercises_are_kept_with_a_warning(run: Any, tmp_path: Path) -> None:
    record = {
        "id": "s1",
        "at": "2026-01-01T08:00:00+00:00",
        "exercise": "clinic-only-move",
        "sets": 1,
        "reps": 5,
    }
    path = tmp_path / "custom.json"
    path.write_text(json.dumps({"format": "ptcli-export", "version": 1, "sessions": [record]}))
    result = run("import", str(path))
    assert result.code == 0
    assert "clinic-only-move" in result.err
    assert [s["exercise"] for s in export(run)["sessions"]] == ["clinic-only-move"]


def test_an_offset_with_seconds_is_written_in_utc(tmp_path: Path) -> None:
    """Amsterdam's 1900 offset was +00:19:32: not RFC 3339, so the time goes out in UTC."""
    from tests.conftest import run_process

    env = {"TZ": "Europe/Amsterdam"}
    assert run_process("pain", "log", "3", "--at", "1900-01-01T10:00", env=env).returncode == 0
    [entry] = json.loads(run_process("export", env=env).stdout)["pain"]
    assert entry["at"] == "1900-01-01T09:40:28+00:00"
