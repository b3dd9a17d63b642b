"""A guided session's entry is rewritten in place as sets end, and "partial" travels.

The guided session itself is driven through a terminal in test_guided_session.py; here
the store's ``put`` and the life of a partial entry in every export and in import.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from jsonschema import Draft202012Validator

from ptcli.domain.models import SessionEntry
from ptcli.records import new_id
from ptcli.storage.tinydb_store import open_file_store

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "src/ptcli/data/export.schema.json").read_text()
)
START = datetime.fromisoformat("2026-03-02T09:00:00+00:00")


def entry(sets: int, partial: bool, minutes: int = 0) -> SessionEntry:
    return SessionEntry(
        id="01a000000000aaaabbbb",
        at=START + timedelta(minutes=minutes),
        exercise="lying-sciatic-slider",
        sets=sets,
        reps=10,
        hold_s=None,
        pain_after=None,
        where_after=None,
        partial=partial,
    )


def test_put_replaces_the_entry_with_its_id_and_never_duplicates(db: Path, run: Any) -> None:
    run("init")
    store = open_file_store(db)
    store.put(entry(1, partial=True))
    store.put(entry(2, partial=False, minutes=2))
    other = entry(1, partial=False)._replace(id=new_id())
    store.put(other)
    listed = run("history", "--since", "2026-03-01", "--until", "2026-03-03", "--json").json()
    mine = [s for s in listed if s["id"] == "01a000000000aaaabbbb"]
    assert len(mine) == 1
    assert mine[0]["sets"] == 2 and "partial" not in mine[0]
    assert len(listed) == 2


def test_put_finds_the_old_version_across_a_month_end(db: Path, run: Any) -> None:
    """A session begun before midnight on the last day of a month, finished after it."""
    run("init")
    store = open_file_store(db)
    late = entry(1, partial=True)._replace(at=datetime.fromisoformat("2026-03-31T23:59:00+00:00"))
    store.put(late)
    store.put(late._replace(at=datetime.fromisoformat("2026-04-01T00:01:00+00:00"), sets=2))
    sessions = run("export", "--format", "json", "--table", "sessions").json()["sessions"]
    assert [(s["sets"], s["at"][:10]) for s in sessions] == [(2, "2026-04-01")]


def test_a_partial_session_is_marked_in_every_export_and_survives_import(
    db: Path, run: Any, tmp_path: Path
) -> None:
    run("init", "--name", "Ann Example")
    store = open_file_store(db)
    store.put(entry(1, partial=True))
    done = entry(2, partial=False)._replace(id=new_id(), exercise="prone-lying", reps=1)
    store.put(done._replace(hold_s=120))

    export = run("export", "--format", "json").json()
    flags = {s["exercise"]: s.get("partial") for s in export["sessions"]}
    assert flags == {"lying-sciatic-slider": True, "prone-lying": None}
    Draft202012Validator(SCHEMA).validate(export)

    table = run("history", "--since", "2026-03-01", "--until", "2026-03-03").out
    assert "10 repetitions (partial)" in " ".join(table.split())

    rows = list(
        csv.DictReader(io.StringIO(run("export", "--format", "csv", "--table", "sessions").out))
    )
    assert {row["exercise"]: row["partial"] for row in rows} == {
        "lying-sciatic-slider": "True",
        "prone-lying": "",
    }

    bundle = json.loads(run("export", "--format", "fhir").out)
    Bundle.model_validate(bundle)
    status = {
        e["resource"]["code"]["coding"][1]["code"]: e["resource"]["status"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Procedure"
    }
    assert status == {"lying-sciatic-slider": "stopped", "prone-lying": "completed"}

    saved = tmp_path / "export.json"
    saved.write_text(json.dumps(export))
    other = tmp_path / "other.json"
    assert run("--db", str(other), "import", str(saved)).code == 0
    again = run("--db", str(other), "export", "--format", "json").json()
    assert {s["exercise"]: s.get("partial") for s in again["sessions"]} == flags


def test_an_import_with_a_non_boolean_partial_is_refused(run: Any, tmp_path: Path) -> None:
    run("init")
    export = run("export", "--format", "json").json()
    record = {
        "id": "01a000000000aaaabbbb",
        "at": "2026-03-02T09:00:00+00:00",
        "exercise": "prone-lying",
        "sets": 1,
        "reps": 1,
        "hold_s": 120,
        "pain_after": None,
        "where_after": None,
        "note": None,
        "partial": "yes",
    }
    export["sessions"] = [record]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(export))
    result = run("import", str(path))
    assert result.code == 2
    assert "'partial' must be true or false" in result.err
    assert result.err.count("\n") == 1


# A partial session and the next routine (DOMAIN 4: progression reads whole sessions)


def _partial_after(
    run: Any, db: Path, reps: int, pain_after: int, days_ago: int = 1, sets: int = 1
) -> None:
    """A guided session stopped part way, ``days_ago`` days back (as the runner saves it)."""
    store = open_file_store(db)
    at = datetime.now().astimezone() - timedelta(days=days_ago)
    store.put(
        SessionEntry(
            id=new_id(),
            at=at,
            exercise="lying-sciatic-slider",
            sets=sets,
            reps=reps,
            hold_s=None,
            pain_after=pain_after,
            where_after=None,
            note="set 1 of 2 stopped part way",
            partial=True,
        )
    )


def _slider(run: Any) -> dict[str, Any]:
    routine = run("today", "--json").json()
    [item] = [e for e in routine["exercises"] if e["id"] == "lying-sciatic-slider"]
    return item  # type: ignore[no-any-return]


def _logged(run: Any, days_ago: int, reps: int, pain_after: int) -> None:
    at = (datetime.now().astimezone() - timedelta(days=days_ago)).isoformat(timespec="minutes")
    result = run(
        "session", "log", "lying-sciatic-slider", "--sets", "2", "--reps", str(reps),
        "--pain-after", str(pain_after), "--at", at,
    )  # fmt: skip
    assert result.code == 0, result.err


def test_the_next_routine_repeats_the_last_whole_dose_after_a_partial_session(
    db: Path, run: Any
) -> None:
    run("init")
    run("screen", "--no-others")
    _logged(run, days_ago=3, reps=7, pain_after=2)
    _partial_after(run, db, reps=3, pain_after=2)
    item = _slider(run)
    assert (item["sets"], item["reps"]) == (2, 7)  # not 1 x 3
    assert item["reason"]["rule"] == "partial"
    assert item["change"] == "held"


def test_a_partial_session_does_not_count_as_an_easy_session_for_a_step_up(
    db: Path, run: Any
) -> None:
    run("init")
    run("screen", "--no-others")
    for days_ago in (3, 2, 1, 0):  # low pain every morning: each session settled
        at = (datetime.now().astimezone() - timedelta(days=days_ago)).replace(hour=7, minute=0)
        run("pain", "log", "2", "--where", "back", "--at", at.isoformat(timespec="minutes"))
    _logged(run, days_ago=2, reps=7, pain_after=2)
    _partial_after(run, db, reps=7, pain_after=1, sets=2)  # 2 of 3 sets, say
    assert _slider(run)["reason"]["rule"] == "partial"
    run("pain", "log", "2", "--where", "back")  # today, after the partial of yesterday
    item = _slider(run)
    assert (item["sets"], item["reps"]) == (2, 7)  # two easy sessions, one of them partial
    assert item["change"] == "held"


def test_a_partial_session_with_high_pain_still_steps_down(db: Path, run: Any) -> None:
    run("init")
    run("screen", "--no-others")
    _logged(run, days_ago=3, reps=7, pain_after=2)
    _partial_after(run, db, reps=3, pain_after=7)  # stopped because it hurt: its pain counts
    item = _slider(run)
    assert item["reason"]["rule"] == "too-painful"
    assert item["sets"] * item["reps"] < 2 * 7  # from the whole dose, stepped down


def test_only_partial_sessions_keep_the_usual_dose(db: Path, run: Any) -> None:
    run("init")
    run("screen", "--no-others")
    usual = _slider(run)
    _partial_after(run, db, reps=2, pain_after=1)
    item = _slider(run)
    assert (item["sets"], item["reps"]) == (usual["sets"], usual["reps"])
    assert item["reason"]["rule"] == "partial"
