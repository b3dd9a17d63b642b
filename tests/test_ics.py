"""export --format ics: today's routine as calendar reminders, valid RFC 5545 (issue #5)."""

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import ANY
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from dateutil.rrule import rrulestr

from ptcli import catalogue_file
from ptcli.domain.engine import build_routine
from ptcli.domain.models import Band, PainReading, PatientLog, Routine
from ptcli.render import ics
from ptcli.views import Calendar

STOP_RULE = "Stop any exercise that makes pain spread further down your leg"
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MCKENZIE_TIMES = [time(8), time(10, 25), time(12, 50), time(15, 10), time(17, 35), time(20)]
LISBON = ZoneInfo("Europe/Lisbon")


@pytest.fixture(autouse=True)
def in_lisbon(zone: Callable[[str], None]) -> None:
    """The machine's time zone, named in every time the calendar gives."""
    zone("Europe/Lisbon")


@pytest.fixture
def green(run: Any) -> dict[str, Any]:
    """A green day (pain 2/10 in the buttock) after a clean screen (until then, only the
    gentle programme): the full programme, and no alerts (their all-day event is in
    test_ways_out.py). Returns the routine."""
    assert run("screen", "--no-others").code == 0
    assert run("pain", "log", "2", "--where", "buttock").code == 0
    routine: dict[str, Any] = run("routine", "--format", "json").json()
    assert routine["band"] == "green" and routine["alerts"] == []
    return routine


def export(run: Any) -> tuple[str, icalendar.Calendar]:
    result = run("export", "--format", "ics")
    assert result.code == 0, result.err
    return result.out, icalendar.Calendar.from_ical(result.out)


def events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    """The live events (those an earlier state of the store gave come cancelled)."""
    return [e for e in calendar.walk("VEVENT") if e.get("STATUS") != "CANCELLED"]


def described(calendar: icalendar.Calendar, exercise_id: str) -> list[icalendar.Event]:
    """The events whose description covers ``exercise_id``."""
    return [e for e in events(calendar) if f"({exercise_id})" in str(e["DESCRIPTION"])]


def test_the_calendar_is_valid_rfc_5545_with_a_reminder_on_every_event(
    run: Any, green: dict[str, Any]
) -> None:
    _, calendar = export(run)
    assert calendar.name == "VCALENDAR"
    assert str(calendar["PRODID"]) == "-//ptcli//home exercise programme//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "ptcli routine"
    assert {c.name for c in calendar.walk()} <= {
        "VCALENDAR",
        "VEVENT",
        "VALARM",
        "VTIMEZONE",
        "STANDARD",
        "DAYLIGHT",
    }
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Lisbon"
    found = events(calendar)
    assert found
    for event in found:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "RRULE"):
            assert name in event, name
        assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
        assert event.decoded("LAST-MODIFIED") == event.decoded("DTSTAMP")
        assert event["DTSTART"].params["TZID"] == "Europe/Lisbon"  # not floating
        assert event.decoded("DTSTART").tzinfo == LISBON
        assert event.decoded("DTEND") > event.decoded("DTSTART")
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert STOP_RULE in str(event["DESCRIPTION"])
        [alarm] = event.subcomponents
        assert alarm.name == "VALARM"
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(0)
        assert str(alarm["DESCRIPTION"])
    covered = {e["id"] for e in green["exercises"] if described(calendar, e["id"])}
    assert covered == {e["id"] for e in green["exercises"]}


def test_the_mckenzie_exercise_is_due_as_often_as_its_dose_at_the_documented_times(
    run: Any, green: dict[str, Any]
) -> None:
    [mckenzie] = [e for e in green["exercises"] if e["category"] == "mckenzie"]
    assert mckenzie["times_per_day"] == 6
    _, calendar = export(run)
    found = described(calendar, mckenzie["id"])
    assert len(found) == mckenzie["times_per_day"]
    day = date.fromisoformat(green["date"])
    assert [e.decoded("DTSTART") for e in found] == [
        datetime.combine(day, at, tzinfo=LISBON) for at in MCKENZIE_TIMES
    ]
    last = datetime.combine(day + timedelta(days=13), time(23, 59, 59), tzinfo=LISBON)
    for event in found:
        rule = event["RRULE"]
        assert rule["FREQ"] == ["DAILY"]
        assert rule["UNTIL"] == [last.astimezone(UTC)]  # UTC, as RFC 5545 asks with a TZID
        assert str(event["SUMMARY"]) == f"{mckenzie['name']} ({mckenzie['id']})"
        description = str(event["DESCRIPTION"])
        assert "6 times a day (every 2 to 3 hours)" in description
        assert f"ptcli session log {mckenzie['id']}" in description


