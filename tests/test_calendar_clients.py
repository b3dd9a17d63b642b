"""export --format ics in real calendar clients: three successive days (normal, flare,
emergency) imported one after another stay true (issue 17).

Two clients from the package registries read the exports: khal (a terminal calendar, run
as a process, which keeps one event per UID in its own store), and the icalendar and
recurring_ical_events libraries (the series with the highest SEQUENCE per UID wins, as RFC
5546 says). Days are travelled to with time-machine, in the patient's time zone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARIS = "Europe/Paris"
# Monday 23 March 2026, 07:30 in Paris; the clocks go forward on Sunday 29 March.
MONDAY = date(2026, 3, 23)
KHAL = Path(sys.executable).with_name("khal")


def on(day: date, hour: int = 7, minute: int = 30) -> Any:
    """Travel to ``day`` at ``hour:minute`` in Paris (the clock stands still)."""
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(PARIS))
    return time_machine.travel(moment, tick=False)


def export(run: Any, *options: str) -> str:
    result = run(*options, "export", "--format", "ics")
    assert result.code == 0, result.err
    assert result.err == ""  # a named time zone: no note
    out: str = result.out
    return out


@pytest.fixture
def three_days(run: Any, zone: Callable[[str], None]) -> list[str]:
    """The exports of a normal day, a flare the next day and an emergency the day after."""
    zone(PARIS)
    with on(MONDAY, 7, 0):
        assert run("init", "--name", "Ana").code == 0
    exports = []
    with on(MONDAY):
        assert run("screen", "--no-others").code == 0
        assert run("pain", "log", "2", "--where", "buttock").code == 0
        exports.append(export(run))
    with on(MONDAY + timedelta(days=1)):  # pain up and further down the leg: amber
        assert run("pain", "log", "6", "--where", "calf").code == 0
        assert run("routine", "--format", "json").json()["band"] == "amber"
        exports.append(export(run))
    with on(MONDAY + timedelta(days=2)):  # a red flag: no exercises at all
        assert run("screen", "--yes", "bladder", "--no-others").code == 3
        exports.append(export(run))
    return exports


# Client 1: the icalendar and recurring_ical_events libraries.


def library_day(exports: list[str], day: date, reader: str = PARIS) -> list[str]:
    """What a calendar that imported ``exports`` in turn shows on ``day`` in ``reader``'s
    zone: the summaries of the live (not cancelled) events, sorted by start."""
    merged = icalendar.Calendar()
    for text in exports:  # one store, every component ever imported; the library picks
        for component in icalendar.Calendar.from_ical(text).subcomponents:
            merged.add_component(component)
    here = ZoneInfo(reader)
    start = datetime(day.year, day.month, day.day, tzinfo=here)
    found = recurring_ical_events.of(merged).between(start, start + timedelta(days=1))
    live = [event for event in found if str(event.get("STATUS", "")) != "CANCELLED"]
    return [str(event["SUMMARY"]) for event in sorted(live, key=_start(here))]


def _start(here: ZoneInfo) -> Callable[[icalendar.Event], datetime]:
    def key(event: icalendar.Event) -> datetime:
        value = event.decoded("DTSTART")
        if not isinstance(value, datetime):
            return datetime(value.year, value.month, value.day, tzinfo=here)
        return value

    return key


# Client 2: khal, a terminal calendar, as a process with its own store.


class Khal:
    def __init__(self, folder: Path, reader: str = PARIS) -> None:
        (folder / "calendar").mkdir(parents=True)
        self.config = folder / "config"
        self.config.write_text(
            f"[calendars]\n[[ptcli]]\npath = {folder / 'calendar'}\n"
            "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
            "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
            "longdatetimeformat = %Y-%m-%d %H:%M\n"
            f"default_timezone = {reader}\nlocal_timezone = {reader}\n"
            "[default]\ndefault_calendar = ptcli\n",
            encoding="utf-8",
        )
        self.folder = folder

    def khal(self, *args: str) -> str:
        done = subprocess.run(
            [str(KHAL), "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "XDG_DATA_HOME": str(self.folder / "data"), "TZ": "UTC"},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def import_(self, text: str, name: str) -> None:
        path = self.folder / name
        path.write_text(text, encoding="utf-8", newline="")
        self.khal("import", "--batch", str(path))

    def days(self, first: date, count: int = 1) -> dict[date, list[str]]:
        """The live events of ``count`` days from ``first``, by day: titles, cancelled left out."""
        shown = self.khal(
            "list",
            "--day-format",
            "",
            "--format",
            "{cancelled}|{start-date}|{title}",
            f"{first:%Y-%m-%d}",
            f"{count}d",
        )
        found: dict[date, list[str]] = {first + timedelta(days=n): [] for n in range(count)}
        for line in shown.splitlines():
            cancelled, day, title = line.split("|", 2)
            if not cancelled.strip() and date.fromisoformat(day) in found:
                found[date.fromisoformat(day)].append(title)
        return {day: sorted(titles) for day, titles in found.items()}


needs_khal = pytest.mark.skipif(
    not KHAL.exists() and shutil.which("khal") is None,
    reason="khal is not installed: pip install -e '.[test]'",
)


def library_days(exports: list[str], first: date, count: int) -> dict[date, list[str]]:
    return {
        first + timedelta(days=n): library_day(exports, first + timedelta(days=n))
        for n in range(count)
    }


@needs_khal
def test_three_days_imported_in_turn_show_each_day_only_its_programme(
    three_days: list[str], tmp_path: Path
) -> None:
    khal = Khal(tmp_path / "khal")
    counts = []
    for number, text in enumerate(three_days):
        day = MONDAY + timedelta(days=number)
        khal.import_(text, f"day{number + 1}.ics")
        # The calendar that took every export so far shows, on each of the 14 days ahead,
        # what the last export alone shows: nothing left over from the days before.
        ahead = library_days(three_days[: number + 1], day, 14)
        assert ahead == library_days([text], day, 14)
        assert khal.days(day, 14) == {d: sorted(titles) for d, titles in ahead.items()}
        shown = ahead[day]
        counts.append(len(shown))
        week = [title for titles in ahead.values() for title in titles]
        if number == 0:  # Monday, green: McKenzie 6 a day, the daily and both weekly groups
            assert shown.count("Lying face down (prone-lying)") == 6
            assert "Bottom lifts (dynamic-bridge)" in shown
            assert not any(s.startswith("ptcli: safety advice") for s in week)
        if number == 1:  # Tuesday, amber: no strengthening on any day, the safety advice on top
            assert shown[0].startswith("ptcli: safety advice")
            assert not any("dynamic-bridge" in title for title in week)
            assert shown.count("Lying face down (prone-lying)") == 6
        if number == 2:  # Wednesday, emergency: one event, and no exercise on any day
            assert shown == ["No exercises today: seek emergency care now"]
            assert week == shown
    assert counts == [9, 9, 1]


@needs_khal
def test_a_clinic_in_another_zone_sees_the_right_hour_across_daylight_saving(
    three_days: list[str], tmp_path: Path
) -> None:
    """Exported in Paris (summer time from 29 March), read in New York (from 8 March):
    08:00 in Paris is 03:00 in New York on Friday 27 March, 02:00 from Monday 30 March."""
    monday_export = three_days[0]
    khal = Khal(tmp_path / "khal", reader="America/New_York")
    khal.import_(monday_export, "monday.ics")
    for day, hour in ((date(2026, 3, 27), "03:00"), (date(2026, 3, 30), "02:00")):
        listed = khal.khal(
            "list", "--day-format", "", "--format", "{start-time} {title}", str(day), "1d"
        )
        assert f"{hour} Lying face down (prone-lying)" in listed.splitlines()
        shown = recurring_ical_events.of(icalendar.Calendar.from_ical(monday_export)).at(day)
        first = min(
            e.decoded("DTSTART") for e in shown if isinstance(e.decoded("DTSTART"), datetime)
        )
        assert first.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") == hour


@pytest.mark.parametrize("next_export", [(0, 12), (1, 7)], ids=["same-day", "next-morning"])
def test_a_flare_logged_after_the_first_export_drops_the_strengthening_all_the_same(
    run: Any, zone: Callable[[str], None], next_export: tuple[int, int]
) -> None:
    """The first day of use: the export in the morning, the flare in the afternoon; the next
    export (that noon, or the next morning) knows the morning's programme from the store."""
    zone(PARIS)
    with on(MONDAY, 7, 0):
        assert run("init").code == 0
        assert run("screen", "--no-others").code == 0
        assert run("pain", "log", "2", "--where", "buttock").code == 0
        first = export(run)
    with on(MONDAY, 11, 30):
        assert run("pain", "log", "7", "--where", "calf").code == 0
    days, hour = next_export
    with on(MONDAY + timedelta(days=days), hour):
        if days:
            assert run("pain", "log", "7", "--where", "calf").code == 0
        second = export(run)
    day = MONDAY + timedelta(days=days)
    assert any("dynamic-bridge" in t for ts in library_days([first], day, 14).values() for t in ts)
    ahead = library_days([first, second], day, 14)
    assert ahead == library_days([second], day, 14)
    assert not any("dynamic-bridge" in title for titles in ahead.values() for title in titles)


