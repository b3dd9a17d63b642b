"""The store: one contract for every backend, then what only the file store must survive."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptcli.domain.models import (
    Clearance,
    Correction,
    Extent,
    PainEntry,
    PlanChange,
    Profile,
    Screen,
    SessionEntry,
)
from ptcli.storage.repository import Repository
from ptcli.storage.tinydb_store import open_file_store, open_memory_store
from tests.conftest import run_process, start_writer

UTC = UTC
T0 = datetime(2025, 12, 31, 22, 0, tzinfo=UTC)


def pain(n: int, at: datetime = T0, score: int = 3) -> PainEntry:
    return PainEntry(id=f"p{n}", at=at, score=score, where=Extent.THIGH, note=None)


def session(n: int, at: datetime = T0) -> SessionEntry:
    return SessionEntry(f"s{n}", at, "prone-lying", 1, 1, 120, 2, Extent.BUTTOCK, "ok")


@pytest.fixture(params=["file", "memory"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Repository:
    if request.param == "file":
        return open_file_store(tmp_path / "store" / "ptcli.json")
    return open_memory_store()


class TestContract:
    def test_an_empty_store_reads_as_empty(self, repo: Repository) -> None:
        assert repo.select(PainEntry) == [] and repo.select(SessionEntry) == []
        assert repo.profile() == Profile()

    def test_entries_come_back_in_time_order_and_within_the_window(self, repo: Repository) -> None:
        # Across New Year: the entries live in two year tables.
        entries = [pain(i, T0 + timedelta(hours=3 * i)) for i in (3, 0, 2, 1)]
        for entry in entries:
            repo.add(entry)
        assert [e.id for e in repo.select(PainEntry)] == ["p0", "p1", "p2", "p3"]
        window = repo.select(PainEntry, T0 + timedelta(hours=2), T0 + timedelta(hours=6))
        assert [e.id for e in window] == ["p1", "p2"]
        assert repo.select(PainEntry, T0 + timedelta(days=30)) == []

    def test_sessions_round_trip_every_field(self, repo: Repository) -> None:
        repo.add(session(1))
        assert repo.select(SessionEntry) == [session(1)]

    def test_screens_clearances_and_plan_changes_round_trip(self, repo: Repository) -> None:
        screen = Screen("c1", T0, ("bladder",), ("fever", "trauma"))
        clearance = Clearance("k1", T0 + timedelta(days=1), "bladder", "seen by GP")
        pin = PlanChange("l1", T0, "set", "walking", None, None, 900, 2)
        repo.add(screen, clearance, pin)
        assert repo.select(Screen) == [screen]
        assert repo.select(Clearance, since=T0 + timedelta(hours=1)) == [clearance]
        assert repo.select(PlanChange, until=T0 - timedelta(seconds=1)) == []
        assert repo.select(PlanChange) == [pin]

    def test_a_transaction_saves_all_or_nothing(self, repo: Repository) -> None:
        with pytest.raises(RuntimeError), repo.transaction():
            repo.add(pain(1))
            raise RuntimeError("boom")
        assert repo.select(PainEntry) == []

    def test_merge_adds_new_ids_once_and_reports_conflicts(self, repo: Repository) -> None:
        repo.add(pain(1))
        report = repo.merge(None, [pain(1), pain(2), session(1)])
        assert (report.added["pain"], report.added["sessions"], report.unchanged) == (1, 1, 1)
        again = repo.merge(None, [pain(1), pain(2), session(1)])
        assert (again.added["pain"], again.added["sessions"], again.unchanged) == (0, 0, 3)
        # Same id, other content: the same version wins whichever store holds which.
        changed = repo.merge(None, [pain(2, score=9)])
        assert (changed.replaced, changed.added["pain"]) == (["p2"], 0)
        assert [e.score for e in repo.select(PainEntry)] == [3, 9]
        back = repo.merge(None, [pain(2, score=3)])
        assert (back.conflicts, back.replaced) == (["p2"], [])
        assert [e.score for e in repo.select(PainEntry)] == [3, 9]

    def test_merge_takes_a_profile_only_into_a_store_without_one(self, repo: Repository) -> None:
        assert repo.merge(Profile(name="Ann", pool=True), []).profile_updated
        assert not repo.merge(Profile(name="Bob", side="left", pool=False), []).profile_updated
        assert repo.profile() == Profile(name="Ann", pool=True)


def test_files_are_private(run: Any, db: Path) -> None:
    assert run("pain", "log", "3").code == 0
    assert run("pain", "log", "4").code == 0
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    for path in (db, db.with_name("ptcli.json.bak"), db.with_name("ptcli.json.lock")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_read_only_commands_create_nothing(run: Any, db: Path) -> None:
    for args in (["today"], ["history"], ["pain", "list"], ["export"]):
        assert run(*args).code == 0
    assert not db.parent.exists()


def test_schema_migrations_are_recorded(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    header, meta, *_ = db.read_text().splitlines()
    assert json.loads(meta) == {
        "schema": {
            "schema_version": 3,
            "migrations": ["0001-initial", "0002-check-outs-marked", "0003-corrections-by-month"],
        }
    }
    assert json.loads(header)["format"] == "ptcli-store"


def test_the_check_outs_of_an_older_store_are_marked_after_exercise() -> None:
    """Before version 2 a guided session's check-out was known only by its note."""
    from ptcli.storage import migrations

    check_out = {"id": "a", "at": "2026-03-01T10:00:00+00:00", "score": 8, "where": None}
    tables: dict[str, dict[str, Any]] = {
        "_meta": {"schema": {"schema_version": 1, "migrations": ["0001-initial"]}},
        "pain/2026-03": {
            "a": {**check_out, "note": "after a guided session"},
            "b": {**check_out, "id": "b", "note": "after a walk"},
        },
    }
    assert migrations.upgrade(tables, "(test)")
    assert tables["pain/2026-03"]["a"]["after_exercise"] is True
    assert "after_exercise" not in tables["pain/2026-03"]["b"]
    assert "0002-check-outs-marked" in tables["_meta"]["schema"]["migrations"]
    assert not migrations.upgrade(tables, "(test)")  # run once


