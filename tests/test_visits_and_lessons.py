"""Appointments and short lessons (issue 19, DOMAIN 9-10): booked, done and cancelled
through the CLI; in today, history, the handout, the calendar, FHIR and every export;
a water class done takes the day's pool slot; lessons short, sourced and marked read."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ptcli import lessons
from ptcli.domain.engine import build_routine
from ptcli.domain.models import Appointment, PatientLog
from ptcli.domain.safety import EMERGENCY, ITEMS
from ptcli.domain.when import parse_when
from tests.test_engine_properties import BASE, CATALOGUE, DAY, PROPERTY, logs

LATER = "2030-06-03T10:30"  # a booking in the future, whatever day the suite runs


def book(run: Any, *args: str) -> str:
    """Book an appointment; its id."""
    result = run("appointment", "add", *args)
    assert result.code == 0, result.err
    found = re.search(r"\(id ([0-9a-f]{20})\)", result.out)
    assert found, result.out
    return found.group(1)


def store_text(db: Path) -> str:
    return db.read_text() if db.exists() else ""


# ------------------------------------------------------------------ appointments: the CLI


def test_an_appointment_booked_is_listed_and_shown_in_today(run: Any) -> None:
    run("init", "--name", "Sam", "--side", "left")
    visit = book(run, LATER, "--kind", "massage", "--with", "Anna", "--place", "Riverside Clinic")
    listed = run("appointment", "list")
    assert listed.code == 0
    assert "massage with Anna, Riverside Clinic" in listed.out and visit in listed.out
    today = run("today").out
    line = "Next appointment: Monday 3 June 2030 at 10:30, massage with Anna, Riverside Clinic"
    assert line in today
    data = run("today", "--json").json()
    assert data["next_appointment"]["id"] == visit
    assert data["next_appointment"]["status"] == "booked"
    assert data["exercises"]  # the routine is all there, as before


def test_the_next_appointment_is_the_soonest_booked_one(run: Any) -> None:
    later = book(run, "2030-06-10T09:00", "--kind", "review")
    sooner = book(run, LATER, "--kind", "assessment")
    assert run("today", "--json").json()["next_appointment"]["id"] == sooner
    run("appointment", "cancel", sooner)
    assert run("today", "--json").json()["next_appointment"]["id"] == later
    run("appointment", "cancel", later)
    assert run("today", "--json").json()["next_appointment"] is None
    assert "Next appointment" not in run("today").out


def test_a_weekday_books_the_next_one_and_a_day_alone_asks_for_the_time(run: Any, db: Path) -> None:
    now = datetime(2026, 11, 25, 10, 0).astimezone()  # a Wednesday
    assert (
        parse_when("friday 10:30", now, ahead=True) == datetime(2026, 11, 27, 10, 30).astimezone()
    )
    assert parse_when("friday 10:30", now) == datetime(2026, 11, 20, 10, 30).astimezone()
    assert parse_when("wednesday", now, ahead=True) == date(2026, 11, 25)
    assert parse_when("tomorrow 9am", now, ahead=True) == datetime(2026, 11, 26, 9).astimezone()
    with pytest.raises(ValueError):
        parse_when("tomorrow", now)  # only an appointment looks ahead
    result = run("appointment", "add", "friday")
    assert result.code == 2
    assert result.err == "ptcli: WHEN 'friday' needs a time of day too, such as 'friday 10:30'\n"
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kind", "online"],
            "an online appointment needs its --link (https://...): nothing was written",
        ),
        (
            ["--link", "javascript:alert(1)"],
            "--link must be a web address starting https:// (or http://), "
            "such as https://meet.example.org/abc: nothing was written",
        ),
        (
            ["--link", "https://a.example/x y"],
            "--link must be a web address without spaces, such as "
            "https://meet.example.org/abc: nothing was written",
        ),
        (
            ["--link", "https://"],
            "--link must be a web address starting https:// (or http://), "
            "such as https://meet.example.org/abc: nothing was written",
        ),
        (["--with", "x" * 201], "--with is longer than 200 characters (201), the most ptcli takes"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    run: Any, db: Path, args: list[str], message: str
) -> None:
    run("init")
    before = store_text(db)
    result = run("appointment", "add", LATER, *args)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"ptcli: {message}")
    assert store_text(db) == before


def test_done_and_cancel_are_corrections_that_undo_takes_back(run: Any) -> None:
    visit = book(run, LATER, "--kind", "treatment", "--note", "bring shorts")
    future = run("appointment", "done", visit)
    assert (future.code, future.err) == (
        2,
        "ptcli: that appointment is on 2030-06-03: mark it done once it has happened\n",
    )
    cancelled = run("appointment", "cancel", visit[-8:])
    assert cancelled.code == 0 and "Cancelled:" in cancelled.out
    again = run("appointment", "cancel", visit)
    assert (again.code, again.err) == (2, "ptcli: that appointment is already cancelled\n")
    assert run("appointment", "list").out.startswith("No appointments booked")
    shown = run("appointment", "list", "--all", "--json").json()
    assert [(a["id"], a["status"], a["note"]) for a in shown] == [
        (visit, "cancelled", "bring shorts")
    ]
    exported = run("export").json()
    assert exported["appointments"][0]["status"] == "booked"  # as written
    (fix,) = exported["corrections"]
    assert (fix["table"], fix["target"], fix["changes"]) == (
        "appointments",
        visit,
        {"status": "cancelled"},
    )
    assert run("undo", "--yes").code == 0
    assert run("appointment", "list", "--json").json()[0]["status"] == "booked"


def test_an_unknown_id_or_another_records_id_is_refused(run: Any) -> None:
    run("pain", "log", "3")
    pain_id = run("pain", "list", "--json").json()[0]["id"]
    book(run, LATER)
    unknown = run("appointment", "done", "abcdef123456")
    assert unknown.code == 2
    assert "see 'ptcli appointment list --all'" in unknown.err
    other = run("appointment", "cancel", pain_id)
    assert other.code == 2 and "is not an appointment" in other.err


def test_a_treatment_done_shows_in_history_and_a_booked_one_does_not(run: Any) -> None:
    yesterday = f"{date.today() - timedelta(days=1)}T15:00"
    done = book(run, yesterday, "--kind", "massage", "--with", "Lee", "--done")
    booked = book(run, f"{date.today() - timedelta(days=2)}T09:00", "--kind", "hydrotherapy")
    history = run("history")
    assert "Appointment: massage with Lee" in history.out
    assert "hydrotherapy" not in history.out
    entries = run("history", "--json").json()
    assert [(e["type"], e["id"]) for e in entries] == [("appointment", done)]
    marked = run("appointment", "done", booked, "--note", "warm pool, eased")
    assert marked.code == 0
    entries = run("history", "--json").json()
    assert [e["id"] for e in entries] == [booked, done]
    assert entries[0]["note"] == "warm pool, eased"


def test_text_from_the_user_is_made_visible_on_the_terminal(run: Any) -> None:
    book(run, LATER, "--with", "Anna\x1b[31mRED", "--place", "<b>Clinic</b>")
    out = run("appointment", "list").out + run("today").out
    assert "\x1b" not in out and "\u241b[31mRED" in out


# ------------------------------------------------------------------ the ways out


def test_exports_and_imports_carry_appointments_and_reads(
    run: Any, db: Path, tmp_path: Path
) -> None:
    run("init", "--name", "Sam")
    visit = book(run, LATER, "--kind", "online", "--link", "https://meet.example.org/x")
    run("appointment", "cancel", visit)
    run("learn", "3")
    for fmt in ("json", "ndjson"):
        exported = tmp_path / f"backup.{fmt}"
        assert run("export", "--format", fmt, "--output", str(exported)).code == 0
        other = tmp_path / f"other-{fmt}.json"
        result = run("--db", str(other), "import", str(exported))
        assert result.code == 0, result.err
        shown = run("--db", str(other), "appointment", "list", "--all", "--json").json()
        assert [(a["id"], a["status"]) for a in shown] == [(visit, "cancelled")]
        marks = run("--db", str(other), "learn", "--json").json()
        assert [x["number"] for x in marks if x["read"]] == [3]
    csv = run("export", "--format", "csv", "--table", "appointments").out
    assert csv.splitlines()[0].startswith("id,at,kind,who,link,place,note,status")


def test_the_calendar_has_each_appointment_with_a_reminder_the_day_before(run: Any) -> None:
    run("init", "--name", "Sam")
    kept = book(run, LATER, "--kind", "massage", "--place", "Riverside Clinic")
    gone = book(run, "2030-06-04T18:00", "--kind", "online", "--link", "https://m.example/a")

    def events() -> dict[str, Any]:
        text = run("export", "--format", "ics").out
        calendar = icalendar.Calendar.from_ical(text)
        return {
            str(e["UID"]): e for e in calendar.walk("VEVENT") if "-appointment-" in str(e["UID"])
        }

    first = events()
    assert set(first) == {uid for uid in first if kept in uid or gone in uid} and len(first) == 2
    event = next(e for uid, e in first.items() if kept in uid)
    assert event["SUMMARY"] == "Appointment: massage, Riverside Clinic"
    assert event["LOCATION"] == "Riverside Clinic"
    assert event.decoded("DTSTART") == datetime(2030, 6, 3, 10, 30).astimezone()
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(days=-1)
    run("appointment", "cancel", gone)
    second = events()
    assert set(second) == set(first)  # the same UIDs: a re-import updates the events
    cancelled = next(e for uid, e in second.items() if gone in uid)
    assert cancelled["STATUS"] == "CANCELLED" and not cancelled.walk("VALARM")
    assert str(cancelled["URL"]) == "https://m.example/a"


def test_fhir_has_an_appointment_per_record_with_its_status(run: Any) -> None:
    from fhir.resources.R4B.bundle import Bundle

    run("init", "--name", "Sam")
    booked = book(run, LATER, "--kind", "review", "--with", "Dr Lee")
    done = book(run, f"{date.today() - timedelta(days=1)}T10:00", "--kind", "massage", "--done")
    cancelled = book(run, "2030-06-04T18:00", "--kind", "assessment")
    run("appointment", "cancel", cancelled)
    text = run("export", "--format", "fhir").out
    Bundle.model_validate(json.loads(text))
    found = {
        r["identifier"][0]["value"]: r
        for e in json.loads(text)["entry"]
        if (r := e["resource"])["resourceType"] == "Appointment"
    }
    assert {i: r["status"] for i, r in found.items()} == {
        booked: "booked",
        done: "fulfilled",
        cancelled: "cancelled",
    }
    assert found[booked]["participant"][1]["actor"] == {"display": "Dr Lee"}


def test_the_handout_names_the_next_appointment_escaped(run: Any) -> None:
    run("init", "--name", "Sam")
    book(run, LATER, "--kind", "massage", "--place", "<script>x</script>")
    markdown = run("routine", "--format", "markdown").out
    assert "**Next appointment:** Monday 3 June 2030 at 10:30, massage, \\<script\\>" in markdown
    html = run("routine", "--format", "html").out
    assert "Next appointment:</span> Monday 3 June 2030 at 10:30, massage, &lt;script&gt;" in html
    assert "<script>" not in html
    quick = run("routine", "--pain", "3", "--format", "markdown").out
    assert "Next appointment" not in quick  # the quick routine reads no store


# ------------------------------------------------------------------ the engine


def _class_today(status: str = "done", kind: str = "hydrotherapy-class") -> Appointment:
    return Appointment("class-1", BASE + timedelta(hours=9), kind, "Jo", status=status)


@PROPERTY
@given(logs(), st.sampled_from(["done", "booked", "cancelled"]))
def test_a_water_class_done_takes_the_days_pool_slot_and_nothing_else(
    log: PatientLog, status: str
) -> None:
    without = build_routine(CATALOGUE, log, DAY)
    visit = _class_today(status)
    routine = build_routine(CATALOGUE, log._replace(appointments=(visit,)), DAY)
    pinned = {c.exercise for c in log.plan if c.action == "set"}

    def others(r: Any) -> list[Any]:
        return [i for i in r.items if i.exercise.category != "hydrotherapy"]

    assert others(routine) == others(without)
    pool = [i.exercise.id for i in routine.items if i.exercise.category == "hydrotherapy"]
    if status != "done" or routine.status == "blocked":
        assert routine.items == without.items
    else:
        assert all(exercise in pinned for exercise in pool)  # only a therapist's pin stays
        assert any(r.rule == "pool-class" for r in routine.reasons)


def test_a_class_on_another_day_or_another_kind_changes_nothing() -> None:
    from ptcli.domain.models import Profile

    log = PatientLog(profile=Profile(pool=True))
    pool = build_routine(CATALOGUE, log, DAY)
    assert any(i.exercise.category == "hydrotherapy" for i in pool.items)
    yesterday = _class_today()._replace(at=BASE - timedelta(hours=3))
    treatment = _class_today(kind="hydrotherapy")
    for visit in (yesterday, treatment):
        assert build_routine(CATALOGUE, log._replace(appointments=(visit,)), DAY) == pool
    taken = build_routine(CATALOGUE, log._replace(appointments=(_class_today(),)), DAY)
    assert not any(i.exercise.category == "hydrotherapy" for i in taken.items)


def test_a_class_done_today_through_the_cli(run: Any) -> None:
    run("init", "--pool")
    run("screen", "--no-others")
    run("pain", "log", "3")
    before = run("today", "--json").json()
    assert any(e["category"] == "hydrotherapy" for e in before["exercises"])
    (pool,) = [e for e in before["exercises"] if e["category"] == "hydrotherapy"]
    calendar = run("export", "--format", "ics").out
    book(run, "today 00:01", "--kind", "hydrotherapy-class", "--done")
    after = run("today", "--json").json()
    assert not any(e["category"] == "hydrotherapy" for e in after["exercises"])
    assert "pool-class" in [r["rule"] for r in after["reasons"]]
    # The class counts for today: the weeks a calendar or a handout cover keep the pool.
    assert pool["name"] in run("routine", "--format", "markdown").out
    again = run("export", "--format", "ics").out
    assert again.count("STATUS:CANCELLED") == calendar.count("STATUS:CANCELLED")
    assert f"({pool['id']})" in again


# ------------------------------------------------------------------ lessons


def test_about_ten_lessons_each_short_with_sources() -> None:
    found = lessons.catalogue()
    assert 10 <= len(found) <= 12
    assert len({x.id for x in found}) == len(found)
    for lesson in found:
        words = re.findall(r"[A-Za-z0-9][\w'-]*", lesson.text)  # a list's dashes are no words
        assert len(words) < 150, lesson.title
        assert lesson.sources and all(len(s) > 20 for s in lesson.sources), lesson.title
        assert "{" not in lesson.text


def test_the_emergency_lesson_names_every_sign_the_screen_asks_about() -> None:
    (lesson,) = [x for x in lessons.catalogue() if x.id == "help-now"]
    for item in ITEMS.values():
        if item.level == EMERGENCY:
            assert f"- {item.sign}" in lesson.text


def test_learn_lists_marks_read_and_today_shows_the_next_unread(run: Any) -> None:
    listed = run("learn")
    assert listed.code == 0 and "1. What sciatica is" in listed.out and "(read)" not in listed.out
    assert "Learn: What sciatica is (ptcli learn 1)" in run("today").out
    shown = run("learn", "1")
    assert shown.out.startswith("1. What sciatica is\n") and "Sources:" in shown.out
    run("learn", "1")  # read again: one record
    assert len(run("export").json()["lessons"]) == 1
    assert "1. What sciatica is  (read)" in run("learn").out
    assert "Learn: Why moving helps (ptcli learn 2)" in run("today").out
    assert run("learn", "Centralization").out.startswith("3. What centralization means")
    assert run("today", "--json").json()["next_lesson"] == {
        "number": 2,
        "id": "moving",
        "title": "Why moving helps",
    }


@pytest.mark.parametrize(
    ("topic", "message"),
    [
        ("99", "ptcli: there is no lesson 99: they are numbered 1 to 10\n"),
        ("knitting", "ptcli: no lesson about 'knitting': 'ptcli learn' lists them\n"),
        ("what", "names several lessons"),
    ],
)
def test_learn_refuses_what_names_no_one_lesson(
    run: Any, db: Path, topic: str, message: str
) -> None:
    result = run("learn", topic)
    assert (result.code, result.out) == (2, "")
    assert message in result.err
    assert not db.exists()  # nothing written


def test_todays_heaviest_case_stays_near_150_words(run: Any, monkeypatch: Any) -> None:
    from tests.test_plain_terminal import seed_ten_days

    seed_ten_days(run)
    book(run, LATER, "--kind", "hydrotherapy", "--with", "Anna", "--place", "Riverside Clinic")
    monkeypatch.setenv("COLUMNS", "80")
    shown = run("today").out
    assert "Next appointment" in shown and "Learn:" in shown
    assert len(shown.split()) <= 150, len(shown.split())
    assert len(shown.rstrip("\n").split("\n")) <= 27


def test_last_and_next_name_the_appointment_a_patient_means(run: Any) -> None:
    past = book(run, f"{date.today() - timedelta(days=1)}T17:00", "--kind", "hydrotherapy-class")
    soon = book(run, LATER, "--kind", "review")
    book(run, "2030-07-01T09:00", "--kind", "review")
    assert f"(id {past})" in run("appointment", "done", "last").out
    assert f"(id {soon})" in run("appointment", "cancel", "next").out
    none = run("appointment", "done", "last")
    assert (none.code, none.err) == (
        2,
        "ptcli: no appointment booked that has started: see 'ptcli appointment list --all'\n",
    )


def test_under_an_emergency_today_shows_the_panel_alone(run: Any) -> None:
    book(run, LATER, "--kind", "review")
    run("pain", "log", "5", "--flag", "bladder")
    shown = run("today").out
    assert "NO EXERCISES TODAY" in shown
    assert "Next appointment" not in shown and "Learn:" not in shown
    data = run("today", "--json").json()
    assert data["status"] == "blocked" and data["next_appointment"]["kind"] == "review"


def test_under_an_emergency_a_pool_appointment_in_the_calendar_says_no_exercise(
    run: Any,
) -> None:
    """DOMAIN 1: no exercise until seen. A water class or a pool session booked stays in
    the calendar (the clinic needs to hear), but its title, details and reminder say not to
    exercise; an appointment with a clinician that is no exercise is as booked."""
    run("init", "--name", "Sam", "--pool")
    pool = book(run, LATER, "--kind", "hydrotherapy-class")
    review = book(run, "2030-06-04T09:00", "--kind", "review")

    def events() -> dict[str, Any]:
        calendar = icalendar.Calendar.from_ical(run("export", "--format", "ics").out)
        return {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    def event(visit: str) -> Any:
        return next(e for uid, e in events().items() if f"-appointment-{visit}@" in uid)

    assert str(event(pool)["SUMMARY"]) == "Appointment: water class"
    assert run("screen", "--yes", "saddle-numbness", "--no-others").code == 3
    warned = event(pool)
    assert str(warned["SUMMARY"]) == "NO EXERCISE (emergency flag): Appointment: water class"
    assert "emergency" in str(warned["DESCRIPTION"]).lower()
    (alarm,) = warned.walk("VALARM")
    assert str(alarm["DESCRIPTION"]).startswith("NO EXERCISE (emergency flag): Tomorrow at")
    assert str(event(review)["SUMMARY"]) == "Appointment: review"