def test_exercises_once_a_day_share_one_morning_event(run: Any, green: dict[str, Any]) -> None:
    daily = [e for e in green["exercises"] if e["times_per_day"] == 1 and e["days_per_week"] == 7]
    assert len(daily) >= 2
    _, calendar = export(run)
    [event] = [e for e in events(calendar) if str(e["SUMMARY"]).startswith("Daily exercises: ")]
    assert event.decoded("DTSTART").time() == time(9)
    assert event["RRULE"]["FREQ"] == ["DAILY"]
    for exercise in daily:
        assert exercise["name"] in str(event["SUMMARY"])
        assert described(calendar, exercise["id"]) == [event]


def test_strengthening_days_are_weekly_and_never_two_days_running_at_3_a_week(
    run: Any, green: dict[str, Any]
) -> None:
    [bridge] = [e for e in green["exercises"] if e["id"] == "dynamic-bridge"]
    assert (bridge["times_per_day"], bridge["days_per_week"]) == (1, 3)
    shown = run("catalogue", "show", "dynamic-bridge", "--json").json()
    _, calendar = export(run)
    [event] = described(calendar, "dynamic-bridge")
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    days = sorted(DAYS.index(code) for code in rule["BYDAY"])
    assert len(days) == 3
    gaps = [(b - a) % 7 for a, b in zip(days, days[1:] + days[:1], strict=True)]
    assert min(gaps) >= 2, rule["BYDAY"]
    start = event.decoded("DTSTART")
    routine_day = date.fromisoformat(green["date"])
    assert start.time() == time(17, 30)
    assert 0 <= (start.date() - routine_day).days < 7
    assert DAYS[start.weekday()] in rule["BYDAY"]  # the first event is an occurrence
    dates = [at.date() for at in rrulestr(rule.to_ical().decode(), dtstart=start)]
    assert {DAYS[day.weekday()] for day in dates} == set(rule["BYDAY"])
    assert routine_day <= dates[0] and dates[-1] < routine_day + timedelta(days=14)
    assert len(dates) == 6  # 14 days hold each weekday twice
    description = str(event["DESCRIPTION"])
    assert "2 sets of 10 repetitions, once a day, 3 days a week" in description
    for number, step in enumerate(shown["steps"], 1):
        assert f"{number}. {step}" in description
    for caution in shown["cautions"]:
        assert f"- {caution}" in description
    # The isometrics, 5 days a week, share another weekly event.
    five = [e for e in green["exercises"] if e["days_per_week"] == 5]
    assert five
    [weekly] = {str(e["UID"]): e for x in five for e in described(calendar, x["id"])}.values()
    assert weekly["RRULE"]["BYDAY"] == ["MO", "TU", "TH", "FR", "SA"]


def test_an_exercise_resting_today_still_has_its_days_in_the_calendar(run: Any) -> None:
    run("screen", "--no-others", "--at", "-1d")
    run("pain", "log", "2", "--where", "buttock", "--at", "-1d")
    run("session", "log", "dynamic-bridge", "--pain-after", "1", "--at", "-1d")
    run("pain", "log", "2", "--where", "buttock")
    today = run("today", "--json").json()
    assert {"id": "dynamic-bridge", "why": ANY, "rule": "rest-day"} in today[
        "left_out"
    ]  # a rest day today
    _, calendar = export(run)
    [event] = described(calendar, "dynamic-bridge")
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]


