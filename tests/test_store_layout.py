"""The store's layout: a manifest and a file per month, written copy-on-write (issue #16).

Real processes where only they show the truth (kill -9, two writers at once)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptcli.domain.models import PainEntry
from ptcli.storage.file_storage import FORMAT_VERSION
from ptcli.storage.tinydb_store import open_file_store
from tests.conftest import run_process, start_writer

OLD_STORE = Path(__file__).parent / "data" / "single-file-store-v1.json"  # made by ptcli 2026-11


def parts(db: Path) -> dict[str, int]:
    """The store's month files: name -> inode."""
    folder = db.with_name(db.name + ".parts")
    return {p.name: p.stat().st_ino for p in folder.iterdir()} if folder.exists() else {}


def fill(run: Any, db: Path, score: int) -> None:
    """Three entries with long notes today: this month's table outgrows the manifest's
    inline tables and gets a file of its own."""
    for _ in range(3):
        assert run("--db", str(db), "pain", "log", str(score), "--note", "x" * 1900).code == 0


def history(tmp_path: Path, months: int) -> Path:
    """An export of ``months`` months of pain entries, two a day, ending last month."""
    first = date.today().replace(day=1) - timedelta(days=31 * months)
    pain = [
        {
            "id": f"h{n:06d}",
            "at": f"{first + timedelta(days=n // 2)}T{8 + 12 * (n % 2):02d}:00:00+00:00",
            "score": n % 11,
            "where": "thigh",
            "note": None,
        }
        for n in range(2 * 31 * months)
    ]
    path = tmp_path / f"history-{months}.json"
    path.write_text(json.dumps({"format": "ptcli-export", "version": 2, "pain": pain}))
    return path


def test_a_write_adds_only_its_month_and_the_manifest(run: Any, db: Path, tmp_path: Path) -> None:
    """The bytes a write adds do not grow with the history: one month file and the
    manifest, and every other month file is the very same file (same inode)."""
    added = {}
    for months in (3, 36):
        store = tmp_path / f"m{months}" / "ptcli.json"
        assert run("--db", str(store), "import", str(history(tmp_path, months))).code == 0
        assert len(parts(store)) <= 2  # an import packs its months in files of about 1 MB
        fill(run, store, 3)
        before = parts(store)
        assert run("--db", str(store), "pain", "log", "4").code == 0
        after = parts(store)
        new = sorted(set(after) - set(before))
        assert len(new) == 1 and new[0].startswith(f"pain-{date.today():%Y-%m}.")
        assert all(after[name] == inode for name, inode in before.items() if name in after)
        folder = store.with_name("ptcli.json.parts")
        added[months] = (folder / new[0]).stat().st_size + store.stat().st_size
        whole = sum(p.stat().st_size for p in folder.iterdir() if p.name in after)
        assert added[months] < whole / 3 if months == 36 else True
    assert added[36] < 1.5 * added[3]