def test_only_corrections_that_keep_a_pain_entry_or_session_in_its_month_move() -> None:
    """Schema 3: beside the month are the voids and edits of pain entries and sessions;
    a moved time, a screen's correction and a correction of a correction stay whole."""
    from ptcli.storage import migrations

    def fix(n: int, table: str, changes: dict[str, Any]) -> dict[str, Any]:
        target_at = "2026-03-01T10:00:00+00:00"
        return {"id": f"c{n}", "table": table, "target_at": target_at, "changes": changes}

    stored = [
        fix(1, "pain", {}),
        fix(2, "sessions", {"sets": 2}),
        fix(3, "pain", {"at": "2026-04-01T10:00:00+00:00"}),
        fix(4, "screens", {}),
        fix(5, "corrections", {}),
        {**fix(6, "pain", {}), "target_at": "March"},
    ]
    tables: dict[str, dict[str, Any]] = {
        "_meta": {"schema": {"schema_version": 2, "migrations": ["0001-initial", "0002-check-outs-marked"]}},
        "corrections": {document["id"]: document for document in stored},
    }  # fmt: skip
    assert migrations.upgrade(tables, "(test)")
    assert sorted(tables["corrections/2026-03"]) == ["c1", "c2"]
    assert sorted(tables["corrections"]) == ["c3", "c4", "c5", "c6"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data.replace(b'"score":3', b'"score":8'),
        lambda data: b"",
        lambda data: b"{not json",
    ],
    ids=["truncated", "edited", "empty", "garbage"],
)
def test_a_damaged_store_is_named_and_never_overwritten(run: Any, db: Path, damage: Any) -> None:
    run("pain", "log", "3")
    run("pain", "log", "5")
    db.write_bytes(damage(db.read_bytes()))
    before = db.read_bytes()
    for args in (["pain", "log", "2"], ["history"], ["today"]):
        result = run(*args)
        assert result.code == 1, args
        assert result.err.count("\n") == 1
        assert f"the store {db} is damaged" in result.err
        assert "ptcli.json.bak" in result.err and "history" in result.err
    assert db.read_bytes() == before


