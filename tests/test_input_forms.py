"""Input that fits how people talk (issue 13): times as said, exercises by name, minutes,
any case for places and screen items, the profile, and ``session log --routine``.

Most tests run the CLI as typed (the ``run`` fixture); the clock is fixed where a time of
day matters (``clock``), so ``--at 08:00`` means the same whenever the suite runs.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pexpect  # type: ignore[import-untyped]  # no stubs; mypy covers src/ only
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptcli import services
from ptcli.domain.when import parse_when
from tests.conftest import ROOT

# A Wednesday morning, local time (times of day are the reader's).
NOW = datetime(2026, 11, 25, 10, 0).astimezone()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute).astimezone()


# Reading WHEN (one parser for --at, --since, --until and --date)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 25)),
        ("yesterday", date(2026, 11, 24)),
        ("wednesday", date(2026, 11, 25)),  # today is a Wednesday: today
        ("monday", date(2026, 11, 23)),
        ("Mon", date(2026, 11, 23)),
        ("thursday", date(2026, 11, 19)),  # never ahead: last week's
        ("-3d", date(2026, 11, 22)),
        ("-1w", date(2026, 11, 18)),
        ("2026-11-01", date(2026, 11, 1)),
        ("08:00", at(25, 8)),
        ("8:05", at(25, 8, 5)),
        ("8pm", at(25, 20)),
        ("8:30 am", at(25, 8, 30)),
        ("12am", at(25, 0)),
        ("12pm", at(25, 12)),
        ("yesterday 08:00", at(24, 8)),
        ("  Yesterday   8PM ", at(24, 20)),
        ("monday 7pm", at(23, 19)),
        ("today 23:59", at(25, 23, 59)),
        ("-2h", at(25, 8)),
        ("-30m", at(25, 9, 30)),
        ("now", NOW),
        ("2026-11-27T08:10+00:00", datetime(2026, 11, 27, 8, 10, tzinfo=UTC)),
    ],
)
def test_when_reads_days_times_and_amounts_ago(text: str, expected: date | datetime) -> None:
    value = parse_when(text, NOW)
    assert value == expected
    assert type(value) is type(expected)  # a day stays a day: --since takes its start


def test_a_time_without_an_offset_is_local() -> None:
    value = parse_when("2026-11-27 08:10", NOW)
    assert isinstance(value, datetime) and value.tzinfo is not None
    assert value.astimezone().replace(tzinfo=None) == datetime(2026, 11, 27, 8, 10)


@pytest.mark.parametrize(
    "text", ["8", "25:00", "13pm", "0am", "8:60", "last tuesday", "tomorrow", "monday 25:00", ""]
)
def test_when_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError, match="cannot read the date"):
        parse_when(text, NOW)


@given(
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2900, 1, 1)),
    st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]),
)
def test_a_weekday_is_the_latest_one_today_included(now: datetime, name: str) -> None:
    day = parse_when(name, now.replace(tzinfo=UTC))
    assert isinstance(day, date) and not isinstance(day, datetime)
    assert 0 <= (now.date() - day).days <= 6
    assert f"{day:%A}".lower() == name


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Every command runs at 10:00 local time on Wednesday 25 November 2026."""
    local = datetime(2026, 11, 25, 10, 0)

    class Fixed(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return local.astimezone(tz) if tz else local

    monkeypatch.setattr(services, "datetime", Fixed)
    return local.astimezone()


def logged_at(run: Any, *args: str) -> datetime:
    result = run("pain", "log", "3", *args)
    assert result.code == 0, result.err
    entries = run("pain", "list", "--since", "-30d", "--json").json()
    latest = max(entries, key=lambda e: e["id"])
    return datetime.fromisoformat(latest["at"]).astimezone().replace(tzinfo=None)


def test_at_takes_a_time_today_a_day_and_time_and_an_amount_ago(run: Any, clock: Any) -> None:
    assert logged_at(run, "--at", "08:00") == datetime(2026, 11, 25, 8, 0)
    assert logged_at(run, "--at", "yesterday 08:00") == datetime(2026, 11, 24, 8, 0)
    assert logged_at(run, "--at", "-2h") == datetime(2026, 11, 25, 8, 0)
    assert logged_at(run, "--at", "monday") == datetime(2026, 11, 23, 10, 0)  # at this time


def test_a_time_later_today_is_refused_with_the_words_for_last_night(
    run: Any, clock: Any, db: Path
) -> None:
    result = run("pain", "log", "3", "--at", "23:00")
    assert result.code == 2
    assert result.err == (
        "ptcli: --at: '23:00' is in the future; log what has happened "
        "(a time alone is today's: for yesterday, say 'yesterday 23:00')\n"
    )
    assert not db.exists()  # nothing written
    # A clock a little fast is tolerated as before; more is not.
    assert run("pain", "log", "3", "--at", "10:04").code == 0
    assert run("pain", "log", "3", "--at", "10:06").code == 2
    assert run("session", "log", "walking", "--at", "11am").code == 2


def test_since_and_until_read_the_same_forms(run: Any, clock: Any) -> None:
    for when in ("sunday 09:00", "monday 07:00", "monday 12:00", "yesterday 08:00", "09:00"):
        assert run("pain", "log", "2", "--at", when).code == 0

    def shown(*window: str) -> list[str]:
        entries = run("history", *window, "--json").json()
        return [e["at"][:16] for e in entries]

    assert len(shown("--since", "monday")) == 4  # from Monday's start: not Sunday's
    assert len(shown("--since", "monday 08:00")) == 3
    assert len(shown("--since", "-2h")) == 1  # from 08:00 today
    assert len(shown("--since", "monday", "--until", "monday")) == 2  # to Monday's end
    assert len(shown("--since", "-1w", "--until", "monday 10:00")) == 2
    assert len(run("pain", "list", "--since", "yesterday 08:00", "--json").json()) == 2
    assert run("export", "--since", "monday", "--format", "csv", "--table", "pain").code == 0


def test_every_date_option_takes_the_spoken_forms(run: Any, clock: Any) -> None:
    assert run("routine", "--date", "monday", "--format", "json").json()["date"] == "2026-11-23"
    assert run("screen", "--yes", "fever", "--no-others", "--at", "yesterday 08:00").code == 0
    cleared = run("flag", "clear", "fever", "--note", "seen by GP", "--at", "09:30")
    assert cleared.code == 0, cleared.err
    assert "at 2026-11-25 09:30" in cleared.out


# Exercises by name


@pytest.mark.parametrize(
    "name", ["Lying face down", "lying FACE down", "Prone-Lying", "prone lying"]
)
def test_session_log_takes_a_name_or_id_in_any_case(run: Any, name: str) -> None:
    result = run("session", "log", name, "--pain-after", "2")
    assert result.code == 0, result.err
    assert result.out.startswith("Logged prone-lying: 2 minutes; pain after 2/10")
    assert [e["exercise"] for e in run("history", "--json").json()] == ["prone-lying"]


def test_every_command_that_takes_an_exercise_takes_its_name(run: Any) -> None:
    shown = run("catalogue", "show", "both knees to chest, lying")
    assert shown.code == 0 and shown.out.startswith("Both knees to chest, lying")
    assert run("plan", "set", "Nerve glide sitting", "--reps", "8").code == 0
    assert [p["exercise"] for p in run("plan", "show", "--json").json()] == [
        "seated-sciatic-slider"
    ]
    assert run("plan", "drop", "NERVE GLIDE SITTING").code == 0
    assert run("plan", "show", "--json").json() == []
    run("screen", "--no-others")
    run("pain", "log", "3", "--where", "thigh")
    done = run_pipe(
        "session", "start", "Lying face down", "--pace", "0", text="3\nthigh\n\n\n2\n\n"
    )
    assert done.returncode == 0, done.stderr
    assert [e["exercise"] for e in run("history", "--json").json() if e["type"] == "session"] == [
        "prone-lying"
    ]


def run_pipe(*args: str, text: str) -> Any:
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "ptcli", *args], input=text, capture_output=True, text=True
    )


