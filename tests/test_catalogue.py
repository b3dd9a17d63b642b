"""The shipped catalogue, and the checker a therapist runs on their own."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from ptcli import catalogue_file
from ptcli.domain.models import CATEGORIES
from tests.conftest import ROOT

ENTRY = """\
  - id: {id}
    name: Test exercise
    category: {category}
    direction: neutral
    chain: {chain}
    level: {level}
    bands: [green]
    purpose: For testing.
    position: Standing.
    steps: [Move.]
    dose:
      sets: 1
      reps: 10
      hold_s: null
      times_per_day: 1
      days_per_week: 3
      per_side: false
      range: {{sets: [1, 2], reps: [8, 12]}}
    cautions: []
    needs: {{pool: false, equipment: []}}
    therapist_only: false
"""


def catalogue_text(*entries: dict[str, Any]) -> str:
    body = "".join(ENTRY.format(**{"category": "isotonic", "level": 1, **e}) for e in entries)
    return "version: 1\nexercises:\n" + body


def test_the_package_ships_the_same_catalogue_as_the_repository() -> None:
    shipped = catalogue_file.packaged_path().read_bytes()
    assert shipped == (ROOT / "exercises.yaml").read_bytes(), (
        "copy exercises.yaml to src/ptcli/data/exercises.yaml"
    )


def test_the_shipped_catalogue_is_valid_and_covers_every_category() -> None:
    catalogue, problems = catalogue_file.check(ROOT / "exercises.yaml")
    assert problems == []
    assert len(catalogue) >= 30
    assert {e.category for e in catalogue} == set(CATEGORIES)
    assert all(e.pool for e in catalogue if e.category == "hydrotherapy")
    assert [e.id for e in catalogue.chain("extension")] == [
        "prone-lying",
        "prone-on-elbows",
        "partial-press-up",
        "full-press-up",
        "press-up-overpressure",
    ]


def test_check_accepts_the_shipped_catalogue(run: Any) -> None:
    result = run("catalogue", "check")
    assert result.code == 0
    assert result.out.endswith("exercises, no problems.\n")


def test_check_reports_every_problem_with_file_line_entry_and_field(
    run: Any, tmp_path: Path
) -> None:
    text = catalogue_text(
        {"id": "a-one", "chain": "a"},
        {"id": "a-one", "chain": "b"},
        {"id": "c-three", "chain": "c", "category": "yoga"},
        {"id": "d-four", "chain": "d", "level": 2},
    )
    text = text.replace("    position: Standing.\n", "", 1)  # a missing field in the first entry
    text = text.replace(
        "    cautions: []\n", "    cautions: []\n    cautions: [again]\n", 1
    )  # duplicate key
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[-1] == f"5 problems in {path}."
    expected = [
        f"{path}:3: a-one.position: missing",
        f"{path}:21: a-one.cautions: duplicate key (the last one would win)",
        f"{path}:24: a-one.id: duplicate id (entry 1)",
        f"{path}:47: c-three.category: unknown category 'yoga' (one of: {', '.join(CATEGORIES)})",
        f"{path}:71: d-four.level: chain 'd' has levels [2]: it must run 1..1 with no gap",
    ]
    assert lines[:-1] == expected


def test_check_json_lists_the_problems_for_scripts(run: Any, tmp_path: Path) -> None:
    assert run("catalogue", "check", "--json").json()["problems"] == []
    path = tmp_path / "bad.yaml"
    path.write_text(catalogue_text({"id": "c-three", "chain": "c", "category": "yoga"}))
    result = run("catalogue", "check", "--json", str(path))
    assert result.code == 1
    [problem] = result.json()["problems"]
    assert problem == {
        "file": str(path),
        "line": problem["line"],
        "entry": "c-three",
        "field": "category",
        "message": f"unknown category 'yoga' (one of: {', '.join(CATEGORIES)})",
    }
    assert isinstance(problem["line"], int)


def test_check_reports_yaml_syntax_errors_with_their_line(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nexercises:\n  - id: [unclosed\n")
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    assert result.out.startswith(f"{path}:4: not valid YAML")


def test_an_invalid_catalogue_in_use_fails_every_command_that_needs_it(
    run: Any, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(catalogue_text({"id": "x", "chain": "x", "category": "yoga"}))
    result = run("--catalogue", str(path), "today")
    assert result.code == 1
    assert result.err == (
        f"ptcli: the exercise catalogue is invalid: {path}:5: x.category: unknown category 'yoga' "
        f"(one of: {', '.join(CATEGORIES)}); run 'ptcli catalogue check {path}' for the full report\n"
    )
    assert run("--catalogue", str(tmp_path / "none.yaml"), "today").code == 1


def test_a_custom_catalogue_is_used_and_its_cache_follows_edits(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(catalogue_text({"id": "squat", "chain": "squat"}))
    assert [
        e["id"] for e in run("--catalogue", str(path), "catalogue", "list", "--json").json()
    ] == ["squat"]
    path.write_text(
        catalogue_text({"id": "squat", "chain": "squat"}, {"id": "lunge", "chain": "lunge"})
    )
    os.utime(path, ns=(1, 1))  # a new modification time even on coarse clocks
    assert [
        e["id"] for e in run("--catalogue", str(path), "catalogue", "list", "--json").json()
    ] == ["squat", "lunge"]


def test_the_cache_returns_the_same_catalogue_as_a_fresh_read(tmp_path: Path) -> None:
    fresh = catalogue_file.load(ROOT / "exercises.yaml", tmp_path)
    cached = catalogue_file.load(ROOT / "exercises.yaml", tmp_path)
    assert list(tmp_path.iterdir()), "the first load writes the cache"
    assert list(cached) == list(fresh)


def test_the_list_never_cuts_an_id_on_an_80_column_terminal(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run("catalogue", "list").out
    ids = [e["id"] for e in run("catalogue", "list", "--json").json()]
    assert len(ids) >= 30 and all(exercise_id in out for exercise_id in ids)


def test_list_filters_by_category_and_show_prints_steps(run: Any) -> None:
    listed = run("catalogue", "list", "--category", "neural", "--json").json()
    assert [e["id"] for e in listed] == [
        "lying-sciatic-slider",
        "seated-sciatic-slider",
        "slump-tensioner",
    ]
    shown = run("catalogue", "show", "prone-lying")
    assert shown.code == 0
    assert "1. " in shown.out and "Cautions:" in shown.out
    as_json = run("catalogue", "show", "prone-lying", "--json").json()
    assert set(as_json) >= {
        "id",
        "name",
        "category",
        "direction",
        "chain",
        "level",
        "steps",
        "dose",
        "cautions",
        "needs",
        "therapist_only",
    }


def test_check_rejects_ranges_that_could_prescribe_nothing(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "zero.yaml"
    path.write_text(
        catalogue_text({"id": "squat", "chain": "squat"}).replace("sets: [1, 2]", "sets: [0, 2]")
    )
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    assert "squat.dose.range.sets: [0, 2] must run from 1 upwards, low first" in result.out


@pytest.mark.parametrize("text", ["", "- a list\n", "version: 2\nexercises: []\n"])
def test_check_rejects_files_that_are_not_catalogues(run: Any, tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(textwrap.dedent(text))
    result = run("catalogue", "check", str(path))
    assert result.code == 1


def test_check_reports_every_problem_of_every_entry_duplicates_included(
    run: Any, tmp_path: Path
) -> None:
    """Issue 20: a duplicate id hides none of that entry's other problems; all in file order."""
    text = catalogue_text(
        {"id": "a-one", "chain": "a"},
        {"id": "b-two", "chain": "b", "category": "yoga"},
        {"id": "a-one", "chain": "a", "category": "nonsense"},
        {"id": "d-four", "chain": "d"},
    )
    entries = text.split("  - id: ")
    # The duplicate (third entry) also lacks its name and asks for no sets.
    entries[3] = (
        entries[3].replace("    name: Test exercise\n", "").replace("sets: 1\n", "sets: 0\n")
    )
    entries[4] = entries[4].replace("therapist_only: false", "therapist_only: maybe")
    path = tmp_path / "broken.yaml"
    path.write_text("  - id: ".join(entries))
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    categories = ", ".join(CATEGORIES)
    assert result.out.splitlines() == [
        f"{path}:26: b-two.category: unknown category 'yoga' (one of: {categories})",
        f"{path}:45: a-one.id: duplicate id (entry 1)",
        f"{path}:45: a-one.name: missing",
        f"{path}:46: a-one.category: unknown category 'nonsense' (one of: {categories})",
        f"{path}:54: a-one.dose.sets: must be a whole number from 1",
        f"{path}:85: d-four.therapist_only: must be true or false, not 'maybe'",
        f"6 problems in {path}.",
    ]
    # The list is the output; stderr says in one line why the exit is 1 (issue 12).
    assert result.err == (
        f"ptcli: 6 problems in {path}: line 26: b-two.category: unknown category 'yoga' "
        f"(one of: {categories}) (and 5 more: see the list)\n"
    )


def test_the_issue_20_example_reports_the_duplicate_and_its_unknown_category(
    run: Any, tmp_path: Path
) -> None:
    path = tmp_path / "short.yaml"
    path.write_text(
        "version: 1\nexercises:\n"
        "  - id: a\n    name: A\n    category: isometric\n"
        "  - id: a\n    name: B\n    category: nonsense\n"
    )
    lines = run("catalogue", "check", str(path)).out.splitlines()
    assert f"{path}:6: a.id: duplicate id (entry 1)" in lines
    assert any(
        line.startswith(f"{path}:8: a.category: unknown category 'nonsense'") for line in lines
    )
    assert f"{path}:6: a.direction: missing" in lines  # the duplicate's missing fields too
    lines_of = [int(line.split(":")[1]) for line in lines[:-1]]
    assert lines_of == sorted(lines_of)
