"""Property tests of the routine engine over generated logs (DOMAIN.md sections 3 and 4)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ptcli import catalogue_file
from ptcli.domain.engine import build_routine, peripheralizations, spread_after
from ptcli.domain.models import Band, Extent, PainEntry, PainReading, Profile, Routine, SessionEntry
from tests.conftest import ROOT

CATALOGUE = catalogue_file.check(ROOT / "exercises.yaml")[0]
DAY = date(2026, 3, 14)
BASE = datetime(2026, 3, 14, tzinfo=UTC)

extents = st.none() | st.sampled_from(list(Extent))
moments = st.builds(
    lambda days, minutes: BASE - timedelta(days=days, minutes=minutes),
    st.integers(0, 13),
    st.integers(-600, 600),
)
pain_entries = st.lists(
    st.builds(
        PainEntry, id=st.uuids().map(str), at=moments, score=st.integers(0, 10), where=extents
    ),
    max_size=12,
)
session_entries = st.lists(
    st.builds(
        SessionEntry,
        id=st.uuids().map(str),
        at=moments,
        exercise=st.sampled_from(CATALOGUE.ids()),
        sets=st.integers(1, 3),
        reps=st.integers(1, 12),
        hold_s=st.none(),
        pain_after=st.none() | st.integers(0, 10),
        where_after=extents,
    ),
    max_size=12,
)
profiles = st.builds(
    Profile, pool=st.booleans(), preference=st.none() | st.sampled_from(["extension", "flexion"])
)
readings = st.builds(PainReading, score=st.integers(0, 10), where=extents)


def volume(item: object) -> int:
    return item.sets * item.reps * (item.hold_s or 1)  # type: ignore[attr-defined]


@given(pain_entries, session_entries, profiles)
def test_the_same_log_gives_the_same_routine_in_any_order(
    pain: list[PainEntry], sessions: list[SessionEntry], profile: Profile
) -> None:
    first = build_routine(CATALOGUE, pain, sessions, profile, DAY)
    again = build_routine(CATALOGUE, list(reversed(pain)), list(reversed(sessions)), profile, DAY)
    assert first == again


@given(pain_entries, session_entries, profiles)
def test_every_exercise_exists_and_is_allowed_for_the_profile_and_band(
    pain: list[PainEntry], sessions: list[SessionEntry], profile: Profile
) -> None:
    routine = build_routine(CATALOGUE, pain, sessions, profile, DAY)
    preference = profile.preference or "extension"
    for item in routine.items:
        exercise = CATALOGUE.get(item.exercise.id)
        assert exercise == item.exercise
        assert not exercise.therapist_only
        assert routine.band in exercise.bands
        assert profile.pool or not exercise.pool
        assert exercise.direction in (preference, "neutral")
        low, high = exercise.dose.range.sets
        assert low <= item.sets <= high and item.why
    if routine.band is Band.RED:
        assert "isotonic" not in {item.exercise.category for item in routine.items}


@given(pain_entries, session_entries, profiles, readings, readings)
def test_more_pain_never_gives_a_harder_routine(
    pain: list[PainEntry],
    sessions: list[SessionEntry],
    profile: Profile,
    a: PainReading,
    b: PainReading,
) -> None:
    lower, higher = sorted([a, b], key=lambda r: r.score)
    easy = build_routine(CATALOGUE, pain, sessions, profile, DAY, lower)
    hard = build_routine(CATALOGUE, pain, sessions, profile, DAY, higher)
    assert len(hard.items) <= len(easy.items)
    per_category_easy = Counter(i.exercise.category for i in easy.items)
    per_category_hard = Counter(i.exercise.category for i in hard.items)
    assert all(per_category_hard[c] <= per_category_easy[c] for c in per_category_hard)
    easy_items = {i.exercise.id: i for i in easy.items}
    for item in hard.items:
        if item.exercise.id in easy_items:
            assert volume(item) <= volume(easy_items[item.exercise.id])


@given(pain_entries, session_entries, profiles)
@settings(max_examples=200)
def test_a_peripheralized_exercise_its_harder_levels_and_its_direction_stay_out(
    pain: list[PainEntry], sessions: list[SessionEntry], profile: Profile
) -> None:
    routine = build_routine(CATALOGUE, pain, sessions, profile, DAY)
    for spread in peripheralizations(CATALOGUE, pain, sessions, DAY):
        for item in routine.items:
            if item.exercise.chain == spread.exercise.chain:
                assert item.exercise.level < spread.exercise.level
            elif spread.exercise.direction != "neutral":
                assert item.exercise.direction != spread.exercise.direction
        assert spread.exercise.name in routine.message


@given(pain_entries, session_entries)
def test_spreading_is_judged_only_past_the_back_and_against_a_baseline(
    pain: list[PainEntry], sessions: list[SessionEntry]
) -> None:
    for session in sessions:
        verdict = spread_after(session, pain, sessions)
        if session.where_after is None or session.where_after <= Extent.BACK:
            assert not verdict


def test_a_session_that_spread_pain_is_found() -> None:
    before = PainEntry("p", BASE - timedelta(hours=2), 3, Extent.BUTTOCK)
    spread = SessionEntry(
        "s", BASE - timedelta(hours=1), "partial-press-up", 1, 10, None, 4, Extent.CALF
    )
    found = peripheralizations(CATALOGUE, [before], [spread], DAY)
    assert [p.exercise.id for p in found] == ["partial-press-up"]
    routine: Routine = build_routine(CATALOGUE, [before], [spread], Profile(), DAY)
    ids = [item.exercise.id for item in routine.items]
    assert "prone-lying" in ids  # the easier level of the same chain stays
    assert not {"partial-press-up", "full-press-up"} & set(ids)
