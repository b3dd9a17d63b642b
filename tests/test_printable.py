"""The printable routine (``routine --format html|pdf``) through the CLI: content, escaping,
pictures, the tracking grid, the pain chart and the PDF.

Golden files: ``tests/golden/*.html`` hold three whole pages (a quick routine, a routine
from a store with its pain chart, and a blocked routine). Before comparing, each inline
``<svg>`` drawing of an exercise (only inside ``<div class="picture">``) is replaced by a
marker naming the exercise, and ``ptcli X.Y.Z`` stands for the version, so redrawing a
picture or a release does not touch them. After a deliberate change to the page, rewrite
them and read the diff before committing::

    PTCLI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_printable.py -k golden

With ``PTCLI_UPDATE_GOLDEN=1`` the golden tests write their file instead of comparing,
and pass.

The layout in a browser (nothing wider than the page, text size, page breaks) is in
``test_print_layout.py``.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import select
import stat
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pypdf
import pytest
import yaml

from ptcli import __version__
from ptcli.domain.safety import EMERGENCY, ITEMS
from ptcli.render import paper
from tests.conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"
SHIPPED_CATALOGUE = ROOT / "src" / "ptcli" / "data" / "exercises.yaml"
EMERGENCY_SIGNS = [item.sign for item in ITEMS.values() if item.level == EMERGENCY]
URGENT_SIGNS = [item.sign for item in ITEMS.values() if item.level != EMERGENCY]
STOP = "Stop if the pain spreads further down your leg, and "
BLOCKED = (
    "ptcli: the routine is blocked by an emergency flag: the handout says not to exercise "
    "and to seek emergency care now\n"
)
A4, LETTER = (595, 842), (612, 792)  # points, rounded


# A small DOM, enough to ask the page questions (the standard library has no HTML tree).


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def text(self) -> str:
        """The text inside, whitespace collapsed (as a browser shows it)."""
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                    found.append(child)
                found += child.all(tag, cls)
        return found

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        [found] = self.all(tag, cls)
        return found


class _Builder(HTMLParser):
    VOID: ClassVar[set[str]] = {"meta", "link", "img", "br", "hr", "input", "col", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#document", {}, None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.node)
        self.node.children.append(node)
        if tag not in self.VOID:
            self.node = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.node.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.node))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"</{tag}> closes nothing"
        self.node = node.parent

    def handle_data(self, data: str) -> None:
        self.node.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert builder.node is builder.root, f"<{builder.node.tag}> is not closed"
    return builder.root


# Golden files


_ARTICLE = re.compile(r'<article class="exercise" id="exercise-([^"]+)".*?</article>', re.S)
_PICTURE_SVG = re.compile(r'(<div class="picture">\s*)<svg\b.*?</svg>', re.S)


def normalise(html: str) -> str:
    """The page without what churns for no reason: the drawings' markup and the version."""

    def article(match: re.Match[str]) -> str:
        marker = f"<!-- drawing: {match.group(1)}.svg -->"
        return _PICTURE_SVG.sub(lambda p: p.group(1) + marker, match.group(0))

    return _ARTICLE.sub(article, html).replace(f"ptcli {__version__}", "ptcli X.Y.Z")


