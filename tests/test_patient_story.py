"""Twelve weeks of one patient through the CLI, checked day by day (DOMAIN.md sections 1, 3, 4).

Sam has left-sided sciatica and an extension preference. Each morning Sam logs pain and
how far it reaches, asks for that day's routine, and logs every exercise in it at the
prescribed dose with the pain and extent just after. The story: four weeks of
improvement with centralization (thigh -> buttock -> back), a flare-up in week 5, a
McKenzie session in week 6 after which symptoms reach the calf (peripheralization),
then recovery, with a fever (urgent flag) in week 8, a slightly worse week 9 and a
bladder change (emergency) in week 11.

The story is played once (about 20 s) and every test reads the same record. The
expectations are worked out here from the rules (engine docstring, ``monitoring``,
``progression``, DOMAIN.md), not read back from the engine's helpers.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import fmean
from typing import Any, NamedTuple

import pytest

START = date(2026, 1, 5)  # a Monday, well in the past
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Morning pain (07:30), Monday to Sunday, and how far the symptoms reach that week.
WEEKS = [
    # mon tue wed thu fri sat sun
    ([5, 5, 5, 5, 4, 4, 4], "thigh"),  # 1  amber
    ([4, 4, 4, 3, 3, 3, 3], "thigh"),  # 2  green from Thursday
    ([3, 3, 3, 2, 2, 2, 2], "buttock"),  # 3  centralizing
    ([2, 2, 2, 2, 2, 2, 2], "back"),  # 4  central back pain only
    ([2, 2, 5, 7, 5, 4, 3], "buttock"),  # 5  flare-up from Wednesday, red on Thursday
    ([3, 3, 3, 2, 2, 2, 2], "buttock"),  # 6  Tuesday's McKenzie session spreads to the calf
    ([2, 2, 1, 1, 1, 1, 1], "back"),  # 7  recovery
    ([1, 1, 1, 1, 1, 1, 1], "back"),  # 8  fever on Tuesday evening, seen by the GP Thursday
    ([2, 2, 2, 2, 2, 2, 2], "back"),  # 9  a slightly worse week
    ([1, 1, 1, 1, 1, 1, 1], "back"),  # 10
    ([1, 1, 1, 1, 0, 0, 0], "back"),  # 11 bladder change on Wednesday (emergency)
    ([0, 0, 0, 0, 0, 0, 0], "none"),  # 12
]


def day(week: int, weekday: str) -> date:
    return START + timedelta(days=7 * (week - 1) + WEEKDAYS.index(weekday))


MORNINGS = {
    day(week, weekday): (score, where)
    for week, (scores, where) in enumerate(WEEKS, start=1)
    for weekday, score in zip(WEEKDAYS, scores, strict=True)
}
STORY_DAYS = sorted(MORNINGS)

# Pain just after each session is the morning's score, except on these days.
PAIN_AFTER = {day(5, "wed"): 6, day(5, "thu"): 5}
SPREAD_DAY = day(6, "tue")  # after the McKenzie session symptoms reach the calf
FEVER_DAY = day(8, "tue")  # 'pain log 4 --flag fever' at 18:00
FEVER_CLEARED = day(8, "thu")  # 'flag clear fever' at noon, after that day's sessions
BLADDER_DAY = day(11, "wed")  # 'screen --yes bladder' at 08:00; cleared next day at 07:00

FEVER_DAYS = {FEVER_DAY + timedelta(days=1), FEVER_CLEARED}  # routines asked under the flag
SPREAD_OUT_DAYS = {SPREAD_DAY + timedelta(days=n) for n in range(3)}  # that day, the next two

# The McKenzie exercise at checkpoints: (id, hold in seconds, change). Prone lying and
# prone on elbows hold 120-300 s; one step is a quarter of the range, 45 s.
MCKENZIE = {
    day(1, "mon"): ("prone-lying", 120, "new"),
    day(2, "wed"): ("prone-lying", 120, "held"),  # amber: same dose
    day(2, "thu"): ("prone-lying", 120, "held"),  # green, but yesterday's pain after was 4
    day(2, "fri"): ("prone-lying", 120, "held"),  # one easy session
    day(2, "sat"): ("prone-lying", 165, "progressed"),  # two easy sessions in a row
    day(2, "sun"): ("prone-lying", 165, "held"),
    day(3, "mon"): ("prone-lying", 210, "progressed"),
    day(3, "wed"): ("prone-lying", 255, "progressed"),
    day(3, "fri"): ("prone-lying", 300, "progressed"),  # top of the hold range
    day(3, "sun"): ("prone-on-elbows", 120, "progressed"),  # next level, bottom of its range
    day(4, "tue"): ("prone-on-elbows", 165, "progressed"),
    day(4, "sat"): ("prone-on-elbows", 255, "progressed"),
    # Morning pain reached the buttock after a week at the back: spreading, no progression.
    day(5, "mon"): ("prone-on-elbows", 255, "held"),
    day(5, "wed"): ("prone-lying", 120, "regressed"),  # flare: back to the first level
    day(8, "wed"): ("prone-on-elbows", 120, "held"),  # fever: no progression
    day(8, "thu"): ("prone-on-elbows", 120, "held"),
    day(8, "fri"): ("prone-on-elbows", 165, "progressed"),  # flag cleared
    day(9, "mon"): ("prone-lying", 120, "regressed"),  # 2/10 after 1/10: not settled
}


class Story(NamedTuple):
    routines: dict[date, dict[str, Any]]  # each day's routine, asked after the morning entry
    after_spread: dict[str, Any]  # the spread day's routine, asked again after the sessions
    sessions: list[dict[str, Any]]  # every session logged, from 'export'
    flags: list[dict[str, Any]]  # 'flag list --all' at the end
    catalogue: dict[str, dict[str, Any]]  # by id


# ----------------------------------------------------------------------------- playing it


def at(d: date, hour: int, minute: int = 0) -> str:
    return f"{d.isoformat()}T{hour:02d}:{minute:02d}"


def ok(run: Any, *args: str) -> Any:
    result = run(*args)
    assert result.code == 0, f"ptcli {' '.join(args)}: {result.err}"
    return result


def routine(run: Any, d: date) -> Any:
    return ok(run, "routine", "--date", d.isoformat(), "--format", "json").json()


def play(run: Any) -> Story:
    """Sam's twelve weeks, command by command."""
    ok(run, "init", "--name", "Sam", "--side", "left", "--preference", "extension")
    routines: dict[date, dict[str, Any]] = {}
    for d in STORY_DAYS:
        score, where = MORNINGS[d]
        if d == BLADDER_DAY + timedelta(days=1):
            ok(run, "flag", "clear", "bladder", "--note", "seen in A&E", "--at", at(d, 7))
        if d.weekday() == 0:
            ok(run, "screen", "--no-others", "--at", at(d, 7))
        ok(run, "pain", "log", str(score), "--where", where, "--at", at(d, 7, 30))
        if d == BLADDER_DAY:
            stopped = run("screen", "--yes", "bladder", "--no-others", "--at", at(d, 8))
            assert stopped.code == 3, stopped.err  # stopped for safety, the yes saved
        routines[d] = routine(run, d)
        for hour, item in enumerate(routines[d]["exercises"], start=9):
            spreads = d == SPREAD_DAY and item["category"] == "mckenzie"
            after = ["--pain-after", str(PAIN_AFTER.get(d, score))]
            after += ["--where-after", "calf" if spreads else where]
            ok(run, "session", "log", item["id"], "--at", at(d, hour), *after)
        if d == FEVER_DAY:
            ok(run, "pain", "log", "4", "--where", where, "--flag", "fever", "--at", at(d, 18))
        if d == FEVER_CLEARED:
            ok(run, "flag", "clear", "fever", "--note", "seen by GP", "--at", at(d, 12))
    return Story(
        routines=routines,
        after_spread=routine(run, SPREAD_DAY),
        sessions=ok(run, "export", "--table", "sessions").json()["sessions"],
        flags=ok(run, "flag", "list", "--all", "--json").json()["flags"],
        catalogue={e["id"]: e for e in ok(run, "catalogue", "list", "--json").json()},
    )


