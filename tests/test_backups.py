"""Snapshots beside the store, and db check | backups | restore."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BAD_INPUT, FAILURE = 2, 1


def names(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_day_s_first_change_keeps_the_store_as_it_was(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    assert not any(name.endswith(f"{date.today()}.bak") for name in names(db))  # new store
    before = db.read_bytes()
    run("pain", "log", "4")
    daily = db.with_name(f"ptcli.json.{date.today()}.bak")
    assert daily.read_bytes() == before and mode(daily) == 0o600
    run("pain", "log", "5")
    assert daily.read_bytes() == before  # once a day
    listed = run("--db", str(daily), "pain", "list", "--json").json()
    assert [p["score"] for p in listed] == [3]


def test_snapshots_older_than_7_days_are_removed(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    old = [db.with_name(f"ptcli.json.{date.today() - timedelta(days=n)}.bak") for n in (6, 7, 30)]
    for path in old:
        path.write_bytes(db.read_bytes())
    run("pain", "log", "4")
    assert [path.exists() for path in old] == [True, False, False]


def test_an_import_keeps_a_snapshot_before_it(run: Any, db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    run("--db", str(other), "pain", "log", "6")
    run("--db", str(other), "export", "--output", str(tmp_path / "e.json"))
    run("pain", "log", "3")
    before = db.read_bytes()
    assert run("import", str(tmp_path / "e.json"), "--dry-run").code == 0
    assert not any("before-import" in name for name in names(db))  # a dry run writes nothing
    assert run("import", str(tmp_path / "e.json")).code == 0
    [snapshot] = [db.with_name(n) for n in names(db) if ".before-import." in n]
    assert snapshot.read_bytes() == before and mode(snapshot) == 0o600


def test_a_migration_keeps_a_snapshot_before_it(run: Any, db: Path) -> None:
    from ptcli.storage.file_storage import Tables

    tables = Tables()
    tables["_meta"] = {"schema": {"schema_version": 1, "migrations": ["0001-initial"]}}
    tables["pain/2026-03"] = {
        "a": {
            "id": "a",
            "at": "2026-03-01T10:00:00+00:00",
            "score": 8,
            "where": None,
            "note": "after a guided session",
        }
    }
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(tables.save("ptcli.json.parts", pack=lambda line: ("pack.00000000", 0)).manifest)
    old = db.read_bytes()
    assert run("pain", "list", "--since", "2026-01-01").code == 0
    assert not any("before-migration" in name for name in names(db))  # a read writes nothing
    assert run("pain", "log", "3").code == 0
    [snapshot] = [db.with_name(n) for n in names(db) if ".before-migration." in n]
    assert snapshot.read_bytes() == old


def test_db_check_says_sound_or_what_is_wrong(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    run("delete", run("pain", "list", "--json").json()[0]["id"])
    sound = run("db", "check")
    assert sound.code == 0 and "is sound" in sound.out and "1 correction" in sound.out
    data = bytearray(db.read_bytes())
    data[-5] ^= 0x01  # one flipped bit in the last table
    db.write_bytes(bytes(data))
    damaged = run("db", "check")
    assert damaged.code == FAILURE and "damaged" in damaged.err and damaged.out == ""
    missing = run("db", "check", str(db.with_name("nothing.json")))
    assert missing.code == FAILURE and "no store" in missing.err


def test_db_check_notes_corrections_of_records_it_does_not_hold(
    run: Any, db: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    run("--db", str(other), "pain", "log", "6")
    entry = run("--db", str(other), "pain", "list", "--json").json()[0]["id"]
    run("--db", str(other), "pain", "edit", entry, "--score", "2")
    run("--db", str(other), "export", "--table", "corrections", "-o", str(tmp_path / "c.json"))
    assert run("import", str(tmp_path / "c.json")).code == 0
    checked = run("db", "check")
    assert checked.code == 0 and "1 correction name records this store does not hold" in checked.out


def test_db_backups_lists_them(run: Any, db: Path) -> None:
    assert "No snapshots" in run("db", "backups").out
    run("pain", "log", "3")
    run("pain", "log", "4")
    listed = run("db", "backups").out
    assert f"ptcli.json.{date.today()}.bak" in listed and "ptcli.json.bak" in listed
    assert "before the day's first write" in listed


def test_db_restore_puts_a_snapshot_back_and_keeps_the_store_as_it_was(
    run: Any, db: Path, monkeypatch: Any
) -> None:
    import io
    import sys

    run("pain", "log", "3")
    run("pain", "log", "4")  # the day's snapshot holds the 3 alone
    daily = f"ptcli.json.{date.today()}.bak"
    current = db.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    assert run("db", "restore", daily).code == 0
    assert db.read_bytes() == current
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    restored = run("db", "restore", daily)
    assert restored.code == 0, restored.err
    assert [p["score"] for p in run("pain", "list", "--json").json()] == [3]
    [kept] = [db.with_name(n) for n in names(db) if ".before-restore." in n]
    assert kept.read_bytes() == current and mode(db) == 0o600


def test_db_restore_keeps_the_safety_answers_made_after_the_snapshot(run: Any, db: Path) -> None:
    """Restoring yesterday's store must not take back today's emergency answer, nor a
    flag cleared since (review, 2026-11-29: the restored store showed no flag)."""
    run("pain", "log", "2", "--where", "thigh")  # the store's first write
    daily = f"ptcli.json.{date.today()}.bak"  # kept before the next write: the 2 alone
    assert run("screen", "--yes", "saddle-numbness", "--no-others").code == 3
    run("screen", "--yes", "fever")
    run("flag", "clear", "fever", "--note", "seen by GP")
    run("pain", "log", "5", "--where", "thigh")
    restored = run("db", "restore", daily, "--yes")
    assert restored.code == 0, restored.err
    assert "Kept 3 safety records" in restored.out
    assert [p["score"] for p in run("pain", "list", "--json").json()] == [2]  # the snapshot's
    assert run("today", "--json").json()["status"] == "blocked"
    flags = run("flag", "list", "--json").json()
    assert [f["item"] for f in flags["flags"]] == ["saddle-numbness"]


def test_db_restore_refuses_what_is_not_a_sound_snapshot(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    unknown = run("db", "restore", "nothing.bak", "--yes")
    assert unknown.code == BAD_INPUT and "db backups" in unknown.err
    itself = run("db", "restore", str(db), "--yes")
    assert itself.code == BAD_INPUT
    broken = db.with_name("broken.bak")
    broken.write_text(json.dumps({"not": "a store"}))
    before = db.read_bytes()
    refused = run("db", "restore", "broken.bak", "--yes")
    assert refused.code == FAILURE and "cannot be restored" in refused.err
    assert db.read_bytes() == before


def test_a_snapshot_of_a_store_with_a_wider_mode_is_private(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    os.chmod(db, 0o644)
    run("pain", "log", "4")
    assert mode(db.with_name(f"ptcli.json.{date.today()}.bak")) == 0o600
