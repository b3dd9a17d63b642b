"""Dose ceilings (DOMAIN.md section 5), chains of one category and needs.minimal_symptoms.

Through the CLI as a therapist meets them: ``catalogue check`` on a catalogue they
edited, and ``plan set`` with a dose typed by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptcli import catalogue_file
from ptcli.domain import ceilings
from ptcli.domain.ceilings import DEFAULTS, HARD_CAPS
from ptcli.domain.models import CATEGORIES
from tests.conftest import ROOT

ENTRY = """\
  - id: {id}
    name: Test exercise
    category: {category}
    direction: neutral
    chain: {chain}
    level: {level}
    bands: [green, amber]
    purpose: For testing.
    position: Standing.
    steps: [Move.]
    dose:
      sets: {sets}
      reps: {reps}
      hold_s: {hold}
      times_per_day: {per_day}
      days_per_week: {days}
      per_side: false
      range: {{sets: [1, {sets_top}], reps: [1, {reps_top}]{hold_range}}}
    cautions: []
    needs: {{pool: false, equipment: []{needs}}}
    therapist_only: false
"""


def entry(exercise_id: str, **given: Any) -> str:
    fields: dict[str, Any] = {
        "id": exercise_id,
        "category": "isometric",
        "chain": exercise_id,
        "level": 1,
        "sets": 1,
        "reps": 5,
        "hold": 10,
        "per_day": 1,
        "days": 3,
        "needs": "",
        **given,
    }
    fields.setdefault("sets_top", fields["sets"])
    fields.setdefault("reps_top", fields["reps"])
    hold = fields["hold"]
    fields.setdefault("hold_top", hold)
    fields["hold_range"] = "" if hold is None else f", hold_s: [1, {fields['hold_top']}]"
    fields["hold"] = "null" if hold is None else hold
    return ENTRY.format(**fields)


def write(tmp_path: Path, *entries: str, head: str = "") -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text("version: 1\n" + head + "exercises:\n" + "".join(entries))
    return path


WALK = {"category": "aerobic", "sets": 1, "reps": 1, "days": 7}


# The rules themselves (pure)


def test_the_defaults_are_domain_section_5() -> None:
    assert (DEFAULTS.sets, DEFAULTS.reps) == (5, 30)
    assert dict(DEFAULTS.hold_s) == {
        "mckenzie": 300,
        "isometric": 60,
        "isotonic": 60,
        "neural": 60,
        "stretch": 60,
        "aerobic": 60 * 60,
        "hydrotherapy": 45 * 60,
        "massage": 2 * 60,  # a region
    }
    assert dict(DEFAULTS.times_per_day) == {"mckenzie": 10, "massage": 1, "other": 3}
    assert dict(DEFAULTS.days_per_week) == {"isotonic": 3, "other": 7}


def test_every_hard_cap_is_at_or_above_its_default_and_days_stay_in_a_week() -> None:
    assert HARD_CAPS.sets >= DEFAULTS.sets and HARD_CAPS.reps >= DEFAULTS.reps
    for name in ("hold_s", "times_per_day", "days_per_week"):
        defaults, caps = getattr(DEFAULTS, name), getattr(HARD_CAPS, name)
        assert set(defaults) == set(caps)
        assert all(caps[key] >= defaults[key] for key in defaults), name
    assert max(HARD_CAPS.days_per_week.values()) == 7
    assert HARD_CAPS.days_per_week["isotonic"] == 4  # no two loaded days in a row
    assert set(DEFAULTS.hold_s) == set(CATEGORIES)


def test_limits_pick_the_category_keys() -> None:
    assert ceilings.limits(DEFAULTS, "mckenzie") == (5, 30, 300, 10, 7)
    assert ceilings.limits(DEFAULTS, "isotonic") == (5, 30, 60, 3, 3)
    assert ceilings.limits(DEFAULTS, "aerobic") == (5, 30, 3600, 3, 7)
    assert ceilings.limits(DEFAULTS, "hydrotherapy").hold_s == 2700
    assert ceilings.limits(DEFAULTS, "massage") == (5, 30, 120, 1, 7)


def test_problems_name_each_limit_and_accept_what_is_within() -> None:
    assert ceilings.problems(DEFAULTS, "aerobic", 1, 1, 3600, 3, 7) == []
    assert ceilings.problems(DEFAULTS, "isometric", 10, 100, 3600, 4, 8) == [
        "10 sets is above the ceiling of 5 sets (ceilings.sets)",
        "100 repetitions is above the ceiling of 30 repetitions (ceilings.reps)",
        "a hold of 3600 s (60 min) is above the isometric ceiling of 60 s (ceilings.hold_s.isometric)",
        "4 times a day is above the ceiling of 3 times a day (ceilings.times_per_day.other)",
        "8 days a week is above the ceiling of 7 days a week (ceilings.days_per_week.other)",
    ]
    assert ceilings.problems(DEFAULTS, "mckenzie", times_per_day=11, hold_s=301) == [
        "a hold of 301 s is above the McKenzie ceiling of 300 s (5 min) (ceilings.hold_s.mckenzie)",
        "11 times a day is above the McKenzie ceiling of 10 times a day "
        "(ceilings.times_per_day.mckenzie)",
    ]
    assert ceilings.problems(DEFAULTS, "isotonic", days_per_week=4) == [
        "4 days a week is above the isotonic ceiling of 3 days a week "
        "(ceilings.days_per_week.isotonic)"
    ]
    assert ceilings.problems(DEFAULTS, "isotonic", hold_s=None) == []


def test_a_ceilings_block_changes_only_what_it_names() -> None:
    found, problems = ceilings.parse({"sets": 8, "hold_s": {"aerobic": 5400}})
    assert problems == []
    assert found.sets == 8 and found.reps == DEFAULTS.reps
    assert found.hold_s["aerobic"] == 5400 and found.hold_s["isometric"] == 60
    assert ceilings.parse(None) == (DEFAULTS, [])
    lowered, problems = ceilings.parse({"reps": 10, "times_per_day": {"mckenzie": 6}})
    assert problems == [] and lowered.reps == 10 and lowered.times_per_day["mckenzie"] == 6


def test_a_ceilings_block_cannot_pass_the_hard_cap_or_hold_nonsense() -> None:
    found, problems = ceilings.parse(
        {
            "sets": 11,
            "reps": 0,
            "hold_s": {"aerobic": 7260, "yoga": 10},
            "times_per_day": {"mckenzie": 17, "other": True},
            "days_per_week": {"isotonic": 5},
            "weeks": 3,
        }
    )
    assert found == DEFAULTS  # every wrong value keeps its default
    assert problems == [
        (
            "ceilings.weeks",
            "unknown key (one of: sets, reps, hold_s, times_per_day, days_per_week)",
        ),
        ("ceilings.sets", "11 is above the hard cap of 10"),
        ("ceilings.reps", "must be a whole number from 1 to 60"),
        ("ceilings.hold_s.aerobic", "7260 s (121 min) is above the hard cap of 7200 s (120 min)"),
        (
            "ceilings.hold_s.yoga",
            "unknown key (one of: mckenzie, isometric, isotonic, neural, stretch, aerobic, "
            "hydrotherapy, massage)",
        ),
        ("ceilings.times_per_day.mckenzie", "17 is above the hard cap of 16"),
        ("ceilings.times_per_day.other", "must be a whole number from 1 to 6"),
        ("ceilings.days_per_week.isotonic", "5 is above the hard cap of 4"),
    ]
    assert ceilings.parse([1, 2])[1] == [
        ("ceilings", "must be a mapping (see the catalogue's header comment)")
    ]


VALUES = st.one_of(st.integers(-5, 20000), st.booleans(), st.none(), st.text(max_size=3))


def block(keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), VALUES)


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "sets": VALUES,
            "reps": VALUES,
            "hold_s": block(tuple(DEFAULTS.hold_s)),
            "times_per_day": block(("mckenzie", "other")),
            "days_per_week": block(("isotonic", "other")),
        },
    )
)
def test_no_ceilings_block_gets_past_the_hard_cap(raw: dict[str, Any]) -> None:
    found, problems = ceilings.parse(raw)
    assert 1 <= found.sets <= HARD_CAPS.sets and 1 <= found.reps <= HARD_CAPS.reps
    for name in ("hold_s", "times_per_day", "days_per_week"):
        caps, values = getattr(HARD_CAPS, name), getattr(found, name)
        assert set(values) == set(caps)
        assert all(isinstance(v, int) and 1 <= v <= caps[key] for key, v in values.items())
    # Every value that was not taken as given is reported.
    taken = found._asdict()
    for key, value in raw.items():
        given_values = value.items() if isinstance(value, dict) else [(None, value)]
        for inner, given_value in given_values:
            field = f"ceilings.{key}" if inner is None else f"ceilings.{key}.{inner}"
            kept = taken[key] if inner is None else taken[key][inner]
            if kept != given_value or isinstance(given_value, bool):
                assert any(name == field for name, _ in problems), field


# catalogue check


def test_the_shipped_catalogue_is_within_the_default_ceilings() -> None:
    catalogue, problems = catalogue_file.check(ROOT / "exercises.yaml")
    assert problems == []
    assert catalogue.ceilings == DEFAULTS
    for exercise in catalogue:
        dose, top = exercise.dose, exercise.dose.range
        assert (
            ceilings.problems(
                DEFAULTS,
                exercise.category,
                max(dose.sets, top.sets[1]),
                max(dose.reps, top.reps[1]),
                top.hold_s[1] if top.hold_s else dose.hold_s,
                dose.times_per_day,
                dose.days_per_week,
            )
            == []
        ), exercise.id


def test_check_refuses_a_600_minute_walk(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path, entry("long-walk", **WALK, hold=36000))
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{path}:13: long-walk.dose.hold_s: a hold of 36000 s (600 min) is above the aerobic "
        "ceiling of 3600 s (60 min) (ceilings.hold_s.aerobic)",
        f"{path}:13: long-walk.dose.range.hold_s: a hold of 36000 s (600 min) is above the "
        "aerobic ceiling of 3600 s (60 min) (ceilings.hold_s.aerobic)",
        f"2 problems in {path}.",
    ]
    # ... and so no command will use it.
    refused = run("--catalogue", str(path), "today")
    assert refused.code == 1 and "ceilings.hold_s.aerobic" in refused.err


def test_check_refuses_10_sets_of_100_one_hour_holds(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path, entry("marathon-hold", sets=10, reps=100, hold=3600))
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    prefix = f"{path}:13: marathon-hold.dose"
    hold = "a hold of 3600 s (60 min) is above the isometric ceiling of 60 s (ceilings.hold_s.isometric)"
    assert result.out.splitlines() == [
        f"{prefix}.sets: 10 sets is above the ceiling of 5 sets (ceilings.sets)",
        f"{prefix}.reps: 100 repetitions is above the ceiling of 30 repetitions (ceilings.reps)",
        f"{prefix}.hold_s: {hold}",
        f"{prefix}.range.sets: 10 sets is above the ceiling of 5 sets (ceilings.sets)",
        f"{prefix}.range.reps: 100 repetitions is above the ceiling of 30 repetitions "
        "(ceilings.reps)",
        f"{prefix}.range.hold_s: {hold}",
        f"6 problems in {path}.",
    ]


def test_check_refuses_a_range_that_could_climb_above_a_ceiling(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path, entry("creep", sets=2, sets_top=6))
    result = run("catalogue", "check", "--json", str(path))
    assert result.code == 1
    assert [(p["field"], p["message"]) for p in result.json()["problems"]] == [
        ("dose.range.sets", "6 sets is above the ceiling of 5 sets (ceilings.sets)")
    ]


def test_check_refuses_times_and_days_above_their_ceilings(run: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        entry("press", category="mckenzie", hold=None, per_day=11, days=7),
        entry("squat", category="isotonic", hold=None, per_day=2, days=4),
    )
    lines = run("catalogue", "check", str(path)).out.splitlines()
    assert lines == [
        f"{path}:13: press.dose.times_per_day: 11 times a day is above the McKenzie ceiling of "
        "10 times a day (ceilings.times_per_day.mckenzie)",
        f"{path}:34: squat.dose.days_per_week: 4 days a week is above the isotonic ceiling of "
        "3 days a week (ceilings.days_per_week.isotonic)",
        f"2 problems in {path}.",
    ]


def test_a_ceilings_block_within_the_hard_cap_is_accepted_and_used(
    run: Any, tmp_path: Path
) -> None:
    head = "ceilings:\n  hold_s: {aerobic: 5400}\n  sets: 6\n"
    path = write(tmp_path, entry("long-walk", **WALK, hold=5400), head=head)
    result = run("catalogue", "check", str(path))
    assert (result.code, result.out) == (0, f"{path}: 1 exercises, no problems.\n")
    assert catalogue_file.check(path)[0].ceilings.hold_s["aerobic"] == 5400
    # The raised ceiling is the one plan set holds a pin to.
    assert run("--catalogue", str(path), "plan", "set", "long-walk", "--hold", "5400").code == 0
    refused = run("--catalogue", str(path), "plan", "set", "long-walk", "--hold", "5460")
    assert refused.code == 2
    assert refused.err == (
        "ptcli: cannot pin long-walk: a hold of 5460 s (91 min) is above the aerobic ceiling "
        "of 5400 s (90 min) (ceilings.hold_s.aerobic)\n"
    )


def test_a_ceilings_block_beyond_the_hard_cap_is_refused(run: Any, tmp_path: Path) -> None:
    head = "ceilings:\n  hold_s: {aerobic: 36000}\n  days_per_week: {isotonic: 7}\n"
    path = write(tmp_path, entry("long-walk", **WALK, hold=36000), head=head)
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{path}:2: ceilings.hold_s.aerobic: 36000 s (600 min) is above the hard cap of "
        "7200 s (120 min)",
        f"{path}:2: ceilings.days_per_week.isotonic: 7 is above the hard cap of 4",
        # The refused value is not used: the walk is held to the default.
        f"{path}:16: long-walk.dose.hold_s: a hold of 36000 s (600 min) is above the aerobic "
        "ceiling of 3600 s (60 min) (ceilings.hold_s.aerobic)",
        f"{path}:16: long-walk.dose.range.hold_s: a hold of 36000 s (600 min) is above the "
        "aerobic ceiling of 3600 s (60 min) (ceilings.hold_s.aerobic)",
        f"4 problems in {path}.",
    ]


def test_a_lowered_ceiling_holds_the_entries_to_it(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path, entry("curl-up", reps=8, reps_top=12), head="ceilings: {reps: 10}\n")
    result = run("catalogue", "check", str(path))
    assert result.out.splitlines() == [
        f"{path}:14: curl-up.dose.range.reps: 12 repetitions is above the ceiling of "
        "10 repetitions (ceilings.reps)",
        f"1 problem in {path}.",
    ]


# Chains keep one category


def test_check_refuses_a_chain_that_mixes_categories(run: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        entry("bridge-hold", chain="bridge", level=1),
        entry("dynamic-bridge", chain="bridge", level=2, category="isotonic", hold=None),
        entry("loaded-bridge", chain="bridge", level=3, category="isotonic", hold=None),
    )
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    mixes = "chain 'bridge' mixes categories: bridge-hold (level 1) is isometric"
    assert result.out.splitlines() == [
        f"{path}:26: dynamic-bridge.category: {mixes}, dynamic-bridge (level 2) is isotonic; "
        "a chain keeps one category",
        f"{path}:47: loaded-bridge.category: {mixes}, loaded-bridge (level 3) is isotonic; "
        "a chain keeps one category",
        f"2 problems in {path}.",
    ]


def test_the_shipped_chains_each_keep_one_category() -> None:
    catalogue, _ = catalogue_file.check(ROOT / "exercises.yaml")
    for chain in {e.chain for e in catalogue}:
        assert len({e.category for e in catalogue.chain(chain)}) == 1, chain


# plan set


def test_plan_set_refuses_a_600_minute_walk_and_writes_nothing(run: Any, db: Path) -> None:
    assert run("plan", "set", "walking", "--hold", "900").code == 0
    before = run("plan", "show", "--json").json()
    history = run("plan", "history", "--json").json()
    result = run("plan", "set", "walking", "--hold", "36000")
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "ptcli: cannot pin walking: a hold of 36000 s (600 min) is above the aerobic ceiling "
        "of 3600 s (60 min) (ceilings.hold_s.aerobic)\n"
    )
    assert run("plan", "show", "--json").json() == before
    assert run("plan", "history", "--json").json() == history


def test_plan_set_refuses_without_creating_a_store(run: Any, db: Path) -> None:
    assert run("plan", "set", "walking", "--hold", "36000").code == 2
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "limit"),
    [
        (["dynamic-bridge", "--sets", "6"], "ceilings.sets"),
        (["dynamic-bridge", "--reps", "31"], "ceilings.reps"),
        (["dynamic-bridge", "--per-day", "4"], "ceilings.times_per_day.other"),
        (["prone-lying", "--hold", "301"], "ceilings.hold_s.mckenzie"),
        (["prone-lying", "--per-day", "11"], "ceilings.times_per_day.mckenzie"),
        (["water-walking", "--hold", "2760"], "ceilings.hold_s.hydrotherapy"),
        (["bridge-hold", "--hold", "61"], "ceilings.hold_s.isometric"),
    ],
)
def test_plan_set_refuses_each_dose_above_its_ceiling(
    run: Any, args: list[str], limit: str
) -> None:
    result = run("plan", "set", *args)
    assert result.code == 2
    assert result.err.startswith(f"ptcli: cannot pin {args[0]}: ")
    assert result.err.endswith(f"({limit})\n") and result.err.count("\n") == 1
    assert run("plan", "show").out.startswith("The plan pins nothing")


@pytest.mark.parametrize(
    "args",
    [
        ["dynamic-bridge", "--sets", "5", "--reps", "30", "--per-day", "3"],
        ["prone-lying", "--hold", "300", "--per-day", "10"],
        ["walking", "--hold", "3600"],
        ["water-walking", "--hold", "2700"],
    ],
)
def test_plan_set_accepts_a_dose_at_its_ceiling(run: Any, args: list[str]) -> None:
    assert run("plan", "set", *args).code == 0


# needs.minimal_symptoms


def test_the_slump_tensioner_needs_minimal_symptoms(run: Any) -> None:
    catalogue, _ = catalogue_file.check(ROOT / "exercises.yaml")
    assert [e.id for e in catalogue if e.minimal_symptoms] == ["slump-tensioner"]
    shown = run("catalogue", "show", "slump-tensioner", "--json").json()
    assert shown["needs"] == {"pool": False, "equipment": ["chair"], "minimal_symptoms": True}
    assert "only with minimal symptoms" in run("catalogue", "show", "slump-tensioner").out
    assert (
        run("catalogue", "show", "lying-sciatic-slider", "--json").json()["needs"][
            "minimal_symptoms"
        ]
        is False
    )


def test_check_reads_minimal_symptoms_as_true_or_false(run: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        entry("tensioner", category="neural", hold=None, needs=", minimal_symptoms: true"),
        entry("other", category="neural", hold=None, needs=", minimal_symptoms: often"),
        entry("odd", category="neural", hold=None, needs=", kettlebell: true"),
    )
    result = run("catalogue", "check", str(path))
    assert result.out.splitlines() == [
        f"{path}:43: other.needs.minimal_symptoms: must be true or false",
        f"{path}:64: odd.needs: must have 'pool' and 'equipment' (and optionally "
        "'minimal_symptoms')",
        f"2 problems in {path}.",
    ]


# The cache


def test_ceilings_and_minimal_symptoms_survive_the_cache(tmp_path: Path) -> None:
    head = "ceilings:\n  hold_s: {aerobic: 5400}\n  times_per_day: {mckenzie: 8}\n"
    path = write(
        tmp_path,
        entry("long-walk", **WALK, hold=5400),
        entry("tensioner", category="neural", hold=None, needs=", minimal_symptoms: true"),
        head=head,
    )
    cache = tmp_path / "cache"
    fresh = catalogue_file.load(path, cache)
    assert list(cache.iterdir()), "the first load writes the cache"
    cached = catalogue_file.load(path, cache)
    assert cached.ceilings == fresh.ceilings
    assert (
        cached.ceilings.hold_s["aerobic"] == 5400 and cached.ceilings.times_per_day["mckenzie"] == 8
    )
    assert list(cached) == list(fresh)
    tensioner = cached.get("tensioner")
    assert tensioner is not None and tensioner.minimal_symptoms


def test_the_cache_key_follows_the_format_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, entry("curl-up"))
    key = catalogue_file._cache_key(path)
    assert key is not None and f":{catalogue_file.CACHE_VERSION}:" in key
    assert catalogue_file.CACHE_VERSION >= 3  # 3: ceilings and needs.minimal_symptoms
    monkeypatch.setattr(catalogue_file, "CACHE_VERSION", catalogue_file.CACHE_VERSION + 1)
    assert catalogue_file._cache_key(path) != key