_PLAYED: list[Story] = []


@pytest.fixture
def story(run: Any) -> Story:
    """The story, played on first use; the routines are plain data, so tests share them."""
    if not _PLAYED:
        _PLAYED.append(play(run))
    return _PLAYED[0]


# ----------------------------------------------------------------------------- the rules


def band(score: int) -> str:
    return "green" if score <= 3 else "amber" if score <= 6 else "red"


def mean_morning(first: date, last: date) -> float | None:
    """Mean morning pain over [first, last]; None with fewer than 3 mornings."""
    scores = [s for d, (s, _) in MORNINGS.items() if first <= d <= last]
    return fmean(scores) if len(scores) >= 3 else None


def is_flare(d: date) -> bool:
    """Morning pain 2 or more points above the mean of the 7 mornings before."""
    baseline = mean_morning(d - timedelta(days=7), d - timedelta(days=1))
    return baseline is not None and MORNINGS[d][0] >= baseline + 2


def is_worse_week(d: date) -> bool:
    """Mean morning pain of the 7 days to ``d`` above that of the 7 days before."""
    this = mean_morning(d - timedelta(days=6), d)
    last = mean_morning(d - timedelta(days=13), d - timedelta(days=7))
    return this is not None and last is not None and this > last


def changes(r: dict[str, Any]) -> dict[str, str]:
    return {e["id"]: e["change"] for e in r["exercises"]}