def test_a_near_miss_names_the_closest_ids_and_names(run: Any, db: Path) -> None:
    result = run("session", "log", "nerve-glide", "--pain-after", "2")
    assert result.code == 2
    assert result.err == (
        "ptcli: unknown exercise 'nerve-glide': did you mean lying-sciatic-slider "
        "(Nerve glide lying down) or seated-sciatic-slider (Nerve glide sitting)? "
        "see 'ptcli catalogue list'\n"
    )
    assert not db.exists()
    typo = run("catalogue", "show", "prone-lyin")
    assert "did you mean prone-lying (Lying face down)?" in typo.err
    assert run("plan", "set", "walkin").err.startswith(
        "ptcli: unknown exercise 'walkin': did you mean walking (Walking) or water-walking"
    )
    assert run("session", "start", "zzz", "--pace", "0").err == (
        "ptcli: unknown exercise 'zzz': see 'ptcli catalogue list'\n"
    )
    assert not db.exists()


def test_a_name_that_two_exercises_answer_to_asks_for_the_id(run: Any, tmp_path: Path) -> None:
    text = (ROOT / "exercises.yaml").read_text()
    text, count = re.subn(r"(?m)^(\s+name:) Walking$", r"\1 Prone lying", text)
    assert count == 1
    catalogue = tmp_path / "mine.yaml"
    catalogue.write_text(text)
    result = run("--catalogue", str(catalogue), "catalogue", "show", "prone lying")
    assert result.code == 2
    assert result.err == (
        "ptcli: 'prone lying' names prone-lying (Lying face down) and walking (Prone lying): "
        "give its id\n"
    )
    assert run("--catalogue", str(catalogue), "catalogue", "show", "prone-lying").code == 0