# Any history: whatever happened between exports, the latest one alone is the calendar.

WHERE = ("back", "buttock", "thigh", "calf")
ACTIONS = st.one_of(
    st.tuples(st.just("pain"), st.integers(0, 10), st.sampled_from(WHERE)),
    st.tuples(st.just("screen"), st.sampled_from(("", "bladder", "fever"))),
    st.tuples(st.just("clear"), st.sampled_from(("bladder", "fever"))),
    st.tuples(st.just("export")),
)


@settings(
    max_examples=12,
    deadline=None,
    # run and zone keep nothing between examples; each example has a store of its own
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(days=st.lists(st.lists(ACTIONS, min_size=1, max_size=4), min_size=1, max_size=6))
def test_after_any_history_the_calendar_is_what_the_last_export_shows(
    run: Any, zone: Callable[[str], None], days: list[list[tuple[Any, ...]]]
) -> None:
    """Pain up and down, red and urgent flags raised and cleared, exports at any moment:
    a calendar that imported every export shows, on each of the 14 days ahead, what the
    last export alone shows."""
    zone(PARIS)
    with tempfile.TemporaryDirectory(prefix="ptcli-calendar-") as folder:
        db = ["--db", str(Path(folder) / "ptcli.json")]
        exports = [export(run, *db) for _ in live_through(run, db, days)]
    last = MONDAY + timedelta(days=len(days) - 1)
    assert library_days(exports, last, 14) == library_days(exports[-1:], last, 14)


def live_through(run: Any, db: list[str], days: list[list[tuple[Any, ...]]]) -> Iterator[None]:
    """Carry out each day's actions at 07:00, 09:00, ...: yield (travelled there) where an
    export is asked for, and once more at 21:00 on the last day."""
    for number, actions in enumerate(days):
        day = MONDAY + timedelta(days=number)
        for index, action in enumerate(actions):
            with on(day, 7 + 2 * index):
                if action[0] == "pain":
                    run(*db, "pain", "log", str(action[1]), "--where", action[2])
                elif action[0] == "screen":
                    answers = ["--yes", action[1]] if action[1] else []
                    run(*db, "screen", *answers, "--no-others")
                elif action[0] == "clear":
                    run(*db, "flag", "clear", action[1], "--note", "seen by the GP")
                else:
                    yield
    with on(MONDAY + timedelta(days=len(days) - 1), 21):
        yield