def mckenzie(r: dict[str, Any]) -> tuple[str, int, str] | None:
    found = [
        (e["id"], e["hold_s"], e["change"]) for e in r["exercises"] if e["category"] == "mckenzie"
    ]
    assert len(found) <= 1, found
    return found[0] if found else None


def has_category(r: dict[str, Any], category: str) -> bool:
    return any(e["category"] == category for e in r["exercises"])


def lowest(exercise: dict[str, Any]) -> tuple[int, int, int | None]:
    dose = exercise["dose"]
    holds = dose["range"].get("hold_s")
    return dose["range"]["sets"][0], dose["range"]["reps"][0], holds[0] if holds else dose["hold_s"]


def at_bottom(item: dict[str, Any], catalogue: dict[str, dict[str, Any]]) -> bool:
    """The first level of its chain at the lowest dose: nothing easier to step down to."""
    exercise = catalogue[item["id"]]
    return item["level"] == 1 and (item["sets"], item["reps"], item["hold_s"]) == lowest(exercise)


def routines(story: Story, days: set[date] | list[date]) -> list[tuple[date, dict[str, Any]]]:
    return [(d, story.routines[d]) for d in sorted(days)]


# ----------------------------------------------------------------------------- the tests


def test_every_session_was_logged_at_the_dose_prescribed_that_day(story: Story) -> None:
    prescribed = {
        (d.isoformat(), e["id"]): (e["sets"], e["reps"], e["hold_s"])
        for d, r in story.routines.items()
        for e in r["exercises"]
    }
    assert len(story.sessions) == len(prescribed) > 500
    for s in story.sessions:
        assert (s["sets"], s["reps"], s["hold_s"]) == prescribed[(s["at"][:10], s["exercise"])], s
    spread = [s for s in story.sessions if s["where_after"] == "calf"]
    assert [(s["at"][:10], s["exercise"]) for s in spread] == [(str(SPREAD_DAY), "prone-lying")]


def test_the_band_follows_the_morning_pain(story: Story) -> None:
    for d, r in story.routines.items():
        score, where = MORNINGS[d]
        expected = "amber" if d in FEVER_DAYS and band(score) == "green" else band(score)
        assert (r["band"], r["pain"]) == (expected, {"score": score, "where": where}), d
        assert r["status"] == ("blocked" if d == BLADDER_DAY else "ok"), d
    assert {r["band"] for r in story.routines.values()} == {"green", "amber", "red"}