# Minutes


def test_minutes_for_walking_and_pool_work_are_shown_back_in_minutes(run: Any) -> None:
    result = run("session", "log", "walking", "--minutes", "20")
    assert result.code == 0, result.err
    assert result.out.startswith("Logged walking: 20 minutes, at ")
    assert run("history", "--json").json()[0]["hold_s"] == 1200
    pinned = run("plan", "set", "walking", "--minutes", "15")
    assert pinned.out.startswith("Pinned walking in the plan: 15 minutes, once a day (id ")
    assert run("plan", "show", "--json").json()[0]["hold_s"] == 900


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["session", "log", "walking", "--minutes", "5", "--hold", "300"],
            "ptcli: give --hold or --minutes, not both: nothing was written\n",
        ),
        (
            ["session", "log", "dynamic-bridge", "--minutes", "5"],
            "ptcli: dynamic-bridge has no hold or time: leave out --hold and --minutes\n",
        ),
        (
            ["plan", "set", "walking", "--minutes", "90"],
            "ptcli: cannot pin walking: a hold of 5400 s (90 min) is above the aerobic ceiling "
            "of 3600 s (60 min) (ceilings.hold_s.aerobic)\n",
        ),
    ],
)
def test_minutes_that_cannot_be_taken_are_refused(
    run: Any, db: Path, args: list[str], message: str
) -> None:
    result = run(*args)
    assert (result.code, result.err) == (2, message)
    assert not db.exists()
    assert run("session", "log", "walking", "--minutes", "0").code == 2


# Places and screen items in any case


def test_places_and_screen_items_are_read_in_any_case(run: Any) -> None:
    assert run("pain", "log", "4", "--where", "THIGH").code == 0
    assert run("session", "log", "prone-lying", "--where-after", "Buttock").code == 0
    assert run("screen", "--yes", "FEVER", "--no-others").code == 0
    flagged = run("pain", "log", "4", "--flag", "Night-Pain")
    assert flagged.code == 0 and "flagged night-pain" in flagged.err
    assert run("flag", "clear", "Fever", "--note", "seen by GP").code == 0
    active = run("flag", "list", "--json").json()["flags"]
    assert [f["item"] for f in active] == ["night-pain"]
    history = run("history", "--json").json()
    assert [e.get("where") or e.get("where_after") for e in history] == [
        "thigh",
        "buttock",
        None,
    ]


# The profile