def check_golden(name: str, html: str) -> None:
    path = GOLDEN / name
    page = normalise(html)
    if os.environ.get("PTCLI_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(page, encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing: run with PTCLI_UPDATE_GOLDEN=1 to write it"
    assert page == path.read_text(encoding="utf-8"), (
        f"the page differs from {path}; if the change is meant, rewrite it with "
        "PTCLI_UPDATE_GOLDEN=1 and read the diff"
    )


def ok(result: Any) -> Any:
    assert result.code == 0, result.err
    return result


def log_three_weeks(run: Any) -> None:
    """A patient whose morning pain fell from 7 to 3 over three weeks, with two sessions."""
    ok(run("init", "--name", "Ana Pereira", "--side", "left"))
    ok(run("screen", "--no-others", "--at", "2026-02-09T07:00"))
    mornings = [7, 7, 6, 7, 6, 6, 5, 6, 5, 5, 5, 4, 5, 4, 4, 4, 3, 4, 3, 3, 3]
    for day, score in enumerate(mornings, 9):  # 9 February to 1 March 2026
        at = f"2026-02-{day:02d}T08:00" if day <= 28 else f"2026-03-{day - 28:02d}T08:00"
        ok(run("pain", "log", str(score), "--where", "thigh", "--at", at))
    ok(run("pain", "log", "6", "--where", "calf", "--at", "2026-02-20T19:00"))  # not a morning
    # Doses given in full: a dose left out would be that of the routine of the real today.
    for exercise, at in (("prone-lying", "2026-03-01T09:00"), ("walking", "2026-03-01T17:00")):
        dose = [
            "--sets",
            "1",
            "--reps",
            "1",
            "--hold",
            "120" if exercise == "prone-lying" else "600",
        ]
        ok(run("session", "log", exercise, *dose, "--at", at, "--pain-after", "2"))
    ok(run("pain", "log", "3", "--where", "buttock", "--at", "2026-03-02T07:30"))


def test_golden_quick_routine(run: Any) -> None:
    result = ok(
        run(
            "routine",
            "--pain",
            "5",
            "--where",
            "thigh",
            "--date",
            "2026-03-02",
            "--format",
            "html",
            "--patient",
            "Ana Pereira",
            "--therapist",
            "Sam Okafor",
            "--clinic",
            "Riverside Physio & Pilates",
            "--note",
            "Walk every day, a little further each week.\nCall me if the pain goes below your knee.",
        )
    )
    assert result.err == ""
    check_golden("quick-routine.html", result.out)


def test_golden_routine_from_the_log(run: Any) -> None:
    log_three_weeks(run)
    result = ok(run("routine", "--date", "2026-03-02", "--format", "html", "--weeks", "1"))
    assert result.err == ""
    check_golden("routine-from-the-log.html", result.out)


def test_golden_blocked_routine(run: Any) -> None:
    ok(run("init", "--name", "Ana Pereira"))
    ok(run("pain", "log", "3", "--where", "buttock", "--at", "2026-02-27T08:00"))
    flagged = run(
        "pain", "log", "4", "--where", "thigh", "--flag", "bladder", "--at", "2026-03-01T08:00"
    )
    assert flagged.code == 3  # stopped for safety, the entry and its flag saved
    result = ok(run("routine", "--date", "2026-03-02", "--format", "html"))
    assert result.err == BLOCKED
    check_golden("blocked-routine.html", result.out)
    page = parse(result.out)
    assert page.all("article") == [] and page.all("table") == []  # no exercise, key or grid
    assert page.one("h1").text == "Do not exercise: seek emergency care now"
    blocked = page.one("p", "blocked-box")
    assert blocked.text.startswith("No exercises. You reported a change in bladder control.")
    assert "go to an emergency department now" in blocked.text


def pin_on_the_first_of_march(run: Any, tmp_path: Path, exercise: str) -> None:
    """A therapist's pin dated 1 March 2026 (``plan set`` has no ``--at``), by import."""
    pin = {
        "id": "00000000000000000042",
        "at": "2026-03-01T12:00:00+00:00",
        "action": "set",
        "exercise": exercise,
        "sets": None,
        "reps": None,
        "hold_s": None,
        "per_day": None,
    }
    export = tmp_path / "pin.json"
    export.write_text(
        json.dumps(
            {
                "format": "ptcli-export",
                "version": 1,
                "exported_at": "2026-03-01T12:00:00+00:00",
                "plan": [pin],
            }
        ),
        encoding="utf-8",
    )
    ok(run("import", str(export)))


def programme_for_weeks(run: Any, tmp_path: Path) -> Any:
    """A good day (pain 2) of a patient with a pinned side plank, bottom lifts done
    yesterday (a rest day today), lying face down stopped this morning (the pain spread
    to the calf) and a contact: the good day's programme, today marked."""
    ok(run("init", "--name", "Ana Pereira", "--contact", "0161 555 0100"))
    ok(run("screen", "--no-others", "--at", "2026-02-28T07:00"))
    pin_on_the_first_of_march(run, tmp_path, "side-bridge-full")
    ok(run("pain", "log", "2", "--where", "buttock", "--at", "2026-03-01T07:30"))
    bridge = ["--sets", "2", "--reps", "10", "--pain-after", "2", "--at", "2026-03-01T10:00"]
    ok(run("session", "log", "dynamic-bridge", *bridge))
    ok(run("pain", "log", "2", "--where", "buttock", "--at", "2026-03-02T07:30"))
    spread = ["--where-after", "calf", "--pain-after", "3", "--at", "2026-03-02T09:00"]
    ok(run("session", "log", "prone-lying", *spread))
    return ok(run("routine", "--date", "2026-03-02", "--format", "html", "--weeks", "2"))


def test_golden_programme_for_weeks(run: Any, tmp_path: Path) -> None:
    result = programme_for_weeks(run, tmp_path)
    assert result.err == ""
    check_golden("programme-for-weeks.html", result.out)
    page = parse(result.out)
    marks = {
        a.attrs["id"].removeprefix("exercise-"): [p.text for p in a.all("p", "paused")]
        for a in page.all("article", "exercise")
    }
    assert marks["prone-lying"] == [  # the stop rule's pause, in words
        "Not today (the pain spread further down your leg after it on Monday 2 March 2026): "
        "leave it out up to Wednesday 4 March 2026."
    ]
    assert marks["dynamic-bridge"] == ["Not today: a rest day."]  # done yesterday
    assert marks["side-bridge-full"] == []  # pinned, and done today
    # Its rest days in the grid: 3 days a week, never two running, from tomorrow.
    week = page.one("section", "record").all("table")[0]
    [row] = [tr for tr in week.one("tbody").all("tr") if "Bottom lifts" in tr.text]
    assert [td.text for td in row.all("td")] == ["rest", "☐", "rest", "☐", "rest", "rest", "☐"]
    plans = page.one("section", "plan").text
    assert "Pain 7 to 10: a bad day Do only exercises 1, " in plans
    assert "ptcli" not in re.sub(r"<(style|footer|head)>.*?</\1>", "", result.out, flags=re.S)
    assert "2026-03" not in page.one("main").text  # dates in words


def test_golden_letter_paper_says_doctor(run: Any) -> None:
    result = ok(
        run(
            "routine",
            "--pain",
            "3",
            "--date",
            "2026-03-02",
            "--format",
            "html",
            "--paper",
            "letter",
            "--contact",
            "(555) 010-0100",
        )
    )
    check_golden("letter-paper.html", result.out)
    text = parse(result.out).one("main").text
    assert "contact your doctor or physiotherapist soon" in text
    assert not re.search(r"\bGP\b", text)
    assert "size: letter portrait" in result.out


def test_the_pdfs_read_back(run: Any, tmp_path: Path) -> None:
    """The programme, an emergency handout and a letter-size one, read back from the PDF:
    the contact on every page, the marks and the words."""
    programme_for_weeks(run, tmp_path)
    output = tmp_path / "weeks.pdf"
    ok(run("routine", "--date", "2026-03-02", "--format", "pdf", "--output", str(output)))
    pages = pdf_pages(output)
    assert all("Contact: 0161 555 0100" in page for page in pages)
    text = " ".join(pages)
    assert "Not today: a rest day." in text and "leave it out up to Wednesday 4 March" in text
    assert "Your record, weeks 1 and 2" in text
    assert run("screen", "--yes", "bladder", "--no-others").code == 3  # stopped for safety
    emergency = tmp_path / "emergency.pdf"
    result = ok(run("routine", "--format", "pdf", "--output", str(emergency)))
    assert result.err == f"Wrote {emergency}\n{BLOCKED}"
    [page] = pdf_pages(emergency)
    assert page.startswith("Do not exercise: seek emergency care now")
    assert "Your record" not in page and "Tick a box" not in page
    letter = tmp_path / "letter.pdf"
    ok(run("routine", "--pain", "3", "--format", "pdf", "--paper", "letter", "-o", str(letter)))
    assert page_size(letter) == LETTER
    assert "doctor or physiotherapist" in " ".join(pdf_pages(letter))


def test_init_contact_is_kept_and_routine_contact_does_not_change_it(run: Any) -> None:
    ok(run("init", "--contact", "0161 555 0100"))
    page = parse(ok(run("routine", "--format", "html", "--contact", "0161 555 0199")).out)
    assert page.one("li", "contact").text == "Contact: 0161 555 0199"
    page = parse(ok(run("routine", "--format", "html")).out)
    assert page.one("li", "contact").text == "Contact: 0161 555 0100"
    assert ok(run("export")).json()["profile"]["contact"] == "0161 555 0100"
    too_long = run("init", "--contact", "x" * 81)
    assert too_long.code == 2 and too_long.err.startswith("ptcli: --contact is longer than 80")


def test_the_golden_normaliser_only_replaces_exercise_drawings() -> None:
    page = (
        '<figure class="trend"><svg viewBox="0 0 4 4"><text>7</text></svg></figure>'
        '<article class="exercise" id="exercise-walking"><div class="picture">\n'
        '<svg viewBox="0 0 320 180"><path d="M0 0"/></svg>\n</div></article>'
        f"<footer>Made with ptcli {__version__}.</footer>"
    )
    assert normalise(page) == (
        '<figure class="trend"><svg viewBox="0 0 4 4"><text>7</text></svg></figure>'
        '<article class="exercise" id="exercise-walking"><div class="picture">\n'
        "<!-- drawing: walking.svg -->\n</div></article>"
        "<footer>Made with ptcli X.Y.Z.</footer>"
    )


# What the page says


def test_what_a_patient_or_therapist_types_prints_as_text(run: Any) -> None:
    note = "<script>alert(1)</script>"
    patient = "O'Brien & <b>Co</b>"
    result = ok(
        run(
            "routine",
            "--pain",
            "3",
            "--format",
            "html",
            "--note",
            note,
            "--patient",
            patient,
            "--clinic",
            '"Spine" & <i>Back</i>',
        )
    )
    assert "<script" not in result.out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.out
    assert "O&#39;Brien &amp; &lt;b&gt;Co&lt;/b&gt;" in result.out
    page = parse(result.out)
    assert page.all("script") == [] and page.all("b") == [] and page.all("i") == []
    assert page.one("p", "note").text == f"From your therapist: {note}"
    people = [li.text for li in page.one("ul", "people").all("li")]
    assert people[:2] == [f"Patient: {patient}", 'Clinic: "Spine" & <i>Back</i>']
    assert page.one("title").text.startswith(f"Your home exercise programme: {patient}, ")


def routine_doses(run: Any, *args: str) -> list[str]:
    """The dose of each exercise as words.dose gives it (the Markdown routine prints it)."""
    markdown = ok(run("routine", *args, "--format", "markdown")).out
    return re.findall(r"^\*([^*].*[^*])\*$", markdown, re.M)


def test_every_exercise_has_its_name_dose_steps_picture_and_stop_rule(run: Any) -> None:
    routine = ok(run("routine", "--pain", "2", "--where", "thigh", "--format", "json")).json()
    doses = routine_doses(run, "--pain", "2", "--where", "thigh")
    result = ok(run("routine", "--pain", "2", "--where", "thigh", "--format", "html"))
    assert result.err == ""
    page = parse(result.out)
    articles = page.all("article", "exercise")
    # The programme: today's 9 (a good day), then the bad day's own (abdominal brace).
    assert len(routine["exercises"]) == 9 and len(doses) == len(articles) == 10
    programme = [
        *routine["exercises"],
        {"id": "abdominal-brace", "name": "Tummy muscle tightening"},
    ]
    for number, (exercise, dose, article) in enumerate(
        zip(programme, doses, articles, strict=True), 1
    ):
        shown = ok(run("catalogue", "show", exercise["id"], "--json")).json()
        assert article.attrs["id"] == f"exercise-{exercise['id']}"
        assert article.one("h2").text == f"{number}. {exercise['name']}"
        assert article.one("p", "dose").text == dose
        assert [li.text for li in article.one("ol").all("li")] == shown["steps"]
        assert article.one("p", "why").text == f"Why: {shown['purpose']}"
        assert article.one("span", "stop").text == paper.stop_rule(None)
        assert article.one("p", "cautions").text.endswith(paper.stop_rule(None))
        [drawing] = article.one("div", "picture").all("svg")
        assert drawing.attrs["viewbox"]  # the parser lowers attribute names
    # The grid numbers the exercises in the same order.
    week = page.one("section", "record").all("table")[0]
    heads = [th.text for th in week.one("tbody").all("th")]
    assert heads[1:-1] == [f"{n}. {e['name']}" for n, e in enumerate(programme, 1)]


def test_the_stop_rule_names_the_easier_version_of_its_chain(run: Any) -> None:
    ok(run("screen", "--no-others"))
    ok(run("plan", "set", "partial-press-up"))  # McKenzie: back to the first level
    ok(run("plan", "set", "side-bridge-full"))  # the others: back one level
    ok(run("pain", "log", "2", "--where", "thigh"))
    page = parse(ok(run("routine", "--format", "html")).out)
    stops = {
        a.attrs["id"].removeprefix("exercise-"): a.one("span", "stop").text
        for a in page.all("article", "exercise")
    }
    assert stops["partial-press-up"] == f"{STOP}go back to the easier version, Lying face down."
    assert stops["side-bridge-full"] == f"{STOP}go back to the easier version, Side plank on knees."
    assert stops["walking"] == f"{STOP}leave this exercise out that day and the next 2."


def test_the_safety_box_lists_every_warning_sign(run: Any) -> None:
    page = parse(ok(run("routine", "--pain", "5", "--format", "html")).out)
    safety = page.one("section", "safety")
    assert [li.text for li in safety.one("ul", "emergency").all("li")] == EMERGENCY_SIGNS
    assert len(EMERGENCY_SIGNS) == 6
    urgent = safety.all("p")[-1].text
    for sign in URGENT_SIGNS:
        assert sign.lower() in urgent
    plan = page.one("section", "plan").text
    for words_ in (
        "Pain 0 to 3: a good day",
        "Pain 4 to 6: a harder day",
        "Pain 7 to 10: a bad day",
    ):
        assert words_ in plan
    assert "During an exercise your pain may reach 5. If it was already above 5" in plan


@pytest.mark.parametrize(("weeks", "rows"), [(None, 14), ("1", 7), ("3", 21), ("12", 84)])
def test_the_tracking_grid_has_a_row_a_day(run: Any, weeks: str | None, rows: int) -> None:
    args = ["--weeks", weeks] if weeks else []
    out = ok(run("routine", "--pain", "5", "--date", "2026-03-02", "--format", "html", *args)).out
    assert re.search(r'<html lang="en">', out)
    page = parse(out)
    [html] = page.all("html")
    assert html.attrs["lang"] == "en"
    records = page.all("section", "record")  # two weeks a page, a week a table
    tables = [table for record in records for table in record.all("table")]
    assert len(records) == -(-rows // 14) and len(tables) * 7 == rows
    days = [th.text for table in tables for th in table.one("thead").all("th")[1:]]
    assert len(days) == rows and days[:2] == ["Mon 2 Mar", "Tue 3 Mar"]
    names = [a.one("h2").text for a in page.all("article", "exercise")]
    for table in tables:
        heads = [th.text for th in table.one("tbody").all("th")]
        assert heads == ["Morning pain (0 to 10)", *names, "Pain after exercising (0 to 10)"]
        assert all(len(tr.all("td")) == 7 for tr in table.one("tbody").all("tr"))


def test_the_quick_routine_has_no_chart_and_opens_no_store(run: Any, db: Path) -> None:
    out = ok(run("routine", "--pain", "4", "--format", "html")).out
    page = parse(out)
    assert page.all("figure") == [] and "Morning pain, last 4 weeks" not in out
    assert page.all("section", "record")  # but a grid to fill in
    assert not db.exists()


def test_a_routine_from_the_store_has_the_pain_chart(run: Any) -> None:
    log_three_weeks(run)
    page = parse(ok(run("routine", "--date", "2026-03-02", "--format", "html")).out)
    trend = page.one("figure", "trend")
    assert trend.one("h3").text == "Morning pain, last 4 weeks"
    # One point a morning: 9 Feb to 2 Mar; the evening entry of 20 Feb is not a morning.
    assert len(trend.all("circle")) == 22
    caption = trend.one("figcaption").text.replace(" ,", ",").replace(" .", ".")
    assert caption == (
        "Morning pain logged on 22 days: 7/10 on 9 Feb, 3/10 on 2 Mar; average 4.8/10. "
        "Green 0 to 3, Amber 4 to 6, Red 7 to 10."
    )
    assert [t.text for t in trend.all("text")] == [
        "0",
        "5",
        "10",
        "3 Feb",
        "10 Feb",
        "17 Feb",
        "24 Feb",
        "2 Mar",
    ]
    # The patient comes from the profile when --patient is not given.
    assert page.one("ul", "people").all("li")[0].text == "Patient: Ana Pereira"


def test_an_empty_store_prints_an_empty_chart_that_says_so(run: Any) -> None:
    page = parse(ok(run("routine", "--format", "html")).out)
    trend = page.one("figure", "trend")
    assert trend.all("circle") == [] and trend.all("polyline") == []
    assert trend.one("figcaption").text.startswith("No pain was logged in the last 4 weeks. ")


def test_a_single_morning_is_summarised_once(run: Any) -> None:
    ok(run("pain", "log", "5", "--where", "thigh", "--at", "2026-03-02T08:00"))
    page = parse(ok(run("routine", "--date", "2026-03-02", "--format", "html")).out)
    summary = page.one("figure", "trend").one("figcaption").text
    assert summary.count("5/10") == 1, summary


# Pictures: the drawings shipped with ptcli, and a catalogue's own images


def tiny_png() -> bytes:
    """A valid 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def write_catalogue(folder: Path, changes: dict[str, dict[str, Any]]) -> Path:
    """A copy of the shipped catalogue with some entries changed (by their shipped id)."""
    data = yaml.safe_load(SHIPPED_CATALOGUE.read_text(encoding="utf-8"))
    for entry in data["exercises"]:
        entry.update(changes.get(entry["id"], {}))
    path = folder / "catalogue" / "exercises.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def quick_handout(run: Any, catalogue: Path) -> Any:
    return ok(
        run(
            "--catalogue",
            str(catalogue),
            "routine",
            "--pain",
            "5",
            "--where",
            "thigh",
            "--format",
            "html",
        )
    )


def article_of(page: Node, exercise_id: str) -> Node:
    [article] = [a for a in page.all("article") if a.attrs["id"] == f"exercise-{exercise_id}"]
    return article


def test_a_catalogue_image_is_embedded_as_a_data_uri(run: Any, tmp_path: Path) -> None:
    catalogue = write_catalogue(
        tmp_path,
        {"prone-lying": {"image": "pic.png", "name": "Lying <i>face</i> down & relaxed"}},
    )
    (catalogue.parent / "pic.png").write_bytes(tiny_png())
    result = quick_handout(run, catalogue)
    assert result.err == ""
    page = parse(result.out)
    article = article_of(page, "prone-lying")
    assert article.one("h2").text == "1. Lying <i>face</i> down & relaxed"  # text, not markup
    picture = article.one("div", "picture")
    [img] = picture.all("img")
    assert picture.all("svg") == []
    prefix = "data:image/png;base64,"
    assert img.attrs["src"].startswith(prefix)
    assert base64.b64decode(img.attrs["src"].removeprefix(prefix)) == tiny_png()
    # The other exercises keep their shipped drawings.
    assert article_of(page, "walking").one("div", "picture").all("svg")


def warnings_in(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("ptcli: warning:")]


@pytest.mark.parametrize(
    ("changes", "exercise_id"),
    [
        ({"lying-sciatic-slider": {"image": "missing.png"}}, "lying-sciatic-slider"),
        ({"mcgill-curl-up": {"id": "my-curl-up", "pose": None}}, "my-curl-up"),
    ],
    ids=["image file missing", "no pose and no image"],
)
def test_a_missing_picture_prints_a_blank_frame_and_one_warning(
    run: Any, tmp_path: Path, changes: dict[str, dict[str, Any]], exercise_id: str
) -> None:
    catalogue = write_catalogue(tmp_path, changes)
    result = quick_handout(run, catalogue)  # exit code 0: a warning, not an error
    [warning] = warnings_in(result.err)
    assert f"'{exercise_id}'" in warning
    assert "printed a blank frame instead" in warning
    assert result.err == warning + "\n"
    page = parse(result.out)
    picture = article_of(page, exercise_id).one("div", "picture")
    assert picture.all("svg") == [] and picture.all("img") == []
    assert picture.one("div", "placeholder").children == []
    assert len(page.all("div", "placeholder")) == 1


def test_a_missing_picture_warns_on_the_pdf_too(run: Any, tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path, {"walking": {"image": "walk.gif"}})
    output = tmp_path / "walk.pdf"
    result = ok(
        run(
            "--catalogue",
            str(catalogue),
            "routine",
            "--pain",
            "5",
            "--format",
            "pdf",
            "--output",
            str(output),
        )
    )
    [warning] = warnings_in(result.err)
    assert "'walking'" in warning and "use one of .svg, .png, .jpg, .jpeg" in warning
    assert output.read_bytes().startswith(b"%PDF")


# PDF


def pdf_pages(path: Path | bytes) -> list[str]:
    """Each page's text with whitespace collapsed (text extraction breaks lines anywhere)."""
    import io

    source = io.BytesIO(path) if isinstance(path, bytes) else path
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(source).pages]


def page_size(path: Path) -> tuple[int, int]:
    box = pypdf.PdfReader(path).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_a_pdf_of_seven_exercises_fits_three_a4_pages_and_a_grid_page(
    run: Any, tmp_path: Path
) -> None:
    """Seven exercises (six and, since issue 19, a self-massage) on at most three pages,
    then one page for the two weeks' record."""
    ok(run("init", "--name", "Ana Pereira"))  # the questions not answered: the gentle programme
    ok(run("pain", "log", "5", "--where", "thigh"))
    markdown = ok(run("routine", "--format", "markdown")).out
    names = re.findall(r"^## \d+\. (.+)$", markdown, re.M)
    assert len(names) == 7, "the engine changed: choose another 7-exercise case"
    doses = routine_doses(run)
    output = tmp_path / "f.pdf"
    result = ok(
        run(
            "routine",
            "--format",
            "pdf",
            "--output",
            str(output),
            "--therapist",
            "X",
            "--clinic",
            "Y",
        )
    )
    assert result.out == "" and result.err == f"Wrote {output}\n"
    assert output.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    pages = pdf_pages(output)
    [record] = [n for n, page in enumerate(pages) if "Your record, weeks 1 and 2" in page]
    assert record <= 3 and len(pages) == record + 1
    assert "Week 1" in pages[record] and "Week 2" in pages[record]  # both weeks on the page
    assert page_size(output) == A4
    text = " ".join(pages[:record])
    assert "Patient: Ana Pereira" in text and "Therapist: X" in text and "Clinic: Y" in text
    for number, (name, dose) in enumerate(zip(names, doses, strict=True), 1):
        assert f"{number}. {name}" in text
        assert dose in text
    for sign in EMERGENCY_SIGNS:
        assert sign in text
    assert "Morning pain, last 4 weeks" in pages[record]


def test_letter_paper(run: Any, tmp_path: Path) -> None:
    output = tmp_path / "letter.pdf"
    ok(
        run(
            "routine",
            "--pain",
            "3",
            "--format",
            "pdf",
            "--paper",
            "letter",
            "--output",
            str(output),
        )
    )
    assert page_size(output) == LETTER
    pages = pdf_pages(output)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_a_pdf_piped_to_another_program_is_written_as_bytes() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "ptcli", "routine", "--pain", "3", "--format", "pdf"],
        capture_output=True,
        env=os.environ,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.startswith(b"%PDF-")
    assert process.stdout.rstrip().endswith(b"%%EOF")
    assert process.stderr == b""
    assert "Walking" in " ".join(pdf_pages(process.stdout))