@pytest.mark.parametrize("exported_days_later", [0, 1])
def test_no_reminder_falls_on_the_day_after_loaded_work(run: Any, exported_days_later: int) -> None:
    """Loaded work is never done on consecutive days (DOMAIN 5). Bottom lifts, 3 days a
    week (Monday, Wednesday, Friday), done on a Sunday: exported that Sunday or on the
    Monday, the first reminder is the Wednesday (review, 2026-11-29: it was the Monday)."""
    sunday = datetime(2026, 11, 29, 12, 0).astimezone()
    with time_machine.travel(sunday - timedelta(days=1), tick=False):
        run("screen", "--no-others")
        run("pain", "log", "2", "--where", "buttock")
    with time_machine.travel(sunday, tick=False):
        run("pain", "log", "2", "--where", "buttock")
        run("session", "log", "dynamic-bridge", "--pain-after", "1")
    with time_machine.travel(sunday + timedelta(days=exported_days_later), tick=False):
        _, calendar = export(run)
    [event] = described(calendar, "dynamic-bridge")
    assert event["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]
    assert event.decoded("dtstart").date() == date(2026, 12, 2)  # the Wednesday


def test_uids_are_unique_and_the_same_on_every_export(run: Any, green: dict[str, Any]) -> None:
    assert run("init", "--name", "Ana").code == 0
    patient = run("export", "--format", "json").json()["profile"]["id"]
    first_text, first = export(run)
    second_text, second = export(run)
    uids = [str(e["UID"]) for e in events(first)]
    assert len(uids) == len(set(uids))
    assert uids == [str(e["UID"]) for e in events(second)]
    assert all(uid.startswith(f"{patient}-") and uid.endswith("@ptcli") for uid in uids)
    assert first_text == second_text  # nothing changed in between: the same revision


def test_a_re_export_after_a_change_updates_the_same_events(run: Any) -> None:
    morning = datetime(2026, 3, 5, 8, tzinfo=LISBON)  # the past: the store's clock is later
    with time_machine.travel(morning, tick=False):
        run("screen", "--no-others")
        run("pain", "log", "2", "--where", "buttock")
        _, before = export(run)
    with time_machine.travel(morning + timedelta(hours=4), tick=False):
        assert run("pain", "log", "3", "--where", "buttock").code == 0
        _, after = export(run)
    old = {str(e["UID"]): e for e in events(before)}
    new = {str(e["UID"]): e for e in events(after)}
    assert new.keys() == old.keys()  # the same programme: the same events, updated
    for uid, event in new.items():
        assert event.decoded("SEQUENCE") > old[uid].decoded("SEQUENCE")
        assert event.decoded("DTSTAMP") >= old[uid].decoded("DTSTAMP")


def test_a_blocked_routine_gives_one_all_day_event_with_the_emergency_message(run: Any) -> None:
    assert run("screen", "--yes", "bladder", "--no-others").code == 3  # stopped for safety
    routine = run("routine", "--format", "json").json()
    assert routine["status"] == "blocked"
    _, calendar = export(run)
    [event] = events(calendar)
    # The exercise events the store gave before the screen (the gentle programme) come
    # cancelled, so a calendar that had them drops them.
    cancelled = [e for e in calendar.walk("VEVENT") if e.get("STATUS") == "CANCELLED"]
    assert any("-a-day-" in str(e["UID"]) for e in cancelled)
    assert all("RRULE" not in e and not e.subcomponents for e in cancelled)
    assert event.decoded("DTSTART") == date.fromisoformat(routine["date"])
    assert not isinstance(event.decoded("DTSTART"), datetime)  # all day
    assert "RRULE" not in event and not event.subcomponents
    assert str(event["SUMMARY"]).startswith("No exercises today")
    assert "emergency" in str(event["SUMMARY"])
    assert routine["message"] in str(event["DESCRIPTION"])
    assert "Seek emergency care now" in str(event["DESCRIPTION"])


def test_output_writes_a_private_file(run: Any, green: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "routine.ics"
    result = run("export", "--format", "ics", "--output", str(target))
    assert result.code == 0 and result.out == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == run("export", "--format", "ics").out.encode()


def test_the_text_has_crlf_endings_and_lines_folded_at_75_octets(
    run: Any, green: dict[str, Any]
) -> None:
    text, calendar = export(run)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)  # descriptions are long: folded
    unfolded = text.replace("\r\n ", "")
    assert STOP_RULE in unfolded.replace("\\,", ",")
    assert len(calendar.walk("VEVENT")) == unfolded.count("\r\nBEGIN:VEVENT\r\n")


def test_ics_is_todays_routine_only(run: Any) -> None:
    result = run("export", "--format", "ics", "--table", "pain")
    assert result.code != 0 and "leave out" in result.err


# The renderer on routines the shipped catalogue does not give.


@pytest.fixture(scope="module")
def routine() -> Routine:
    catalogue = catalogue_file.load(catalogue_file.packaged_path())
    return build_routine(catalogue, PatientLog(), date(2026, 3, 5), PainReading(2, None))


def calendar_text(routine: Routine, *earlier: Routine, zone: str | None = "Europe/Lisbon") -> str:
    revised = datetime(2026, 3, 5, 7, tzinfo=UTC)
    return ics.render(Calendar("p1", routine, earlier, revised, zone)).decode()


def test_several_times_a_day_on_some_days_and_text_beyond_ascii(routine: Routine) -> None:
    item = routine.items[0]
    exercise = item.exercise._replace(name="Étirement — « piriforme » " * 6)
    planned = item._replace(exercise=exercise, times_per_day=3, days_per_week=2)
    text = calendar_text(routine._replace(items=(planned,)))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    [*found] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert [e.decoded("DTSTART") for e in found] == [
        datetime(2026, 3, 6, 8, tzinfo=LISBON),
        datetime(2026, 3, 6, 14, tzinfo=LISBON),
        datetime(2026, 3, 6, 20, tzinfo=LISBON),
    ]  # 5 March 2026 is a Thursday: first on the Friday
    assert all(e["RRULE"]["BYDAY"] == ["TU", "FR"] for e in found)
    assert str(found[0]["SUMMARY"]) == f"{exercise.name} ({exercise.id})"
    assert len({str(e["UID"]) for e in found}) == 3


def test_a_routine_without_exercises_is_never_an_empty_calendar(routine: Routine) -> None:
    empty = routine._replace(items=(), band=Band.GREEN, message="Nothing fits today.")
    [event] = icalendar.Calendar.from_ical(calendar_text(empty)).walk("VEVENT")
    assert str(event["SUMMARY"]) == "No exercises today"
    assert str(event["DESCRIPTION"]).startswith("Nothing fits today.")


# The time zone, and the bytes on every platform.


def test_a_machine_zone_without_an_iana_name_gives_utc_times_and_says_so(
    run: Any, zone: Callable[[str], None]
) -> None:
    zone("CET-1CEST,M3.5.0,M10.5.0/3")  # a POSIX rule: Central European time, no name
    # A timestamp: time-machine leaves TZ alone (a datetime in UTC would set TZ=UTC)
    with time_machine.travel(datetime(2026, 3, 5, 9, tzinfo=UTC).timestamp(), tick=False):
        run("screen", "--no-others")
        run("pain", "log", "2", "--where", "buttock")
        result = run("export", "--format", "ics")
    assert result.code == 0
    assert result.err == (
        "ptcli: note: this machine's time zone has no IANA name (set TZ, e.g. "
        "TZ=Europe/London): the calendar's times are in UTC\n"
    )
    calendar = icalendar.Calendar.from_ical(result.out)
    assert not calendar.walk("VTIMEZONE")
    [first, *_] = [e for e in events(calendar) if "(prone-lying)" in str(e["SUMMARY"])]
    assert "DTSTART:20260305T070000Z" in first.to_ical().decode()  # 08:00 at UTC+1


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("Europe/Paris", "Europe/Paris"),
        (":America/New_York", "America/New_York"),
        ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
        ("CET-1CEST,M3.5.0,M10.5.0/3", None),
        ("Nowhere/Atlantis", None),
        ("../../etc/passwd", None),
    ],
)
def test_the_machine_zone_is_read_from_tz(
    zone: Callable[[str], None], given: str, name: str | None
) -> None:
    from ptcli.zone import machine_zone

    zone(given)
    assert machine_zone() == name


def test_stdout_has_the_same_bytes_as_output_where_the_platform_translates_newlines(
    run: Any, green: dict[str, Any], tmp_path: Path
) -> None:
    """On Windows, text written to stdout has each \\n made \\r\\n: a calendar's CRLF would
    become CR CR LF. Here stdout translates as Windows' does."""
    target = tmp_path / "routine.ics"
    assert run("export", "--format", "ics", "--output", str(target)).code == 0
    windows = (
        "import io, sys\n"
        "sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='utf-8', newline='\\r\\n')\n"
        "from ptcli.cli import main\n"
        "raise SystemExit(main(['export', '--format', 'ics']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", windows], capture_output=True, check=False, env=os.environ
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == target.read_bytes()
    assert b"\r\r" not in done.stdout and done.stdout.count(b"\n") == done.stdout.count(b"\r\n")