def test_profile_shows_the_profile_and_init_without_options_changes_nothing(
    run: Any, db: Path
) -> None:
    empty = run("profile")
    assert empty.code == 0
    assert "No profile yet: set it with 'ptcli init --name NAME --side left|right|both'." in (
        empty.out
    )
    assert not db.exists()  # reading writes nothing
    created = run("init")
    assert created.out.startswith(
        f"Created the store {db}. Fill in the profile with --name, --side, --pool/--no-pool, "
        "--preference or --contact.\n"
    )
    made = run("init", "--name", "Sam Patient", "--side", "LEFT", "--pool", "--contact", "0161")
    assert made.code == 0
    assert made.out.endswith("Next: answer the safety questions with 'ptcli screen'.\n")
    shown = run("profile")
    assert shown.out.splitlines()[:5] == [
        "Name:        Sam Patient",
        "Side:        left",
        "Pool:        yes",
        "Preference:  not assessed (extension is used)",
        "Contact:     0161",
    ]
    assert run("profile", "--json").json()["name"] == "Sam Patient"
    before = db.read_bytes()
    again = run("init")
    assert again.code == 0
    assert again.out.startswith("Name:        Sam Patient\n")
    assert again.out.endswith(
        "Nothing changed: give --name, --side, --pool/--no-pool, --preference or "
        "--contact to change the profile.\n"
    )
    assert db.read_bytes() == before


def test_init_suggests_the_next_step(run: Any) -> None:
    run("init", "--name", "Sam")
    run("screen", "--no-others")
    assert run("init", "--side", "right").out.endswith(
        "Next: log your pain now with 'ptcli pain log SCORE --where LOC' "
        "(such as 4 --where thigh).\n"
    )
    run("pain", "log", "3")
    assert run("init", "--no-pool").out.endswith("Next: see today's routine with 'ptcli today'.\n")


def test_an_empty_name_from_a_pipe_is_one_clear_error(run: Any, db: Path) -> None:
    run("init", "--name", "Sam Patient")
    before = db.read_bytes()
    result = run("init", "--name", "", "--side", "left")
    assert result.code == 2
    assert result.err == (
        'ptcli: --name is empty: give the name (--name "Sam Patient"), or leave --name out '
        "to keep it; nothing was written\n"
    )
    assert db.read_bytes() == before


@pytest.mark.parametrize(("typed", "kept"), [("Sam Jones", "Sam Jones"), ("", "Sam Patient")])
def test_an_empty_name_on_a_terminal_asks(run: Any, typed: str, kept: str) -> None:
    run("init", "--name", "Sam Patient")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ptcli", "init", "--name", ""],
        env=dict(os.environ),
        encoding="utf-8",
        timeout=30,
        dimensions=(24, 80),
    )
    child.expect_exact("Patient's name (Enter: keep Sam Patient): ")
    child.sendline(typed)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert run("profile", "--json").json()["name"] == kept


# session log --routine


def routine_doses(run: Any) -> list[tuple[str, int, int, int | None]]:
    today = run("today", "--json").json()
    return [(e["id"], e["sets"], e["reps"], e["hold_s"]) for e in today["exercises"]]


def logged_doses(run: Any) -> list[tuple[str, int, int, int | None]]:
    sessions = [e for e in run("history", "--json").json() if e["type"] == "session"]
    return [(e["exercise"], e["sets"], e["reps"], e["hold_s"]) for e in sessions]


def test_routine_logs_every_exercise_of_today_at_todays_dose(run: Any) -> None:
    run("screen", "--no-others")
    run("pain", "log", "3", "--where", "thigh")
    expected = routine_doses(run)
    result = run("session", "log", "--routine", "--pain-after", "2", "--note", "all of it")
    assert result.code == 0, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0].startswith(f"Logged {len(expected)} exercises of the routine, at ")
    assert lines[1] == "  Lying face down: 2 minutes"
    assert lines[-1] == "Pain after: 2/10."
    assert len(lines) == len(expected) + 2
    assert max(len(line) for line in lines) <= 60
    assert logged_doses(run) == expected  # in the routine's order
    sessions = [e for e in run("history", "--json").json() if e["type"] == "session"]
    assert {(e["pain_after"], e["where_after"], e["note"]) for e in sessions} == {
        (2, None, "all of it")
    }
    assert len({e["at"] for e in sessions}) == 1


