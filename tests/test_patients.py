"""ptcli patients (issue 18): a folder of stores, who needs the therapist first; each store
read only (never written, migrated or locked), a damaged one a line of its own."""

from __future__ import annotations

import fcntl
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from ptcli import overview
from ptcli.storage.file_storage import FileStorage
from ptcli.storage.stores import is_store, stores_in
from tests.conftest import at_hour


def day(back: int, hour: int = 8) -> str:
    return at_hour(date.today() - timedelta(days=back), hour)


@pytest.fixture
def folder(run: Any, tmp_path: Path) -> Path:
    """Five patients: one of each kind of attention, and one who is fine."""
    where = tmp_path / "patients"
    where.mkdir()

    def at(name: str, *args: str) -> None:
        result = run("--db", str(where / f"{name}.json"), *args)
        assert result.code in (0, 3), (name, args, result.err)

    for name, title in [("ok", "Olga Fine"), ("em", "Emil Flag"), ("sp", "Sara Spread"),
                        ("fl", "Flo Flare"), ("si", "Sid Silent")]:  # fmt: skip
        at(name, "init", "--name", title)
        at(name, "screen", "--no-others", "--at", day(10))
    for back in range(8, 0, -1):  # a week of mornings at 2, at the back
        for name in ("ok", "fl", "sp"):
            at(name, "pain", "log", "2", "--where", "back", "--at", day(back))
    at("ok", "pain", "log", "2", "--where", "back")
    at("ok", "session", "log", "walking", "--pain-after", "2")
    at("ok", "measure", "odi", "--scores", "3,3,3,3,3,3,3,3,3,3", "--at", day(20))
    at("ok", "measure", "odi", "--scores", "2,2,2,2,2,2,2,2,2,2")
    at("fl", "pain", "log", "6", "--where", "back", "--at", day(0, 7))  # 4 above the week
    at("sp", "pain", "log", "2", "--where", "calf", "--at", day(0, 7))  # further down
    at("em", "pain", "log", "3", "--where", "back", "--flag", "bladder")
    at("si", "pain", "log", "3", "--where", "back", "--at", day(6))
    (where / "notes.txt").write_text("not a store\n")
    return where


def test_who_needs_attention_comes_first(run: Any, folder: Path) -> None:
    result = run("patients", str(folder), "--json")
    assert (result.code, result.err) == (0, "")
    rows = result.json()
    assert [(r["name"], r["attention"]) for r in rows] == [
        ("Emil Flag", ["emergency flag (bladder)"]),
        ("Sara Spread", ["spreading"]),
        ("Flo Flare", ["flare"]),
        ("Sid Silent", ["silent (6 days)"]),
        ("Olga Fine", []),
    ]
    fine = rows[-1]
    assert fine["days_exercised_this_week"] == 1
    assert (fine["band_week_ago"], fine["band_today"]) == ("green", "green")
    assert fine["last_measure"] == f"ODI 40 % (meaningful improvement) on {date.today()}"
    assert rows[0]["flags"] == ["bladder"]
    assert rows[2]["band_today"] == "amber"
    shown = run("patients", str(folder)).out.splitlines()
    assert shown[:2] == [
        "NEEDS YOU: Emil Flag: emergency flag (bladder)",
        "  last log today; pain green; exercised 0/7 days; no measure",
    ]
    measure = f"ODI 40\u00a0% (meaningful improvement) on {date.today()}"
    assert shown[-2:] == [
        "Olga Fine",
        f"  last log today; pain green; exercised 1/7 days; {measure}",
    ]


def test_stores_are_only_read_never_written_migrated_or_locked(run: Any, folder: Path) -> None:
    store = folder / "ok.json"
    # An older store, with a migration pending: patients reads it, and leaves it so.
    storage = FileStorage(store)
    with storage.transaction():
        tables = storage.read()
        tables["_meta"] = {"schema": {"schema_version": 1, "migrations": ["0001-initial"]}}
        storage.write(tables)
    for extra in folder.glob("*.json.*"):  # backups, snapshots, locks of the set-up
        if extra.is_file():  # not a store's folder of months
            extra.unlink()

    def files() -> dict[str, tuple[bytes, int]]:
        found = (path for path in folder.rglob("*") if path.is_file())
        return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in found}

    before = files()
    # A patient writing at this moment holds the write lock: patients does not wait for it.
    lock = os.open(folder / "ok.json.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        assert run("patients", str(folder)).code == 0
    finally:
        os.close(lock)
    (folder / "ok.json.lock").unlink()
    assert files() == before


def test_a_damaged_store_is_a_line_saying_so(run: Any, folder: Path) -> None:
    broken = folder / "zz.json"
    broken.write_bytes((folder / "ok.json").read_bytes()[:-41] + b"x" * 40 + b"\n")
    rows = run("patients", str(folder), "--json").json()
    damaged = [r for r in rows if r["damaged"]]
    assert [Path(r["store"]).name for r in damaged] == ["zz.json"]
    assert "does not match its checksum" in damaged[0]["damaged"]
    # After every patient at risk, before those who are fine.
    assert [Path(r["store"]).stem for r in rows] == ["em", "sp", "fl", "si", "zz", "ok"]
    line = [s for s in run("patients", str(folder)).out.splitlines() if "zz.json" in s]
    assert line[0].startswith("DAMAGED zz.json: the store ")


def test_stores_are_told_by_their_header_not_their_name(folder: Path) -> None:
    (folder / "renamed.data").write_bytes((folder / "ok.json").read_bytes())
    (folder / "fake.json").write_text('{"format":"something-else"}\n')
    names = [path.name for path in stores_in(folder)]
    assert "renamed.data" in names and "fake.json" not in names and "notes.txt" not in names
    assert not any(name.endswith((".bak", ".lock")) for name in names)
    assert is_store(folder / "ok.json") and not is_store(folder)


def test_the_parallel_reading_gives_the_same_lines(
    run: Any, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = run("patients", str(folder), "--json").out
    monkeypatch.setattr(overview, "PARALLEL_FROM", 2)
    assert run("patients", str(folder), "--json").out == serial


def test_an_empty_folder_and_a_missing_one(run: Any, tmp_path: Path) -> None:
    result = run("patients", str(tmp_path))
    assert (result.code, result.out) == (0, "No patient stores in this folder.\n")
    missing = run("patients", str(tmp_path / "nowhere"))
    assert (missing.code, missing.out) == (2, "")
    assert missing.err.startswith("ptcli: ") and "is not a folder" in missing.err