def test_weeks_1_to_4_step_the_mckenzie_exercise_up_the_extension_chain(story: Story) -> None:
    for d, expected in MCKENZIE.items():
        assert mckenzie(story.routines[d]) == expected, d
    first_month = routines(story, [d for d in STORY_DAYS if d < day(5, "mon")])
    climb = [
        (e["level"], e["hold_s"])
        for _, r in first_month
        for e in r["exercises"]
        if e["category"] == "mckenzie"
    ]
    assert climb == sorted(climb), "the McKenzie exercise never steps down in weeks 1-4"
    progressed = {
        e["category"] for _, r in first_month for e in r["exercises"] if e["change"] == "progressed"
    }
    assert progressed >= {"mckenzie", "neural", "isometric", "isotonic", "aerobic"}


def test_nothing_progresses_when_pain_is_up_or_a_flag_is_active(story: Story) -> None:
    flare = {d for d in STORY_DAYS if is_flare(d)}
    worse = {d for d in STORY_DAYS if is_worse_week(d)}
    not_green = {d for d in STORY_DAYS if band(MORNINGS[d][0]) != "green"}
    assert flare == {day(5, "wed"), day(5, "thu")}
    assert worse >= {day(9, n) for n in WEEKDAYS[1:]} | {day(5, "thu"), day(6, "wed")}
    for d, r in routines(story, flare | worse | not_green | FEVER_DAYS):
        assert "progressed" not in changes(r).values(), (d, changes(r))
    quiet = [d for d in STORY_DAYS if d not in flare | worse | not_green | FEVER_DAYS]
    assert sum("progressed" in changes(story.routines[d]).values() for d in quiet) > 20


def test_a_flare_day_steps_every_exercise_down(story: Story) -> None:
    for d in (day(5, "wed"), day(5, "thu")):
        r = story.routines[d]
        assert "one step easier" in r["message"], d
        for item in r["exercises"]:
            bottom = item["change"] == "held" and at_bottom(item, story.catalogue)
            assert item["change"] in ("regressed", "new") or bottom, (d, item["id"], item["change"])
    amber = {
        e["id"]: (e["sets"], e["reps"], e["hold_s"])
        for e in story.routines[day(5, "wed")]["exercises"]
    }
    assert amber == {
        "prone-lying": (1, 1, 120),  # from prone on elbows 255 s: the chain's first level
        "seated-sciatic-slider": (2, 6, None),  # 2 x 9: at the fewest sets, 60 % of the reps
        "mcgill-curl-up": (1, 8, 10),  # 2 x 8 x 10 s: one set fewer
        "side-bridge-knees": (1, 8, 10),
        # 25 min (minutes rise at most 5 a week): 60 % of the time.
        "walking": (1, 1, 900),
        "buttock-ball-massage": (1, 1, 72),  # 2 min a side: 60 % of the time
    }
    red = {e["id"]: (e["hold_s"], e["change"]) for e in story.routines[day(5, "thu")]["exercises"]}
    assert red == {
        "prone-lying": (120, "held"),  # nothing easier
        "abdominal-brace": (5, "new"),  # the only isometric offered in red, at the lowest dose
        "walking": (600, "regressed"),
    }


