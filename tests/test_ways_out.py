"""Every way out carries the warnings (issue 11, item 8), through the CLI.

- The quick routine (``routine --pain``: no store, so no log, flags or plan) says so in
  every format and always carries the emergency warning signs.
- A blocked routine shows no band to follow, and its emergency message comes first.
- The calendar export carries the routine's urgent advice and cautions in every event,
  and an all-day "ptcli: safety advice" event on each day the reminders run.
- User and catalogue text is escaped in Markdown as in the other formats.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pypdf
import pytest
import yaml
from markdown_it import MarkdownIt

from ptcli.domain.safety import EMERGENCY, ITEMS
from tests.conftest import ROOT

QUICK_NOTE = "Built from the pain you stated: no log, safety flags or plan were checked."
EMERGENCY_SIGNS = [item.sign for item in ITEMS.values() if item.level == EMERGENCY]
URGENT_SIGNS = [item.sign for item in ITEMS.values() if item.level != EMERGENCY]
SEEK_CARE = "Seek emergency care now"
BAND_WORD = re.compile(r"\b(green|amber|red)\b", re.IGNORECASE)
QUICK = ("routine", "--pain", "8", "--where", "calf")


def flat(text: str) -> str:
    """The words of ``text``: box-drawing characters gone, whitespace collapsed (so a
    sentence folded across lines of a terminal panel reads as one)."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", text).split())


def ok(result: Any) -> Any:
    assert result.code == 0, result.err
    return result


# The quick routine


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "html"])
def test_the_quick_routine_says_nothing_was_checked_and_gives_the_emergency_signs(
    run: Any, db: Path, fmt: str
) -> None:
    out = ok(run(*QUICK, "--format", fmt)).out
    text = flat(out)
    assert QUICK_NOTE in text
    assert text.index(QUICK_NOTE) < text.index("Lying face down")  # before the exercises
    for sign in EMERGENCY_SIGNS:
        assert sign in text, sign
    assert "call your emergency number or go to an emergency department" in text
    assert not db.exists()  # and still no store


def test_the_quick_routine_in_json_is_marked_and_lists_the_signs(run: Any) -> None:
    routine = ok(run(*QUICK, "--format", "json")).json()
    assert routine["quick"] is True
    assert routine["quick_note"] == QUICK_NOTE
    emergency, urgent = routine["warning_signs"]
    assert emergency["level"] == "emergency" and emergency["signs"] == EMERGENCY_SIGNS
    assert emergency["advice"].startswith(SEEK_CARE)
    assert urgent["level"] == "urgent" and urgent["signs"] == URGENT_SIGNS
    assert "contact your GP or physiotherapist soon" in urgent["advice"]


def test_the_quick_routine_table_and_markdown_carry_the_urgent_signs_too(run: Any) -> None:
    for fmt in ("table", "markdown"):
        text = flat(ok(run(*QUICK, "--format", fmt)).out).lower()
        for sign in URGENT_SIGNS:
            assert sign.lower() in text, (fmt, sign)


def test_the_quick_routine_pdf_says_nothing_was_checked(run: Any, tmp_path: Path) -> None:
    target = tmp_path / "quick.pdf"
    ok(run(*QUICK, "--format", "pdf", "--output", str(target)))
    text = flat(" ".join(page.extract_text() for page in pypdf.PdfReader(target).pages))
    assert QUICK_NOTE in text
    assert all(flat(sign) in text for sign in EMERGENCY_SIGNS)


def test_a_routine_from_the_log_is_not_marked_quick(run: Any) -> None:
    run("screen", "--no-others")
    ok(run("pain", "log", "3", "--where", "thigh"))
    routine = ok(run("routine", "--format", "json")).json()
    assert (routine["quick"], routine["quick_note"], routine["warning_signs"]) == (
        False,
        None,
        None,
    )
    for fmt in ("table", "markdown", "html"):
        assert QUICK_NOTE not in flat(ok(run("routine", "--format", fmt)).out), fmt


# A blocked routine


@pytest.fixture(params=["no pain logged", "red"])
def blocked(run: Any, request: pytest.FixtureRequest) -> dict[str, Any]:
    """An emergency flag (new loss of bowel control) with no pain logged (the gentle amber
    programme otherwise: the audit's **AMBER**) or on a red day. Returns the routine."""
    if request.param == "red":
        ok(run("pain", "log", "8", "--where", "calf"))
    run("screen", "--yes", "bowel", "--no-others")  # its exit code may become 3: not asserted
    routine: dict[str, Any] = ok(run("routine", "--format", "json")).json()
    assert routine["status"] == "blocked" and routine["exercises"] == []
    return routine


