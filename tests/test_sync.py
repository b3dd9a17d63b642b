"""Two devices, one patient: exports merged in any order, any number of times, agree."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any


def content(run: Any, store: Path) -> dict[str, Any]:
    """Everything a store holds, as its export without the export time."""
    document = run("--db", str(store), "export").json()
    del document["exported_at"]
    return document  # type: ignore[no-any-return]


def without_new_ids(document: dict[str, Any]) -> dict[str, Any]:
    """The content without record ids: each ordering's run logs new records (new ids)."""
    return {
        key: [{k: v for k, v in record.items() if k != "id"} for record in value]
        if isinstance(value, list)
        else value
        for key, value in document.items()
    }


def device(run: Any, store: Path, day: int, exercise: str) -> None:
    db = ("--db", str(store))
    run(*db, "pain", "log", "3", "--where", "thigh", "--at", f"2026-03-{day:02}T08:00")
    run(*db, "session", "log", exercise, "--pain-after", "2", "--at", f"2026-03-{day:02}T09:00")
    run(*db, "screen", "--no-others", "--at", f"2026-03-{day:02}T07:00")


def test_phone_and_laptop_converge_in_any_order(run: Any, tmp_path: Path) -> None:
    shared = tmp_path / "shared.ndjson"
    first = tmp_path / "first.json"
    run("--db", str(first), "init", "--name", "Sam")
    device(run, first, 2, "prone-lying")
    run("--db", str(first), "export", "--format", "ndjson", "--output", str(shared))

    results = []
    for order in itertools.permutations(["phone", "laptop", "phone-again"]):
        folder = tmp_path / "-".join(order)
        folder.mkdir()
        phone, laptop = folder / "phone.json", folder / "laptop.json"
        for store in (phone, laptop):  # both start from the same history
            assert run("--db", str(store), "import", str(shared)).code == 0
        device(run, phone, 3, "walking")
        device(run, laptop, 4, "bird-dog")
        files = {}
        for name, store in (("phone", phone), ("laptop", laptop)):
            files[name] = folder / f"{name}.ndjson"
            run("--db", str(store), "export", "--format", "ndjson", "--output", str(files[name]))
        files["phone-again"] = files["phone"]
        for name in order:  # each side imports the other's export, some twice
            target = laptop if name.startswith("phone") else phone
            assert run("--db", str(target), "import", str(files[name])).code == 0
        assert content(run, phone) == content(run, laptop)
        results.append(without_new_ids(content(run, phone)))
    merged = results[0]
    assert all(result == merged for result in results)  # the order made no difference
    assert [e["at"][:10] for e in merged["pain"]] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert merged["profile"]["name"] == "Sam"


def test_a_record_edited_on_both_sides_ends_the_same_on_both(run: Any, tmp_path: Path) -> None:
    phone, laptop = tmp_path / "phone.json", tmp_path / "laptop.json"
    run("--db", str(phone), "pain", "log", "5", "--at", "2026-03-02T08:00")
    base = run("--db", str(phone), "export").json()
    versions = []
    for score in (4, 6):
        edited = json.loads(json.dumps(base))
        edited["pain"][0]["score"] = score
        path = tmp_path / f"edit-{score}.json"
        path.write_text(json.dumps(edited))
        versions.append(path)
    run("--db", str(phone), "import", str(versions[0]))
    run("--db", str(laptop), "import", str(versions[1]))
    for _ in range(2):
        run("--db", str(phone), "export", "--output", str(tmp_path / "p.json"))
        run("--db", str(laptop), "export", "--output", str(tmp_path / "l.json"))
        run("--db", str(phone), "import", str(tmp_path / "l.json"))
        run("--db", str(laptop), "import", str(tmp_path / "p.json"))
    assert content(run, phone) == content(run, laptop)
    assert content(run, phone)["pain"][0]["score"] == 6  # same time: the larger text wins


def test_ndjson_round_trips_everything(run: Any, tmp_path: Path) -> None:
    source = tmp_path / "source.json"
    run("--db", str(source), "init", "--name", "Ann", "--pool", "--preference", "flexion")
    device(run, source, 2, "flexion-in-lying")
    run("--db", str(source), "plan", "set", "walking", "--hold", "900")
    run("--db", str(source), "screen", "--yes", "fever")
    run("--db", str(source), "flag", "clear", "fever", "--note", "no fever")
    lines = run("--db", str(source), "export", "--format", "ndjson").out.splitlines()
    assert [json.loads(line)["type"] for line in lines[:2]] == ["export", "profile"]
    path = tmp_path / "all.ndjson"
    path.write_text("\n".join(lines) + "\n")
    copy = tmp_path / "copy.json"
    assert run("--db", str(copy), "import", str(path)).code == 0
    assert content(run, copy) == content(run, source)


def test_a_bad_ndjson_line_imports_nothing(run: Any, tmp_path: Path, db: Path) -> None:
    run("pain", "log", "3", "--at", "2026-03-02")
    lines = run("export", "--format", "ndjson").out.splitlines()
    path = tmp_path / "broken.ndjson"
    path.write_text("\n".join([*lines, '{"type": "pain", "id": "x1", "score": 3}']) + "\n")
    other = tmp_path / "other.json"
    result = run("--db", str(other), "import", str(path))
    assert result.code == 2
    assert result.err.startswith(f"ptcli: {path}: pain[1]: 'at' must be an ISO 8601 date-time")
    assert not other.exists()
    path.write_text("\n".join([*lines, '{"type": "mood", "id": "x2"}']) + "\n")
    mood = run("--db", str(other), "import", str(path))
    assert (
        mood.err
        == f"ptcli: {path}:{len(lines) + 1}: unknown line type 'mood'; nothing was imported\n"
    )