def test_an_exercise_that_sent_pain_down_the_leg_is_out_for_three_days(story: Story) -> None:
    assert mckenzie(story.routines[SPREAD_DAY]) == ("prone-lying", 120, "held")
    extension = {i for i, e in story.catalogue.items() if e["direction"] == "extension"}
    for d, r in [
        (SPREAD_DAY, story.after_spread),
        *routines(story, SPREAD_OUT_DAYS - {SPREAD_DAY}),
    ]:
        offered = {e["id"] for e in r["exercises"]}
        assert not offered & extension, (d, offered)  # its chain's harder levels, its direction
        assert "walking" in offered, d  # neutral exercises and walking stay
        cautions = [
            a for a in r["alerts"] if a["level"] == "caution" and a["item"] == "prone-lying"
        ]
        assert len(cautions) == 1, (d, r["alerts"])
        when = "today" if d == SPREAD_DAY else str(SPREAD_DAY)  # the day it spread, in words
        assert "Lying face down" in cautions[0]["text"] and when in cautions[0]["text"]
    after = story.routines[SPREAD_DAY + timedelta(days=3)]
    assert "prone-lying" in changes(after)
    assert not [a for a in after["alerts"] if a["item"] == "prone-lying"]


def test_isotonic_work_is_never_on_consecutive_days(story: Story) -> None:
    isotonic = [d for d, r in story.routines.items() if has_category(r, "isotonic")]
    assert len(isotonic) > 15
    assert not [d for d in isotonic if d + timedelta(days=1) in isotonic]


def test_no_exercise_comes_more_days_a_week_than_its_dose_says(story: Story) -> None:
    for first in STORY_DAYS[:-6]:
        week = [story.routines[first + timedelta(days=n)] for n in range(7)]
        for exercise_id, exercise in story.catalogue.items():
            days = sum(exercise_id in changes(r) for r in week)
            assert days <= exercise["dose"]["days_per_week"], (first, exercise_id)


def test_every_routine_keeps_the_safety_rules(story: Story) -> None:
    red = [d for d, r in story.routines.items() if r["band"] == "red"]
    assert red == [day(5, "thu")]
    for d, r in story.routines.items():
        for item in r["exercises"]:
            exercise = story.catalogue[item["id"]]
            assert exercise["direction"] != "flexion", (d, item["id"])  # extension preference
            assert not exercise["therapist_only"], (d, item["id"])
            if r["band"] == "red":
                assert item["category"] != "isotonic", (d, item["id"])
                assert (item["sets"], item["reps"], item["hold_s"]) == lowest(exercise), d
        assert not [a for a in r["alerts"] if a["item"] == "screen"], d  # screened weekly


def test_the_emergency_blocks_the_routine_until_it_is_cleared(story: Story) -> None:
    blocked = story.routines[BLADDER_DAY]
    assert (blocked["status"], blocked["exercises"]) == ("blocked", [])
    emergency = [a for a in blocked["alerts"] if a["level"] == "emergency"]
    assert [a["item"] for a in emergency] == ["bladder"]
    assert "bladder" in emergency[0]["text"] and "emergency care" in emergency[0]["text"]
    assert "Seek emergency care now" in blocked["message"] and "bladder" in blocked["message"]
    assert not [s for s in story.sessions if s["at"].startswith(str(BLADDER_DAY))]
    assert [d for d, r in story.routines.items() if r["status"] == "blocked"] == [BLADDER_DAY]
    after = story.routines[BLADDER_DAY + timedelta(days=1)]
    assert after["status"] == "ok" and after["exercises"] and not after["alerts"]
    cleared = {f["item"]: f["cleared"]["note"] for f in story.flags if not f["active"]}
    assert cleared == {"bladder": "seen in A&E", "fever": "seen by GP"}


def test_the_fever_keeps_the_programme_gentle_until_the_gp_has_seen_sam(story: Story) -> None:
    assert story.routines[FEVER_DAY]["alerts"] == []  # asked in the morning, before the fever
    for d, r in routines(story, FEVER_DAYS):
        urgent = [a for a in r["alerts"] if a["level"] == "urgent"]
        assert [a["item"] for a in urgent] == ["fever"], d
        assert "contact your GP or physiotherapist" in r["message"], d
        assert r["band"] == "amber" and not has_category(r, "isotonic"), d
    after = story.routines[FEVER_CLEARED + timedelta(days=1)]
    assert after["band"] == "green" and not after["alerts"]
    assert "progressed" in changes(after).values()