def test_routine_follows_the_gate_a_spread_and_a_red_day(run: Any) -> None:
    run("screen", "--no-others")
    run("pain", "log", "3", "--where", "buttock", "--at", "-1d")
    # Yesterday prone lying sent the pain to the calf: the stop rule leaves out the
    # extension chain for three days.
    run("session", "log", "prone-lying", "--where-after", "calf", "--at", "-1d")
    run("pain", "log", "8", "--where", "thigh")  # a red day
    expected = routine_doses(run)
    assert expected and "prone-lying" not in [e[0] for e in expected]
    before = logged_doses(run)
    assert run("session", "log", "--routine").code == 0
    assert logged_doses(run)[len(before) :] == expected


def test_routine_leaves_out_strength_work_on_its_rest_day(run: Any, clock: Any) -> None:
    run("screen", "--no-others", "--at", "-3d")
    run("pain", "log", "2", "--where", "thigh", "--at", "yesterday 08:00")
    assert run("session", "log", "--routine", "--at", "yesterday 09:00").code == 0
    assert "dynamic-bridge" in [e[0] for e in logged_doses(run)]  # strength work, 3 days a week
    run("pain", "log", "2", "--where", "thigh", "--at", "08:00")
    assert run("session", "log", "--routine").code == 0
    today = [e for e in run("history", "--since", "today", "--json").json() if "exercise" in e]
    assert today and "dynamic-bridge" not in [e["exercise"] for e in today]  # resting today


def test_routine_with_an_emergency_flag_logs_nothing_and_stops_for_safety(
    run: Any, db: Path
) -> None:
    run("screen", "--yes", "bladder", "--no-others")
    before = db.read_bytes()
    result = run("session", "log", "--routine", "--pain-after", "2")
    assert result.code == 3
    assert "EMERGENCY (stopped for safety): You reported" in result.err
    assert result.out == ""
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--where-after", "thigh"],
            "--routine takes no --where-after: spreading belongs to one exercise, so log it "
            "with 'ptcli session log ID --where-after LOC'",
        ),
        (
            ["--sets", "2", "--minutes", "3"],
            "--routine logs today's doses: leave out --sets, --hold/--minutes, or log that "
            "exercise on its own with 'ptcli session log ID'",
        ),
        (["walking"], "give --routine or an exercise ('walking'), not both"),
        (["--at", "21:00"], "--at: '21:00' is in the future; log what has happened"),
    ],
)
def test_routine_refuses_what_belongs_to_one_exercise(
    run: Any, db: Path, clock: Any, args: list[str], message: str
) -> None:
    run("pain", "log", "3")
    before = db.read_bytes()
    result = run("session", "log", "--routine", *args)
    assert result.code == 2
    assert result.err.startswith(f"ptcli: {message}")
    assert db.read_bytes() == before


def test_session_log_without_an_exercise_says_what_to_give(run: Any) -> None:
    result = run("session", "log", "--pain-after", "2")
    assert (result.code, result.err) == (
        2,
        "ptcli: give the exercise you did (its id or name), or --routine for all of today's\n",
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pain=st.integers(0, 10),
    where=st.sampled_from(["back", "side", "buttock", "thigh", "calf", "foot"]),
    screened=st.booleans(),
    urgent=st.sampled_from([[], ["--yes", "fever"], ["--yes", "night-pain"]]),
    pool=st.booleans(),
    spread=st.sampled_from([None, "prone-lying", "lying-sciatic-slider", "mcgill-curl-up"]),
)
def test_routine_logs_exactly_what_the_gate_offers_today(
    run: Any,
    tmp_path_factory: pytest.TempPathFactory,
    pain: int,
    where: str,
    screened: bool,
    urgent: list[str],
    pool: bool,
    spread: str | None,
) -> None:
    """Whatever the log says, ``--routine`` logs the routine ``today`` shows, dose for
    dose: never an exercise the gate refuses, never above today's dose."""
    store = str(tmp_path_factory.mktemp("store") / "ptcli.json")

    def cli(*args: str) -> Any:
        return run("--db", store, *args)

    cli("init", "--pool" if pool else "--no-pool")
    if screened or urgent:
        cli("screen", *urgent, "--no-others")
    if spread:
        cli("pain", "log", "2", "--where", "buttock", "--at", "-1d")
        cli("session", "log", spread, "--where-after", "foot", "--at", "-1d")
    cli("pain", "log", str(pain), "--where", where)
    expected = routine_doses(cli)
    before = logged_doses(cli)
    result = cli("session", "log", "--routine", "--pain-after", "3")
    assert result.code == 0, result.err
    assert result.err == ""  # nothing refused, nothing above today's dose
    assert logged_doses(cli)[len(before) :] == expected