def test_a_pdf_is_not_written_to_a_terminal() -> None:
    leader, follower = os.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "ptcli", "routine", "--pain", "3", "--format", "pdf"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=os.environ,
            timeout=120,
            check=False,
        )
    finally:
        os.close(follower)
    shown = b""
    try:
        while select.select([leader], [], [], 0)[0]:
            chunk = os.read(leader, 65536)
            if not chunk:
                break
            shown += chunk
    except OSError:  # EIO: the terminal is closed and empty
        pass
    finally:
        os.close(leader)
    assert process.returncode == 2
    assert process.stderr == b"ptcli: a PDF is not for the terminal: add --output FILE\n"
    assert b"%PDF" not in shown


def test_every_printed_text_is_at_least_11pt(run: Any, tmp_path: Path) -> None:
    output = tmp_path / "sizes.pdf"
    ok(run("routine", "--pain", "3", "--format", "pdf", "--output", str(output)))
    small: list[tuple[float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        # The size on paper: the font size scaled by the text matrix times the graphics state.
        scale = math.hypot(tm[0] * cm[2] + tm[1] * cm[3], tm[2] * cm[2] + tm[3] * cm[3])
        if text.strip() and size * scale < 10.95:
            small.append((round(size * scale, 1), text.strip()))

    for page in pypdf.PdfReader(output).pages:
        page.extract_text(visitor_text=visit)
    assert small == []


def test_the_handouts_note_and_names_have_the_limits_of_notes_and_names(run: Any) -> None:
    from ptcli.records import NAME_MAX, NOTE_MAX

    for option, most in (("--note", NOTE_MAX), ("--therapist", NAME_MAX)):
        result = run("routine", "--pain", "4", "--format", "html", option, "x" * (most + 1))
        assert result.code == 2 and result.out == ""
        assert result.err.startswith(f"ptcli: {option} is longer than {most:,} characters")
    assert run("routine", "--pain", "4", "--format", "html", "--note", "x" * NOTE_MAX).code == 0


def test_a_stand_in_for_a_paused_exercise_is_on_the_sheet(run: Any) -> None:
    """The stop rule pauses the curl-up, so today's routine takes the next isometric chain:
    that exercise is on the sheet too (today's routine is always on it), marked as a
    stand-in, and not in any day's list."""
    ok(run("pain", "log", "2", "--where", "buttock", "--at", "2026-03-02T07:00"))
    spread = ["--where-after", "calf", "--at", "2026-03-02T08:00"]
    ok(run("session", "log", "mcgill-curl-up", *spread))
    today = ok(run("routine", "--date", "2026-03-02", "--format", "json")).json()
    page = parse(ok(run("routine", "--date", "2026-03-02", "--format", "html")).out)
    articles = {a.attrs["id"].removeprefix("exercise-"): a for a in page.all("article")}
    assert {e["id"] for e in today["exercises"]} <= set(articles)
    assert (
        articles["mcgill-curl-up"]
        .one("p", "paused")
        .text.startswith(
            "Not today (the pain spread further down your leg after it on Monday 2 March 2026)"
        )
    )
    [stand_in] = [
        a
        for a in articles.values()
        if a.all("p", "marks") and "Only while" in a.one("p", "marks").text
    ]
    number = stand_in.one("h2").text.split(".")[0]
    for row in page.one("section", "plan").one("table").all("td"):
        listed = re.search(r"exercises ((?:\d+(?:, | and ))*\d+)", row.text)
        assert listed is not None and len(listed.group(1)) > 1
        assert number not in re.split(r", | and ", listed.group(1))