def test_years_before_the_latest_are_sealed_and_opened_only_when_asked(
    run: Any, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest names each earlier year of months by its index, not its months, so
    it stays small at 30 years; a read of the last weeks opens no index; a read or an
    edit of an old month opens its year's, and a write in it seals the year anew."""
    from ptcli.storage.file_storage import Tables

    assert run("import", str(history(db.parent.parent, 36))).code == 0
    header = json.loads(db.read_text().splitlines()[0])
    latest = max(name for name in header["tables"] if name.startswith("pain/"))[:9]
    sealed = {f"pain/{year}" for year in range(int(latest[5:]) - 3, int(latest[5:]))}
    assert set(header["years"]) == sealed
    assert all(name.startswith(latest) for name in header["tables"] if name.startswith("pain/"))
    assert len(db.read_bytes()) < 2500  # 12 months at most, and a line a year

    opened: list[str] = []
    with monkeypatch.context() as patch:
        patch.setattr(
            Tables,
            "_open",
            lambda self, year, open=Tables._open: (opened.append(year), open(self, year))[1],
        )
        store = open_file_store(db)
        now = datetime.now().astimezone()
        assert len(store.select(PainEntry, now - timedelta(days=30))) > 0
        assert opened == []
        assert len(store.select(PainEntry)) == 2 * 31 * 36
        assert sorted(opened) == sorted(sealed)

    oldest = min(sealed)[5:]
    old = run("pain", "list", "--since", f"{oldest}-01-01", "--json").json()[0]
    assert run("pain", "edit", old["id"], "--score", "10").code == 0  # beside it: corrections/
    assert json.loads(db.read_text().splitlines()[0])["years"] == header["years"]
    assert run("pain", "list", "--since", old["at"], "--json").json()[0]["score"] == 10
    assert run("pain", "log", "4", "--at", f"{oldest}-12-31T12:00").code == 0
    after = json.loads(db.read_text().splitlines()[0])["years"]  # its year sealed anew
    assert {year for year in sealed if after[year] != header["years"][year]} == {min(sealed)}
    day = run("pain", "list", "--since", f"{oldest}-12-31", "--until", f"{oldest}-12-31", "--json")
    assert [entry["at"][11:16] for entry in day.json()] == ["08:00", "12:00", "20:00"]
    assert run("db", "check").code == 0


def test_a_damaged_year_index_is_refused_when_its_year_is_read(run: Any, db: Path) -> None:
    assert run("import", str(history(db.parent.parent, 36))).code == 0
    years = json.loads(db.read_text().splitlines()[0])["years"]
    year = min(years)
    _crc, _size, token, offset = years[year]
    pack = db.with_name("ptcli.json.parts") / f"pack.{token}"
    data = bytearray(pack.read_bytes())
    data[offset + 5] ^= 1  # one bit of the index
    pack.write_bytes(bytes(data))
    assert run("pain", "list", "--json").code == 0  # the last weeks: that index is not read
    result = run("pain", "list", "--since", f"{year[5:]}-06-01")
    assert result.code == 1 and result.err.count("\n") == 1
    assert f"the store {db} is damaged (table {year!r} does not match its checksum" in result.err
    check = run("db", "check")
    assert check.code == 1 and pack.name in check.err
    assert run("pain", "log", "3").code == 0  # a write elsewhere is not held up by it
    assert pack.read_bytes() == data  # never overwritten


def test_a_store_file_copied_without_its_folder_owns_its_months_on_its_first_write(
    run: Any, db: Path
) -> None:
    """A copy of the file alone names the original's folder: it reads from there, and
    its first write copies every month into its own folder (review, 2026-11-30: the
    write named the original's files in the copy's folder, and the copy was damaged)."""
    assert run("import", str(history(db.parent.parent, 36))).code == 0
    copy = db.with_name("copy.json")
    copy.write_bytes(db.read_bytes())
    everything = ["pain", "list", "--since", "2000-01-01", "--json"]
    assert len(run("--db", str(copy), *everything).json()) == 2 * 31 * 36
    assert run("--db", str(copy), "pain", "log", "4").code == 0
    db.with_name("ptcli.json.parts").rename(db.with_name("elsewhere"))
    assert run("--db", str(copy), "db", "check").code == 0
    assert len(run("--db", str(copy), *everything).json()) == 2 * 31 * 36 + 1


def test_a_single_file_store_is_converted_on_its_first_write(run: Any, db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(OLD_STORE.read_bytes())
    listed = run("pain", "list", "--since", "2026-10-01", "--json").json()
    assert len(listed) == 61
    assert db.read_bytes() == OLD_STORE.read_bytes() and not parts(db)  # a read writes nothing
    first = run("pain", "log", "5")
    assert first.code == 0
    assert first.err == (
        "ptcli: the store now keeps each month in a file of ptcli.json.parts/ beside it; "
        "the single-file store is kept as ptcli.json.v1.bak\n"
    )
    assert db.with_name("ptcli.json.v1.bak").read_bytes() == OLD_STORE.read_bytes()
    assert json.loads(db.read_text().splitlines()[0])["version"] == FORMAT_VERSION
    assert {name.split(".")[0] for name in parts(db)} >= {"pain-2026-10", "sessions-2026-10"}
    assert run("pain", "log", "6").err == ""  # said once
    assert len(run("pain", "list", "--since", "2026-10-01", "--json").json()) == 63
    assert run("db", "check").code == 0
    assert "single-file store" in run("db", "backups").out
    old = run(
        "--db", str(db.with_name("ptcli.json.v1.bak")), "pain", "list", "--since", "2026-10-01"
    )
    assert old.code == 0 and "2026-10-01" in old.out


def single_file_store(db: Path, tables: dict[str, dict[str, Any]]) -> None:
    """A store as ptcli wrote it before the month files: a header naming each table's
    checksum and size, then a line per table."""
    import zlib

    lines = [json.dumps(tables[name], separators=(",", ":")).encode() for name in sorted(tables)]
    index = {
        name: [zlib.crc32(line), len(line)]
        for name, line in zip(sorted(tables), lines, strict=True)
    }
    header = json.dumps({"format": "ptcli-store", "version": 1, "tables": index})
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"\n".join([header.encode(), *lines]) + b"\n")


def test_corrections_of_an_older_store_go_beside_their_months_on_its_first_write(
    run: Any, db: Path
) -> None:
    """Schema 3: a void or an edit of a pain entry sits beside its target's month, so a
    daily read parses the corrections of its weeks; one that moves a time stays in
    'corrections', read whole. A store of schema 2 keeps them all in 'corrections':
    it reads the same before and after its first write, which moves them."""

    def pain(n: int, day: int) -> dict[str, Any]:
        at = f"2026-{day // 100:02d}-{day % 100:02d}T08:00:00+00:00"
        return {"id": f"pain{n:06d}", "at": at, "score": n, "where": None, "note": None}

    def correction(n: int, target: dict[str, Any], action: str, changes: Any) -> dict[str, Any]:
        return {
            "id": f"fix{n:06d}", "at": "2026-11-02T09:00:00+00:00", "target": target["id"],
            "table": "pain", "target_at": target["at"], "action": action,
            "changes": changes, "reason": None,
        }  # fmt: skip

    voided, edited, moved = pain(1, 1005), pain(2, 1006), pain(3, 901)
    corrections = [
        correction(1, voided, "void", {}),
        correction(2, edited, "amend", {"score": 9}),
        correction(3, moved, "amend", {"at": "2026-10-07T08:00:00+00:00"}),
    ]
    single_file_store(
        db,
        {
            "_meta": {"schema": {"schema_version": 2, "migrations": ["0001-initial", "0002-check-outs-marked"]}},
            "pain/2026-09": {moved["id"]: moved},
            "pain/2026-10": {voided["id"]: voided, edited["id"]: edited},
            "corrections": {c["id"]: c for c in corrections},
        },
    )  # fmt: skip
    shown = ["pain", "list", "--since", "2026-10-01", "--until", "2026-10-31", "--json"]
    before = run(*shown).json()
    assert [(entry["id"], entry["score"]) for entry in before] == [
        ("pain000002", 9),
        ("pain000003", 3),
    ]
    assert run("pain", "log", "4").code == 0  # the first write: schema 3, the month files
    tables = json.loads(db.read_text().splitlines()[0])["tables"]
    assert {"corrections", "corrections/2026-10"} <= set(tables)
    assert run(*shown).json() == before
    exported = run("export").json()["corrections"]
    assert [c["id"] for c in exported] == ["fix000001", "fix000002", "fix000003"]
    assert run("pain", "edit", "pain000002", "--score", "7").code == 0  # beside October too
    after = run(*shown).json()
    assert [(entry["id"], entry["score"]) for entry in after] == [
        ("pain000002", 7),
        ("pain000003", 3),
    ]
    assert run("db", "check").code == 0


def _month_file(run: Any, db: Path, tmp_path: Path) -> tuple[Path, int]:
    """After an import of 4 months, the file holding a month two or three months back
    (an import packs months together) and where that month starts in it."""
    assert run("import", str(history(tmp_path, 4))).code == 0
    month = f"{date.today().replace(day=1) - timedelta(days=70):%Y-%m}"
    _crc, _size, token, *offset = json.loads(db.read_text().splitlines()[0])["tables"][
        f"pain/{month}"
    ]
    name = f"pack.{token}" if offset else f"pain-{month}.{token}"
    return db.with_name("ptcli.json.parts") / name, (offset or [0])[0]


def test_a_damaged_month_file_is_refused_in_one_line(run: Any, db: Path, tmp_path: Path) -> None:
    part, start = _month_file(run, db, tmp_path)
    data = bytearray(part.read_bytes())
    data[start + 40] ^= 1  # one bit of that month's records
    part.write_bytes(bytes(data))
    result = run("history", "--since", "-100d")
    assert result.code == 1 and result.err.count("\n") == 1
    assert f"the store {db} is damaged" in result.err and part.name in result.err
    assert "db backups" in result.err
    check = run("db", "check")
    assert check.code == 1 and part.name in check.err
    assert part.read_bytes() == data  # never overwritten
    # A write that does not touch that month is not held up by it, and changes nothing of it.
    assert run("pain", "log", "3").code == 0
    assert part.read_bytes() == data and part.name in parts(db)


def test_a_missing_month_file_is_named(run: Any, db: Path, tmp_path: Path) -> None:
    part, _ = _month_file(run, db, tmp_path)
    part.unlink()
    result = run("history", "--since", "-100d")
    assert result.code == 1 and result.err.count("\n") == 1
    assert f"{part.name} is missing" in result.err


def test_month_files_are_private(run: Any, db: Path) -> None:
    fill(run, db, 3)
    folder = db.with_name("ptcli.json.parts")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    modes = {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    assert parts(db) and modes == {0o600}


def test_output_never_writes_into_the_store_s_folder(run: Any, db: Path) -> None:
    fill(run, db, 3)
    name = max(parts(db))
    target = db.with_name("ptcli.json.parts") / name
    result = run("export", "--output", str(target))
    assert result.code == 2 and "is the store itself" in result.err


def test_files_no_manifest_names_are_removed_on_the_day_s_first_write(
    run: Any, db: Path, tmp_path: Path
) -> None:
    assert run("import", str(history(tmp_path, 3))).code == 0
    fill(run, db, 3)
    run("pain", "log", "4")  # the month's earlier file is now named by ptcli.json.bak only
    folder = db.with_name("ptcli.json.parts")
    orphan = folder / "pain-2001-01.deadbeef"  # a writer killed before its commit
    orphan.write_bytes(b"{}\n")
    db.with_name(f"ptcli.json.{date.today()}.bak").unlink()  # as on a new day
    run("pain", "log", "5")
    assert not orphan.exists()
    backup = db.with_name("ptcli.json.bak")
    assert [e["score"] for e in run("--db", str(backup), "pain", "list", "--json").json()][-2:] == [
        3,
        4,
    ]
    assert run("--db", str(db.with_name(f"ptcli.json.{date.today()}.bak")), "db", "check").code == 0


# Each transaction adds one entry to January and one to February: two month files.
WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from ptcli.domain.models import PainEntry
    from ptcli.storage.tinydb_store import open_file_store

    store = open_file_store(Path(sys.argv[1]))
    prefix, count = sys.argv[2], int(sys.argv[3])
    for n in range(count):
        at = datetime(2026, 1, 1 + n % 28, n % 24, tzinfo=timezone.utc)
        store.add(
            PainEntry(f"{prefix}{n}a", at, n % 11, None, "x" * 300),
            PainEntry(f"{prefix}{n}b", at.replace(month=2), n % 11, None, "y" * 300),
        )
        print(n, flush=True)
    """
)


def _writer(path: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    return start_writer(WRITER, path, prefix, count)


def _ids(path: Path) -> set[str]:
    return {
        e.id for e in open_file_store(path).select(PainEntry, datetime(2025, 12, 1).astimezone())
    }


def test_kill_9_mid_write_leaves_both_months_or_neither(tmp_path: Path) -> None:
    path = tmp_path / "ptcli.json"
    assert _writer(path, "seed", 40).wait(timeout=120) == 0
    for trial in range(10):
        writer = _writer(path, f"t{trial}-", 10_000)
        assert writer.stdout is not None
        acknowledged = -1
        deadline = time.monotonic() + 0.05 + 0.03 * trial
        while time.monotonic() < deadline:
            acknowledged = int(writer.stdout.readline())
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        ids = _ids(path)
        assert all(f"seed{n}{half}" in ids for n in range(40) for half in "ab")
        done = [n for n in range(acknowledged + 2) if f"t{trial}-{n}a" in ids]
        assert all(f"t{trial}-{n}a" in ids for n in range(acknowledged + 1)), trial
        assert all(f"t{trial}-{n}b" in ids for n in done), trial  # never one month alone
        assert len([i for i in ids if i.startswith(f"t{trial}-")]) == 2 * len(done)
    assert run_process("--db", str(path), "db", "check").returncode == 0


def test_two_writers_of_two_months_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ptcli.json"
    writers = [_writer(path, prefix, 40) for prefix in ("a", "b")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    expected = {f"{p}{n}{half}" for p in "ab" for n in range(40) for half in "ab"}
    assert _ids(path) == expected
    assert run_process("--db", str(path), "db", "check").returncode == 0


# Writes entries of the year its prefix names ("y2023-"): two of them at once write in a
# sealed year and in the latest.
YEAR_WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from ptcli.domain.models import PainEntry
    from ptcli.storage.tinydb_store import open_file_store

    store = open_file_store(Path(sys.argv[1]))
    prefix, count = sys.argv[2], int(sys.argv[3])
    year = int(prefix[1:5])
    for n in range(count):
        at = datetime(year, 1 + n % 12, 1 + n % 28, 9, tzinfo=timezone.utc)
        store.add(PainEntry(f"{prefix}{n}", at, n % 11, None, "x" * 300))
        print(n, flush=True)
    """
)


def test_writers_in_a_sealed_year_and_the_latest_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ptcli.json"
    seeds = [start_writer(YEAR_WRITER, path, f"y{year}-seed", 12) for year in (2023, 2026)]
    assert [seed.wait(timeout=120) for seed in seeds] == [0, 0]
    header = json.loads(path.read_text().splitlines()[0])
    assert "pain/2023" in header["years"]  # sealed: 2026 is the latest
    writers = [start_writer(YEAR_WRITER, path, f"y{year}-", 30) for year in (2023, 2026)]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    found = {entry.id for entry in open_file_store(path).select(PainEntry)}
    prefixes = [f"y{year}-{kind}" for year in (2023, 2026) for kind in ("", "seed")]
    assert found == {f"{p}{n}" for p in prefixes for n in range(30 if "seed" not in p else 12)}
    assert run_process("--db", str(path), "db", "check").returncode == 0


@pytest.mark.parametrize("where", ["same folder", "elsewhere"])
def test_a_snapshot_is_restored_with_its_months(
    run: Any, db: Path, tmp_path: Path, where: str
) -> None:
    assert run("import", str(history(tmp_path, 3))).code == 0
    fill(run, db, 3)
    run("pain", "log", "9")
    snapshot = db.with_name("ptcli.json.bak")
    if where == "elsewhere":  # a store of its own: its file and its folder
        other = tmp_path / "copy" / "kept.json"
        assert run("--db", str(other), "import", str(history(tmp_path, 3))).code == 0
        fill(run, other, 7)
        snapshot = other
    assert run("db", "restore", str(snapshot), "--yes").code == 0
    scores = [e["score"] for e in run("pain", "list", "--json", "--since", "-1d").json()]
    assert scores == ([3, 3, 3] if where == "same folder" else [7, 7, 7])
    assert run("db", "check").code == 0


def test_an_import_of_what_the_store_holds_writes_nothing(
    run: Any, db: Path, tmp_path: Path
) -> None:
    export = history(tmp_path, 24)
    assert run("import", "--dry-run", str(export)).code == 0
    assert not db.exists() and not db.with_name("ptcli.json.parts").exists()
    assert run("import", str(export)).code == 0
    before, files = db.read_bytes(), parts(db)
    again = run("import", str(export))
    assert again.code == 0 and "Imported nothing new" in again.out
    assert (db.read_bytes(), parts(db)) == (before, files)


# One merge (an import) of 27 years with long notes: about 20 packs of months written
# ahead of its commit.
MERGER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from ptcli.domain.models import PainEntry
    from ptcli.storage.tinydb_store import open_file_store

    first = datetime(2010, 1, 1, tzinfo=timezone.utc)
    entries = [
        PainEntry(f"m{n}", first + timedelta(hours=12 * n), n % 11, None, "z" * 1000)
        for n in range(20000)
    ]
    open_file_store(Path(sys.argv[1])).merge(None, entries)
    print("done", flush=True)
    """
)


def packs_named(manifest: Path) -> set[str]:
    """The packs a manifest names: its tables', its sealed years' indexes', and theirs."""
    header = json.loads(manifest.read_text().splitlines()[0])
    entries = list(header["tables"].values())
    for crc, size, token, offset in header.get("years", {}).values():
        with open(manifest.with_name(header["parts"]) / f"pack.{token}", "rb") as file:
            file.seek(offset)
            entries += [[crc, size, token, offset], *json.loads(file.read(size)).values()]
    return {f"pack.{entry[2]}" for entry in entries if len(entry) > 3}


def test_kill_9_mid_import_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """An import writes its months ahead of its commit: killed, none of them counts, and
    the files it left are removed on a later day's first write."""
    path = tmp_path / "ptcli.json"
    assert _writer(path, "seed", 5).wait(timeout=120) == 0
    before = path.read_bytes()
    left_behind = False
    for step in range(30):  # later and later, until one is not killed in time
        delay = 0.05 + 0.1 * step
        merger = subprocess.Popen(
            [sys.executable, "-c", MERGER, str(path)], stdout=subprocess.PIPE, text=True
        )
        time.sleep(delay)
        merger.kill()
        killed = merger.wait() != 0
        if not killed or path.read_bytes() != before:
            # Done, or committed just before the kill (the manifest renamed, the process
            # not yet gone): then all of it is there, never a part.
            assert len(open_file_store(path).select(PainEntry)) == 10 + 20000, delay
            break
        assert len(open_file_store(path).select(PainEntry)) == 10
        left_behind |= any(name.startswith("pack.") for name in parts(path))
    assert left_behind  # some kill came after a pack was written
    assert run_process("--db", str(path), "db", "check").returncode == 0
    for snapshot in path.parent.glob("ptcli.json.*.bak"):
        snapshot.unlink()  # as on a new day
    open_file_store(path).add(PainEntry("late", datetime(2026, 1, 5).astimezone(), 2, None, None))
    named = set()
    for manifest in (path, path.with_name("ptcli.json.bak")):
        named |= packs_named(manifest)
    assert {name for name in parts(path) if name.startswith("pack.")} <= named
    assert run_process("--db", str(path), "db", "check").returncode == 0  # none needed removed


def test_a_reader_beside_writers_always_sees_a_whole_store(tmp_path: Path) -> None:
    path = tmp_path / "ptcli.json"
    assert _writer(path, "seed", 5).wait(timeout=120) == 0
    writers = [_writer(path, prefix, 30) for prefix in ("a", "b")]
    seen = []
    while any(writer.poll() is None for writer in writers):
        ids = _ids(path)  # a manifest and the months it names, read without the lock
        assert all(f"{i[:-1]}b" in ids for i in ids if i.endswith("a"))  # both months or none
        seen.append(len(ids))
    assert [writer.wait() for writer in writers] == [0, 0]
    assert seen == sorted(seen) and len(_ids(path)) == 2 * (5 + 60)


TABLE_NAMES = st.one_of(
    st.sampled_from(["profile", "corrections", "_undo/01a2"]),
    st.builds(
        "{}/{}-{:02d}".format,
        st.sampled_from(["pain", "sessions", "corrections"]),
        st.integers(2021, 2026),
        st.integers(1, 12),
    ),
)
# A table small enough to stay inline in the manifest (or a sealed year's pack), or not.
TABLE_CONTENT = st.builds(
    lambda n, size: {f"r{n}": {"note": "x" * size}}, st.integers(0, 9), st.sampled_from([5, 1500])
)
MONTH = st.tuples(st.integers(2021, 2026), st.integers(1, 12))
# As the repository asks: a kind's months from one on, up to another or to the end.
NAME_RANGES = st.builds(
    lambda kind, first, last: (
        f"{kind}/{first[0]}-{first[1]:02d}",
        f"{kind}/~" if last is None else f"{kind}/{last[0]}-{last[1]:02d}",
    ),
    st.sampled_from(["pain", "sessions", "corrections"]),
    MONTH,
    st.none() | MONTH,
)
WRITES = st.lists(  # transactions, each setting and dropping tables
    st.lists(st.tuples(TABLE_NAMES, st.none() | TABLE_CONTENT), min_size=1, max_size=6),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(writes=WRITES, ranges=st.lists(NAME_RANGES, max_size=4))
def test_any_writes_read_back_whole_whatever_years_they_seal(
    writes: list[list[tuple[str, dict[str, Any] | None]]], ranges: list[tuple[str, str]]
) -> None:
    """Transactions that set and drop tables of any kind and year, small and large, read
    back as a dict given the same writes would hold: through sealing, resealing and years
    not opened; and the day's removal of files no manifest names keeps every one read.
    A range of names, as the daily reads ask for one, lists what the dict holds in it."""
    import tempfile

    from ptcli.storage.file_storage import FileStorage

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ptcli.json"
        model: dict[str, dict[str, Any]] = {}
        for step, operations in enumerate(writes):
            storage = FileStorage(path)
            with storage.transaction():
                tables = storage.read()
                for name, content in operations:
                    if content is None:
                        model.pop(name, None)
                        if name in tables:
                            del tables[name]
                    else:
                        model[name] = content
                        tables[name] = content
                storage.write(tables)
            if step % 2:  # as on a new day: the next write removes what no manifest names
                for snapshot in Path(folder).glob("ptcli.json.*.bak"):
                    snapshot.unlink()
            for first, last in ranges:
                listed = FileStorage(path).read().names(first, last)  # its years not opened
                assert listed == sorted(name for name in model if first <= name <= last)
            fresh = FileStorage(path).read()
            assert {name: fresh[name] for name in fresh} == model