# Shell completion


def complete(words: str) -> list[str]:
    """What bash completion offers after ``words`` (a real process, as the shell runs it)."""
    import subprocess

    env = {
        **os.environ,
        "_PTCLI_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    process = subprocess.run(
        [sys.executable, "-m", "ptcli"], env=env, capture_output=True, text=True, check=True
    )
    return process.stdout.split()


def test_the_shell_completes_commands_places_items_and_exercises() -> None:
    assert sorted(complete("ptcli pa")) == ["pain", "patients"]
    assert complete("ptcli pain log 3 --where t") == ["thigh"]
    assert complete("ptcli screen --yes bl") == ["bladder"]
    assert complete("ptcli session log pr") == [
        "prone-lying",
        "prone-on-elbows",
        "press-up-overpressure",
    ]
    assert complete("ptcli plan set wa") == ["wall-sit-hold", "walking", "water-walking"]
    assert "--routine" in complete("ptcli session log --r")


def test_completion_installs_from_the_root_options(run: Any, tmp_path: Path) -> None:
    import subprocess

    env = {**os.environ, "HOME": str(tmp_path)}
    shown = subprocess.run(
        [sys.executable, "-m", "ptcli", "--show-completion", "bash"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0 and "_PTCLI_COMPLETE=complete_bash" in shown.stdout
    installed = subprocess.run(
        [sys.executable, "-m", "ptcli", "--install-completion", "bash"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    assert "_PTCLI_COMPLETE" in (tmp_path / ".bash_completions" / "ptcli.sh").read_text()
    assert ".bash_completions/ptcli.sh" in (tmp_path / ".bashrc").read_text()
    assert "--install-completion" in run("--help").out


# The resolver itself (domain.catalogue.Catalogue.find and near)


@functools.cache
def shipped() -> Any:
    from ptcli import catalogue_file

    return catalogue_file.load(catalogue_file.packaged_path(), None)


def test_every_shipped_exercise_is_found_by_id_and_by_name_however_spelt() -> None:
    catalogue = shipped()
    for exercise in catalogue:
        assert catalogue.find(exercise.id) == [exercise]
        for spelt in (exercise.name, exercise.name.upper(), exercise.name.lower()):
            assert catalogue.find(spelt) == [exercise], spelt
        assert catalogue.find(f"  {exercise.name.replace(' ', '-')} ") == [exercise]
        assert catalogue.find(exercise.id.upper().replace("-", " ")) == [exercise]


@settings(deadline=None)
@given(st.text(max_size=40))
def test_find_and_near_take_any_text(text: str) -> None:
    catalogue = shipped()
    found = catalogue.find(text)
    near = catalogue.near(text)
    assert len(near) <= 3 and len(set(near)) == len(near)
    assert all(catalogue.get(e.id) == e for e in (*found, *near))
    if found:
        assert len(found) == 1  # the shipped catalogue has no two exercises spelt alike


def spawn(*args: str) -> Any:
    return pexpect.spawn(
        sys.executable,
        ["-m", "ptcli", *args],
        env=dict(os.environ),
        encoding="utf-8",
        timeout=30,
        dimensions=(24, 80),
    )


def test_a_wrong_exercise_is_refused_before_the_baseline_question(run: Any, db: Path) -> None:
    """On a terminal, --where-after without a baseline asks for one (and saves it): a name
    that cannot be logged is refused first, so nothing is asked or written."""
    for args in (["nerve-glide"], ["dynamic-bridge", "--minutes", "3"]):
        child = spawn("session", "log", *args, "--where-after", "calf")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 2
        assert "Pain just before" not in child.before
        assert not db.exists()
    child = spawn("session", "log", "Lying face down", "--where-after", "calf")
    child.expect_exact("Pain just before it, 0-10: ")
    child.sendline("3")
    child.expect("Where did it reach just before .*: ")
    child.sendline("calf")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    history = run("history", "--json").json()
    assert [(e["type"], e.get("exercise")) for e in history] == [
        ("pain", None),
        ("session", "prone-lying"),
    ]
