"""Corrections converge: any logs, edits, deletes and undos on two devices, exchanged as
exports in any order, give both the same corrected log."""

from __future__ import annotations

import itertools
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptcli.domain.corrections import Corrections
from ptcli.domain.models import Correction, PainEntry

# One step on one device: log a score, edit the n-th entry it holds, delete it, or undo.
steps = st.lists(
    st.tuples(
        st.sampled_from(["phone", "laptop"]),
        st.sampled_from(["log", "edit", "delete", "undo"]),
        st.integers(0, 10),
    ),
    min_size=1,
    max_size=8,
)


def corrected_view(run: Any, store: Path) -> Any:
    pain = run("--db", str(store), "pain", "list", "--since", "2026-01-01", "--json")
    history = run("--db", str(store), "history", "--since", "2026-01-01", "--all", "--json")
    everything = run("--db", str(store), "export").json()
    del everything["exported_at"]
    return pain.json(), history.json(), everything


def act(run: Any, store: Path, action: str, number: int) -> None:
    db = ("--db", str(store))
    entries = run(*db, "pain", "list", "--since", "2026-01-01", "--json").json()
    if action == "log":
        run(*db, "pain", "log", str(number), "--at", f"2026-03-{number + 1:02}T08:00")
    elif action == "undo":
        run(*db, "undo", "--yes")
    elif entries:
        target = entries[number % len(entries)]["id"]
        if action == "edit":
            run(*db, "pain", "edit", target, "--score", str((number * 7) % 11))
        else:
            run(*db, "delete", target)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=steps, first=st.permutations(["phone", "laptop", "phone-again"]))
def test_any_edits_deletes_and_undos_converge_in_any_order(
    run: Any, steps: list[tuple[str, str, int]], first: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        stores = {name: Path(folder) / f"{name}.json" for name in ("phone", "laptop")}
        for store in stores.values():
            run("--db", str(store), "pain", "log", "5", "--at", "2026-02-01T08:00")
        shared = Path(folder) / "shared.json"
        run("--db", str(stores["phone"]), "export", "--output", str(shared))
        run("--db", str(stores["laptop"]), "import", str(shared))
        for device, action, number in steps:
            act(run, stores[device], action, number)
        files = {}
        for name, store in stores.items():
            files[name] = Path(folder) / f"{name}-out.ndjson"
            run("--db", str(store), "export", "--format", "ndjson", "--output", str(files[name]))
        files["phone-again"] = files["phone"]
        for name in first:  # each imports the other's export, one of them twice
            target = stores["laptop" if name.startswith("phone") else "phone"]
            assert run("--db", str(target), "import", str(files[name])).code == 0
        assert corrected_view(run, stores["phone"]) == corrected_view(run, stores["laptop"])


# The pure rule: the corrected view depends on the set of corrections, not their order.

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
ENTRIES = [PainEntry(f"p{n}", T0 + timedelta(hours=n), n, None) for n in range(3)]


@st.composite
def corrections(draw: Any) -> list[Correction]:
    made: list[Correction] = []
    for number in range(draw(st.integers(0, 10))):
        at = T0 + timedelta(days=1, minutes=draw(st.integers(0, 5)))  # ties on purpose
        if made and draw(st.booleans()):  # take back an earlier correction (undo)
            target = draw(st.sampled_from(made))
            made.append(
                Correction(
                    f"c{number}", max(at, target.at), target.id, "corrections", target.at, "void"
                )
            )
            continue
        entry = draw(st.sampled_from(ENTRIES))
        if draw(st.booleans()):
            made.append(Correction(f"c{number}", at, entry.id, "pain", entry.at, "void"))
        else:
            changes = (("score", draw(st.integers(0, 10))),)
            made.append(Correction(f"c{number}", at, entry.id, "pain", entry.at, "amend", changes))
    return made


@settings(max_examples=300, deadline=None)
@given(corrections())
def test_the_corrected_view_is_the_same_in_any_order(made: list[Correction]) -> None:
    views = {
        tuple(Corrections(order).view("pain", ENTRIES))
        for order in itertools.islice(itertools.permutations(made), 24)
    }
    views.add(tuple(Corrections(reversed(made)).view("pain", ENTRIES)))
    assert len(views) == 1


def test_an_undo_of_a_delete_of_an_edit_chain_resolves_newest_first() -> None:
    edit = Correction("c1", T0, "p1", "pain", ENTRIES[1].at, "amend", (("score", 9),))
    undo_edit = Correction("c2", T0 + timedelta(minutes=1), "c1", "corrections", T0, "void")
    undo_undo = Correction("c3", T0 + timedelta(minutes=2), "c2", "corrections", T0, "void")
    assert Corrections([edit]).view("pain", ENTRIES)[1].score == 9
    assert Corrections([edit, undo_edit]).view("pain", ENTRIES)[1].score == 1
    assert Corrections([undo_undo, edit, undo_edit]).view("pain", ENTRIES)[1].score == 9


def test_a_void_of_a_later_correction_and_a_silent_void_of_safety_data_count_for_nothing() -> None:
    edit = Correction(
        "c2", T0 + timedelta(minutes=1), "p1", "pain", ENTRIES[1].at, "amend", (("score", 9),)
    )
    backwards = Correction("c1", T0, "c2", "corrections", T0, "void")  # only a forged file
    assert Corrections([edit, backwards]).view("pain", ENTRIES)[1].score == 9
    silent = Correction("c3", T0, "s1", "screens", T0, "void")
    assert not Corrections([silent]).voided("screens", "s1")
    said = silent._replace(reason="answered yes by mistake")
    assert Corrections([said]).voided("screens", "s1")