def test_the_backup_named_in_the_message_holds_the_previous_version(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    run("pain", "log", "5")
    db.write_bytes(b"broken")
    backup = db.with_name("ptcli.json.bak")
    result = run("--db", str(backup), "pain", "list", "--json")
    assert [entry["score"] for entry in result.json()] == [3]


@pytest.mark.parametrize(
    "header",
    [
        b'{"format":"ptcli-store","version":1,"tables":[]}',
        b'{"format":"ptcli-store","version":"2"}',
    ],
)
def test_a_malformed_header_is_reported_as_damage(run: Any, db: Path, header: bytes) -> None:
    run("pain", "log", "3")
    db.write_bytes(header + b"\n")
    result = run("pain", "list")
    assert result.code == 1 and "is damaged" in result.err
    assert db.read_bytes() == header + b"\n"


def test_a_symlinked_store_is_written_through_the_link(run: Any, tmp_path: Path) -> None:
    real = tmp_path / "real" / "store.json"
    run("--db", str(real), "pain", "log", "3", "--at", "-1d")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    run("--db", str(link), "pain", "log", "4")
    assert link.is_symlink()
    scores = [e["score"] for e in run("--db", str(real), "pain", "list", "--json").json()]
    assert scores == [3, 4]


def test_output_never_overwrites_the_store(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    before = db.read_bytes()
    result = run("export", "--output", str(db))
    assert (result.code, result.err) == (
        2,
        f"ptcli: --output {db} is the store itself: choose another file\n",
    )
    assert db.read_bytes() == before


def test_a_failed_write_to_standard_output_is_one_clear_line(db: Path) -> None:
    with open("/dev/full", "w") as full:
        process = subprocess.run(
            [sys.executable, "-m", "ptcli", "pain", "log", "3"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert (process.returncode, process.stderr) == (
        1,
        "ptcli: could not read or write: No space left on device\n",
    )


def test_a_store_from_a_newer_ptcli_is_refused(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    lines = db.read_text().splitlines()
    header = json.loads(lines[0])
    header["version"] = 99
    db.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    result = run("pain", "log", "4")
    assert result.code == 1
    assert "written by a newer ptcli; upgrade ptcli" in result.err


def test_stale_temporary_files_are_cleaned_up(run: Any, db: Path) -> None:
    run("pain", "log", "3")
    stale = db.with_name(".ptcli.json.tmp-999-dead")
    stale.write_bytes(b"half a write")
    run("pain", "log", "4")
    assert not stale.exists()
    assert sorted(p.name for p in db.parent.iterdir()) == [
        "ptcli.json",
        f"ptcli.json.{date.today().isoformat()}.bak",  # the day's snapshot (README, Backups)
        "ptcli.json.bak",
        "ptcli.json.lock",
    ]


def test_a_full_disk_changes_nothing_and_says_so(run: Any, db: Path) -> None:
    run("pain", "log", "3", "--note", "x" * 2000)
    before = db.read_bytes()

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(before), len(before)))

    process = run_process("pain", "log", "4", "--note", "y" * 2000, preexec_fn=limit_file_size)
    assert process.returncode == 1
    assert (
        process.stderr
        == f"ptcli: could not save the store {db}: File too large; nothing was changed\n"
    )
    assert db.read_bytes() == before
    assert not [p for p in db.parent.iterdir() if ".tmp-" in p.name]


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from ptcli.domain.models import PainEntry
    from ptcli.storage.tinydb_store import open_file_store

    store = open_file_store(__import__("pathlib").Path(sys.argv[1]))
    prefix, count = sys.argv[2], int(sys.argv[3])
    for n in range(count):
        at = datetime(2026, 1, 1, tzinfo=timezone.utc).replace(minute=n % 60, hour=n // 60 % 24)
        store.add(PainEntry(f"{prefix}{n}", at, n % 11, None, "x" * 200))
        print(n, flush=True)
    """
)


def _writer(path: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    return start_writer(WRITER, path, prefix, count)


def test_kill_9_mid_write_never_loses_or_corrupts(tmp_path: Path) -> None:
    path = tmp_path / "ptcli.json"
    seed = _writer(path, "seed", 300)
    assert seed.wait(timeout=120) == 0
    for trial in range(12):
        writer = _writer(path, f"t{trial}-", 10_000)
        assert writer.stdout is not None
        acknowledged = -1
        deadline = time.monotonic() + 0.05 + 0.03 * trial
        while time.monotonic() < deadline:
            acknowledged = int(writer.stdout.readline())
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        ids = {entry.id for entry in open_file_store(path).select(PainEntry)}
        assert all(f"seed{n}" in ids for n in range(300))
        assert all(f"t{trial}-{n}" in ids for n in range(acknowledged + 1)), trial


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ptcli.json"
    writers = [_writer(path, prefix, 60) for prefix in ("a", "b", "c")]
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    ids = {entry.id for entry in open_file_store(path).select(PainEntry)}
    assert ids == {f"{prefix}{n}" for prefix in "abc" for n in range(60)}


def test_concurrent_cli_commands_all_land(db: Path) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "ptcli", "pain", "log", str(n)], stdout=subprocess.DEVNULL
        )
        for n in range(8)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0] * 8
    result = run_process("pain", "list", "--json")
    assert sorted(entry["score"] for entry in json.loads(result.stdout)) == list(range(8))


def test_the_default_store_and_cache_live_in_the_user_folders(
    run: Any, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PTCLI_DB")
    assert run("pain", "log", "3").code == 0
    assert run("today").code == 0
    assert (isolated / "xdg-data" / "ptcli" / "ptcli.json").is_file()
    assert [p.suffix for p in (isolated / "cache" / "ptcli").iterdir()] == [".json"]


@pytest.mark.parametrize("kind", ["file", "memory"])
def test_a_correction_written_is_seen_by_the_next_read_in_the_same_process(
    db: Path, kind: str
) -> None:
    """The corrections are grouped by table once per read (tinydb_store): a write in the
    same process (a guided session, an import) must not leave an old grouping in use."""
    store = open_file_store(db) if kind == "file" else open_memory_store()
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    store.add(pain(1, at))
    assert store.corrections_of("pain", None) == []
    void = Correction("c1", at + timedelta(minutes=5), "p1", "pain", at, "void")
    store.add(void)
    assert store.corrections_of("pain", None) == [void]
    assert store.corrections_of("screens", None) == []
    undo = Correction("c2", at + timedelta(minutes=6), "c1", "corrections", void.at, "void")
    store.add(undo)
    assert sorted(store.corrections_of("screens", None)) == [undo]
    assert sorted(store.corrections_of("pain", at)) == [void, undo]


def test_a_write_reads_again_what_another_writer_committed_since_its_read(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write reuses the tables it read before taking the lock only while the store file
    is the same bytes (file_storage._as_read_if_unchanged): another writer's commit in
    between is read again, never lost."""
    from ptcli.storage.file_storage import FileStorage

    first, second = open_file_store(db), open_file_store(db)
    first.add(pain(1))
    assert [entry.id for entry in first.select(PainEntry)] == ["p1"]  # read before the lock
    loads: list[Path] = []
    load = FileStorage._load
    monkeypatch.setattr(FileStorage, "_load", lambda self: loads.append(self.path) or load(self))
    first.add(pain(2, T0 + timedelta(minutes=1)))
    assert loads == []  # unchanged since its read: the manifest is parsed once
    assert [entry.id for entry in first.select(PainEntry)] == ["p1", "p2"]
    second.add(pain(3, T0 + timedelta(minutes=2)))  # another writer commits in between
    first.add(pain(4, T0 + timedelta(minutes=3)))
    assert loads  # the store changed: read again under the lock
    assert [entry.id for entry in open_file_store(db).select(PainEntry)] == ["p1", "p2", "p3", "p4"]


CORRECTION_STEPS = st.lists(
    st.tuples(
        st.sampled_from(["move", "amend", "void", "undo"]),
        st.integers(0, 7),  # which entry (or, for an undo, which earlier correction)
        st.integers(0, 800),  # a move's new day; an amend's score
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    days=st.lists(st.integers(0, 800), min_size=1, max_size=8),
    steps=CORRECTION_STEPS,
    window=st.tuples(st.integers(-5, 805), st.integers(-5, 805)),
)
def test_a_read_of_a_period_is_the_whole_corrected_log_cut_to_it(
    days: list[int], steps: list[tuple[str, int, int]], window: tuple[int, int]
) -> None:
    """A read of a period parses only the corrections it needs (moves and undos from the
    table of corrections, the others from the months it reads: tinydb_store.correction_table),
    yet sees every entry of the period as the whole log corrected does: one moved in from a
    month it does not read, with the edits and deletes made there after the move, and
    one moved out. Entries over two years, moved, edited, deleted and undone at random."""
    from ptcli.services import Workspace

    store = open_memory_store()
    entries = [pain(n, T0 + timedelta(days=day)) for n, day in enumerate(days)]
    for entry in entries:
        store.add(entry)
    made: list[Correction] = []
    for step, (action, which, value) in enumerate(steps):
        at = T0 + timedelta(days=900, minutes=step)
        entry = entries[which % len(entries)]
        if action == "undo" and made:
            undone = made[which % len(made)]
            correction = Correction(f"c{step}", at, undone.id, "corrections", undone.at, "void")
        elif action == "move":
            moved_to = T0 + timedelta(days=value, hours=1)
            correction = Correction(
                f"c{step}", at, entry.id, "pain", entry.at, "amend", (("at", moved_to),)
            )
        elif action == "amend":
            score = (("score", value % 11),)
            correction = Correction(f"c{step}", at, entry.id, "pain", entry.at, "amend", score)
        else:
            correction = Correction(f"c{step}", at, entry.id, "pain", entry.at, "void")
        store.add(correction)
        made.append(correction)

    def workspace() -> Workspace:
        ws = Workspace(Path("unused.json"), Path("unused.yaml"))
        ws.__dict__["store"] = store
        return ws

    since, until = (T0 + timedelta(days=day) for day in sorted(window))
    whole = [p for p in workspace().select(PainEntry) if since <= p.at <= until]
    assert workspace().select(PainEntry, since, until) == whole
    assert workspace().select(PainEntry, since) == [
        p for p in workspace().select(PainEntry) if since <= p.at
    ]