@pytest.mark.parametrize("explain", [[], ["--explain"]])
def test_a_blocked_routine_in_markdown_shows_no_band_and_the_emergency_first(
    run: Any, blocked: dict[str, Any], explain: list[str]
) -> None:
    markdown = ok(run("routine", "--format", "markdown", *explain)).out
    assert not BAND_WORD.search(markdown), BAND_WORD.search(markdown)
    lines = [line for line in markdown.splitlines() if line.strip()]
    assert lines[0] == "# Do not exercise: seek emergency care now"
    assert lines[2].startswith("> **No exercises.** You reported a change in bowel control.")
    assert "Call your emergency number or go to an emergency department now" in lines[2]
    assert "ptcli" not in markdown.replace("ptcli.", "") or explain
    assert markdown.count("You reported a change in bowel control") == (2 if explain else 1)


@pytest.mark.parametrize("explain", [[], ["--explain"]])
def test_a_blocked_routine_in_the_table_shows_no_band(
    run: Any, blocked: dict[str, Any], explain: list[str]
) -> None:
    table = ok(run("routine", *explain)).out
    assert not BAND_WORD.search(table), BAND_WORD.search(table)
    assert "NO EXERCISES TODAY" in table and SEEK_CARE in flat(table)


def test_a_blocked_handout_puts_the_emergency_first_and_once(
    run: Any, blocked: dict[str, Any]
) -> None:
    page = ok(run("routine", "--format", "html")).out
    main = page[page.index("<main>") :]
    assert main.index('class="blocked-box"') < main.index('class="safety"')
    assert '<h1 class="emergency-title">Do not exercise: seek emergency care now</h1>' in page
    assert "<article" not in page and "<table" not in page  # no exercise, no key, no grid
    assert 'class="lights"' not in page  # no exercises: no pain limits for exercise
    assert 'class="alert emergency"' not in page  # the blocked message names it
    assert not BAND_WORD.search(flat(re.sub(r"<style>.*?</style>", "", page, flags=re.S)))


def test_a_blocked_routine_keeps_its_other_alerts_in_every_format(run: Any) -> None:
    run("screen", "--yes", "bowel", "--yes", "fever", "--no-others")
    routine = ok(run("routine", "--format", "json")).json()
    [urgent] = [a["text"] for a in routine["alerts"] if a["level"] == "urgent"]
    assert urgent in flat(ok(run("routine", "--format", "table")).out)
    # On paper, in the handout's words: the date in words, no command.
    for fmt in ("markdown", "html"):
        text = flat(ok(run("routine", "--format", fmt)).out).replace("&#39;", "'")
        assert "You reported a fever or feeling unwell on " in text, fmt
        assert "contact your GP or physiotherapist soon" in text, fmt
    [event] = calendar_of(run)
    description = str(event["DESCRIPTION"])
    assert description.startswith(routine["message"]) and urgent in description


# The calendar


def calendar_of(run: Any) -> list[icalendar.Event]:
    """The live events of today's calendar (those earlier exports had and today's has not
    come cancelled: test_calendar_clients.py)."""
    result = ok(run("export", "--format", "ics"))
    events = icalendar.Calendar.from_ical(result.out).walk("VEVENT")
    return [event for event in events if event.get("STATUS") != "CANCELLED"]


def all_day(events: list[icalendar.Event]) -> list[icalendar.Event]:
    return [e for e in events if not isinstance(e.decoded("DTSTART"), datetime)]


@pytest.mark.parametrize("pain", [[], ["3", "--where", "thigh"]])
def test_an_urgent_flag_is_in_every_event_and_in_an_all_day_event(
    run: Any, pain: list[str]
) -> None:
    run("screen", "--yes", "fever", "--no-others")
    if pain:
        ok(run("pain", "log", *pain))
    routine = ok(run("routine", "--format", "json")).json()
    [urgent] = [a["text"] for a in routine["alerts"] if a["level"] == "urgent"]
    assert "contact your GP or physiotherapist soon" in urgent
    events = calendar_of(run)
    assert len(events) > 1
    for event in events:
        description = str(event["DESCRIPTION"])
        assert urgent in description, event["SUMMARY"]
        assert description.index(urgent) < 200  # at the top, seen in a preview
    [advice] = all_day(events)
    day = date.fromisoformat(routine["date"])
    assert str(advice["SUMMARY"]) == (
        "ptcli: safety advice: contact your GP or physiotherapist soon"
    )
    assert advice.decoded("DTSTART") == day
    assert advice.decoded("DTEND") == day + timedelta(days=1)
    assert advice["RRULE"]["FREQ"] == ["DAILY"]
    assert advice["RRULE"]["UNTIL"] == [day + timedelta(days=13)]  # as long as the reminders
    assert not advice.subcomponents  # no alarm at midnight
    assert str(advice["UID"]) == "no-profile-safety-advice@ptcli"  # a store without init
    assert str(advice["TRANSP"]) == "TRANSPARENT" and str(advice["CLASS"]) == "PRIVATE"
    reminders = [e for e in events if e is not advice]
    assert all(e.decoded("DTSTART").time() >= time(8) for e in reminders)
    assert all(len(e.subcomponents) == 1 for e in reminders)  # their alarms are kept


