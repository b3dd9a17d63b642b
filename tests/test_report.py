"""Issue 18: `ptcli report`, a therapist's page in HTML, PDF and Markdown.

Every chart is checked in the HTML (an SVG in its figure) and in the PDF (its axis
labels read back from the page); untrusted text (the name, notes, a clearance's note)
is escaped; the output file is protected as every other command's is.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest

from ptcli.domain.outcomes import short_day
from tests.conftest import at_hour as at

TODAY = date.today()
FIRST = TODAY - timedelta(days=13)
NAME = "Sam <b>Patient</b> & co"
NOTE = "sat through a <script>alert(1)</script> long drive"


@pytest.fixture
def history(run: Any) -> None:
    """Two weeks: pain 6 at the thigh down to 3 at the buttock, exercise most days, a
    fever reported and cleared, a pin, and a note with markup in it."""
    assert run("init", "--name", NAME, "--side", "left").code == 0
    assert run("screen", "--no-others", "--at", at(FIRST, 6)).code == 0
    for n in range(14):
        day = FIRST + timedelta(days=n)
        where = "thigh" if n < 7 else "buttock"
        note = ["--note", NOTE] if n == 3 else []
        assert (
            run("pain", "log", str(6 - n // 4), "--where", where, "--at", at(day, 7), *note).code
            == 0
        )
        if n not in (9, 10):
            result = run("session", "log", "--routine", "--pain-after", "2", "--at", at(day, 10))
            assert result.code == 0, result.err
    fever = FIRST + timedelta(days=5)
    run("screen", "--yes", "fever", "--no-others", "--at", at(fever, 8))
    cleared = run(
        "flag",
        "clear",
        "fever",
        "--note",
        "GP: <i>a cold</i>",
        "--at",
        at(fever + timedelta(days=1), 9),
    )
    assert cleared.code == 0, cleared.err
    assert run("plan", "set", "bird-dog", "--sets", "2", "--reps", "8").code == 0


def pdf_text(path: Path) -> tuple[int, str]:
    pages = pypdf.PdfReader(path).pages
    return len(pages), " ".join(" ".join(p.extract_text().split()) for p in pages)


@pytest.mark.usefixtures("history")
def test_the_html_report_has_every_chart_and_section(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("report", "--output", str(out))
    assert result.code == 0, result.err
    page = out.read_text()
    for chart in ("pain-chart", "extent-chart", "adherence-chart"):
        figure = re.search(rf'<figure[^>]*id="{chart}".*?</figure>', page, re.S)
        assert figure is not None and "<svg" in figure.group(0), chart
    assert "<script" not in page.lower()  # pygal's script is removed; the note is escaped
    assert "Sam &lt;b&gt;Patient&lt;/b&gt; &amp; co" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "GP: &lt;i&gt;a cold&lt;/i&gt;" in page
    assert "No outcome measures recorded yet." in page
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))
    # Weeks of the 4 before today: the last two have mornings, 6,6,6,6,5,5,5 and
    # 5,4,4,4,4,3,3: 1.7 points down, 30 % of 5.6.
    assert "Morning pain down from 5.6 to 3.9 over 2 weeks: a clinically meaningful change" in text
    assert (
        f"Thigh pain has moved back to the buttock since {short_day(FIRST + timedelta(days=7))}"
        in text
    )
    assert "a fever or feeling unwell urgent" in text
    assert "Opposite arm and leg lift" in text and "therapist's pin" in text
    assert "How the engine changed doses" in text
    assert "Two easy sessions in a row" in text  # a rule in words, from the engine


@pytest.mark.usefixtures("history")
def test_the_pdf_report_prints_every_chart_on_at_most_two_pages(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = run("report", "--format", "pdf", "--output", str(out))
    assert result.code == 0, result.err
    pages, text = pdf_text(out)
    assert pages <= 2
    assert "Progress report: Sam <b>Patient</b> & co" in text  # as typed, never as markup
    # Each chart's own labels: the extent chart's places, the week starts on the x axes
    # of all three charts (and once in the week table).
    for place in ("foot", "calf", "thigh", "buttock", "side", "back", "none"):
        assert re.search(rf"\b{place}\b", text), place
    week = short_day(FIRST)
    assert text.count(week) >= 4, text
    for caption in (
        "Morning pain, 0 to 10",
        "How far down the leg",
        "Prescribed exercises each week",
    ):
        assert caption in text
    assert "No outcome measures recorded yet." in text


@pytest.mark.usefixtures("history")
def test_the_markdown_report_escapes_what_was_typed(run: Any) -> None:
    result = run("report", "--format", "markdown")
    assert result.code == 0, result.err
    md = result.out
    assert md.startswith("# Progress report: Sam \\<b\\>Patient\\</b\\> \\& co\n")
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "No outcome measures recorded yet." in md
    assert "| week of | mean morning pain | mornings logged | exercises done |" in md


def test_an_active_emergency_is_in_bold_and_the_plan_says_no_exercise(
    run: Any, tmp_path: Path
) -> None:
    assert run("init", "--name", "Sam").code == 0
    assert run("pain", "log", "5", "--where", "calf").code == 0
    assert run("screen", "--yes", "bladder", "--no-others").code == 3
    out = tmp_path / "r.html"
    assert run("report", "--output", str(out)).code == 0
    page = out.read_text()
    assert re.search(r'<tr class="strong"><td>a change in bladder control</td><td>EMERGENCY', page)
    assert "ACTIVE: not cleared" in page
    assert 'class="blocked"' in page and "Seek emergency care now" in page


def test_the_report_never_writes_over_the_store(run: Any, db: Path) -> None:
    assert run("init").code == 0
    before = db.read_bytes()
    result = run("report", "--output", str(db))
    assert result.code == 2
    assert result.err == f"ptcli: --output {db} is the store itself: choose another file\n"
    assert db.read_bytes() == before


def test_a_report_of_an_empty_store_says_what_is_missing(run: Any, tmp_path: Path) -> None:
    assert run("init").code == 0
    out = tmp_path / "r.html"
    assert run("report", "--output", str(out), "--since", "-7d").code == 0
    page = out.read_text()
    assert "No pain logged in this period." in page
    assert "No notes in this period." in page


def test_the_report_shows_the_measures_of_the_period_against_their_baseline(
    run: Any, history: None, tmp_path: Path
) -> None:
    """Measures from `ptcli measure`: the baseline may be older than the period; a 58 %
    drop of the ODI is meaningful (10 points or 30 %), a PSFS rise of 0.7 is not (2)."""
    old = (TODAY - timedelta(days=60)).isoformat()
    assert run("measure", "odi", "--scores", "3,3,2,2,3,2,2,3,2,2", "--at", old).code == 0
    assert run("measure", "odi", "--scores", "1,1,1,1,1,1,1,1,1,1").code == 0
    psfs = ("--activity", "walking", "--activity", "sitting", "--activity", "<i>lifting</i>")
    assert run("measure", "psfs", *psfs, "--answers", "3,4,2", "--at", at(FIRST, 9)).code == 0
    assert run("measure", "psfs", "--answers", "4,4,3").code == 0
    md = run("report", "--format", "markdown").out.replace("\u00a0", " ")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "%" in line]
    assert any(r.startswith("| **ODI** | ") and "**-28 (-58 %)** | **yes** |" in r for r in rows)
    assert any(r.startswith("| PSFS | ") and "+0.7 (+22 %) | no |" in r for r in rows)
    assert not any("48 %" in r for r in rows)  # the baseline is before the period
    page = tmp_path / "r.html"
    assert run("report", "--output", str(page)).code == 0
    measures = page.read_text().split('<section id="measures">')[1].split("</section>")[0]
    assert "No outcome measures" not in measures and measures.count("<tr") == 1 + 3