def test_a_peripheralization_caution_is_in_every_event(run: Any) -> None:
    run("screen", "--no-others")
    ok(run("pain", "log", "3", "--where", "thigh"))
    run("session", "log", "prone-lying", "--where-after", "calf")
    routine = ok(run("routine", "--format", "json")).json()
    cautions = [a for a in routine["alerts"] if a["level"] == "caution"]
    assert [a["item"] for a in cautions] == ["prone-lying"]
    events = calendar_of(run)
    assert all(cautions[0]["text"] in str(e["DESCRIPTION"]) for e in events)
    [advice] = all_day(events)
    assert str(advice["SUMMARY"]) == "ptcli: safety advice"


def test_a_calendar_without_alerts_has_no_safety_event(run: Any) -> None:
    run("screen", "--no-others")
    ok(run("pain", "log", "2", "--where", "buttock"))
    events = calendar_of(run)
    assert events and all_day(events) == []
    assert not any("Safety advice" in str(e["DESCRIPTION"]) for e in events)


def test_a_blocked_calendar_keeps_its_one_emergency_event(run: Any) -> None:
    run("screen", "--yes", "bowel", "--no-others")
    [event] = calendar_of(run)
    assert str(event["SUMMARY"]) == "No exercises today: seek emergency care now"
    assert str(event["DESCRIPTION"]).startswith("You reported a change in bowel control.")


# Untrusted text in Markdown


def test_markdown_escapes_catalogue_text(run: Any, tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "src/ptcli/data/exercises.yaml").read_text(encoding="utf-8"))
    [entry] = [e for e in data["exercises"] if e["id"] == "prone-lying"]
    entry["name"] = "Lying <img src=x onerror=alert(1)> [down](javascript:alert(1))"
    entry["purpose"] = "# Not a heading\n> not a quote *or emphasis*"
    entry["steps"] = ["<script>alert(1)</script>", "1. not a list", "a | b `code`"]
    catalogue = tmp_path / "exercises.yaml"
    catalogue.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    markdown = ok(run("--catalogue", str(catalogue), *QUICK, "--format", "markdown")).out
    html = MarkdownIt("commonmark").render(markdown)
    assert "<img" not in html and "<script" not in html and "<a " not in html
    assert "<em>or emphasis" not in html and "<code>" not in html
    headings = re.findall(r"<h([1-6])>(.*?)</h\1>", html)
    assert ("2", "1. Lying &lt;img src=x onerror=alert(1)&gt; [down](javascript:alert(1))") in (
        headings
    )
    assert not any("Not a heading" in text for _, text in headings)
    assert "<blockquote>\n<p>not a quote" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as typed
    assert "<p>1. not a list" in html.replace("<li>", "<p>") and "<ol start" not in html
    assert "\\" not in html  # every escape is a real one: no backslash shows


def test_control_characters_from_a_catalogue_never_reach_a_terminal_or_a_calendar(
    run: Any, tmp_path: Path
) -> None:
    data = yaml.safe_load((ROOT / "src/ptcli/data/exercises.yaml").read_text(encoding="utf-8"))
    [entry] = [e for e in data["exercises"] if e["id"] == "prone-lying"]
    entry["name"] = "Lying \x1b]0;owned\x07face \x1b[2Jdown\r"
    entry["steps"] = ["Breathe\x08\x08\x08\x7f out.", *entry["steps"][1:]]
    catalogue = tmp_path / "exercises.yaml"
    catalogue.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for fmt in ("table", "markdown"):
        out = ok(run("--catalogue", str(catalogue), *QUICK, "--format", fmt)).out
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), fmt
        shown = out.replace("\\", "")  # Markdown escapes the brackets
        if fmt == "table":  # the terminal shows each control character (README "Terminal")
            assert "Lying \u241b]0;owned\u2407face \u241b[2Jdown\u240d" in shown
        else:  # Markdown drops them
            assert "Lying ]0;ownedface [2Jdown" in shown, fmt  # shown, not obeyed
    run("screen", "--no-others")
    ok(run("pain", "log", "2", "--where", "buttock"))
    text = ok(run("--catalogue", str(catalogue), "export", "--format", "ics")).out
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)
    assert not re.search(r"\r(?!\n)", text)  # CR only in line endings
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert any(str(e["SUMMARY"]) == "Lying ]0;ownedface [2Jdown (prone-lying)" for e in events)
    assert any("1. Breathe out." in str(e["DESCRIPTION"]) for e in events)
