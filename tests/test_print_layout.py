"""The printable routine laid out by a real browser (headless Chromium) and by WeasyPrint.

Nothing is wider than the printable width of A4, no text is smaller than 11pt, and no
exercise is split across a page break. The handouts are made once for the module, and
Chromium runs a handful of times (about a second each). The screenshot of the 10-exercise
handout is kept under pytest's temporary folder (printed with ``-s``) for a person to look at.

The module is skipped when ``chromium`` is not installed (CI installs it: ``.ci/run``).
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, NamedTuple

import pypdf
import pytest

from ptcli.domain.safety import ITEMS

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)"
)

TIMEOUT = 120  # seconds, for each Chromium run
PRINTABLE_WIDTH = 711  # CSS px: A4 210mm less the two 11mm margins = 188mm
MIN_FONT_PX = 14.6  # 11pt is 14.67 CSS px
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",  # the viewport is the page, not the page less a scroll bar
]

# Run at the end of the page: what sticks out of the viewport, the text smaller than 11pt,
# and text that runs out of its own box, as JSON in <pre id="result">.
PROBE = """
<script>
(function () {
  const width = window.innerWidth;
  const wide = [], small = [], spill = [];
  const describe = (el, text) => ({
    tag: el.tagName.toLowerCase(),
    id: el.id || null,
    class: el.getAttribute("class"),
    text: (text || "").trim().slice(0, 50),
  });
  for (const el of document.body.querySelectorAll("*")) {
    if (el.id === "result" || el.tagName === "SCRIPT") continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) wide.push({...describe(el), right: box.right});
    const nodes = Array.from(el.childNodes).filter(
      (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!nodes.length) continue;
    const text = nodes.map((n) => n.textContent).join(" ");
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) size *= el.getScreenCTM().a;  // drawn scaled to its box
    if (size < MIN_FONT_PX) small.push({...describe(el, text), px: size});
    if (el instanceof SVGElement) continue;
    for (const n of nodes) {
      const range = document.createRange();
      range.selectNodeContents(n);
      const right = range.getBoundingClientRect().right;
      if (right > box.right + 0.5) spill.push({...describe(el, n.textContent), right, box: box.right});
    }
  }
  const result = document.createElement("pre");
  result.id = "result";
  result.textContent = JSON.stringify({
    innerWidth: width,
    scrollWidth: document.documentElement.scrollWidth,
    wide, small, spill,
  });
  document.body.appendChild(result);
})();
</script>
""".replace("MIN_FONT_PX", str(MIN_FONT_PX))


class Handout(NamedTuple):
    html: Path
    pdf: Path  # printed by ptcli (WeasyPrint)
    exercises: list[tuple[str, str]]  # the title ("N. Name Dose.") and the stop rule of each
    days: list[str]  # the tracking grid's rows


class Probe(NamedTuple):
    inner_width: int
    scroll_width: int
    wide: list[dict[str, Any]]
    small: list[dict[str, Any]]
    spill: list[dict[str, Any]]


def ptcli(home: Path, *args: str) -> None:
    """ptcli in this process, on a store of its own (module fixtures run outside ``isolated``)."""
    from ptcli.cli import main

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        for name in [name for name in os.environ if name.startswith("PTCLI_")]:
            patch.delenv(name)
        patch.setenv("PTCLI_DB", str(home / "ptcli.json"))
        patch.setenv("XDG_CACHE_HOME", str(home / "cache"))
        patch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
        code = main(list(args))
    assert code == 0, err.getvalue()
    assert "warning" not in err.getvalue(), err.getvalue()


def chromium(profile: Path, *args: str) -> str:
    assert CHROMIUM is not None
    process = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    return process.stdout


def make_handout(home: Path, setup: list[list[str]], routine: list[str]) -> Handout:
    home.mkdir()
    for command in setup:
        ptcli(home, *command)
    page = home / "handout.html"
    ptcli(home, "routine", *routine, "--format", "html", "--output", str(page))
    pdf = home / "handout.pdf"
    ptcli(home, "routine", *routine, "--format", "pdf", "--output", str(pdf))
    text = page.read_text(encoding="utf-8")
    exercises = []
    for article in re.findall(r'<article class="exercise".*?</article>', text, re.S):
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", article, re.S)
        dose = re.search(r'<p class="dose">(.*?)</p>', article, re.S)
        stop = re.search(r'<span class="stop">(.*?)</span>', article, re.S)
        assert heading and dose and stop
        # The heading with the dose beside it: the grid's key repeats "N. Name" alone.
        title = html.unescape(f"{heading.group(1)} {dose.group(1)}")
        exercises.append((title, html.unescape(stop.group(1))))
    heads = re.findall(r"<thead>.*?</thead>", text, re.S)
    days = [
        html.unescape(d) for head in heads for d in re.findall(r'<th scope="col">(.*?)</th>', head)
    ]
    return Handout(page, pdf, exercises, days)


DAY = "2026-03-02"  # every handout is for this day, so the layout does not move with the date
LONG_PLAN = [
    "goblet-squat",
    "step-ups",
    "sit-to-stand",
    "wall-sit-hold",
    "hip-hinge-dowel",
    "slump-tensioner",
    "single-knee-to-chest",
]


def long_plan(path: Path) -> Path:
    """An export to import: a therapist's plan of 7 more exercises, pinned the day before
    (``plan set`` has no ``--at``, and its time would move the layout with the date)."""
    pinned = [
        {
            "id": f"0000000000000000{n:04d}",
            "at": "2026-03-01T12:00:00+00:00",
            "action": "set",
            "exercise": exercise,
            "sets": None,
            "reps": None,
            "hold_s": None,
            "per_day": None,
        }
        for n, exercise in enumerate(LONG_PLAN, 1)
    ]
    export = {
        "format": "ptcli-export",
        "version": 1,
        "exported_at": "2026-03-01T18:00:00+00:00",
        "profile": {"id": "00000000000000008888", "pool": True},
        "pain": [],
        "sessions": [],
        # The safety questions answered (no to all): until then only the gentle programme.
        "screens": [
            {
                "id": "00000000000000000001",
                "at": "2026-03-01T12:00:00+00:00",
                "yes": [],
                "no": list(ITEMS),
            }
        ],
        "clearances": [],
        "plan": pinned,
    }
    path.write_text(json.dumps(export), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Handout]:
    """Three programmes: 10 exercises (a good day), 8 (a harder day, with a pool) and 15
    (a long plan): each a good day's programme with the bad day's own exercises (each
    with a self-massage since issue 19)."""
    folder = tmp_path_factory.mktemp("handouts")
    made = {
        "ten": make_handout(folder / "ten", [], ["--pain", "2", "--where", "thigh", "--date", DAY]),
        "eight": make_handout(
            folder / "eight",
            [
                ["init", "--name", "Ana Pereira", "--pool"],
                ["pain", "log", "5", "--where", "thigh", "--at", f"{DAY}T08:00"],
            ],
            ["--date", DAY, "--therapist", "X", "--clinic", "Y"],
        ),
        "fifteen": make_handout(
            folder / "fifteen",
            [
                ["import", str(long_plan(folder / "long-plan.json"))],
                ["pain", "log", "2", "--where", "thigh", "--at", f"{DAY}T08:00"],
            ],
            ["--date", DAY],
        ),
    }
    assert [len(h.exercises) for h in made.values()] == [10, 8, 15], "the engine changed"
    return made


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chromium-profile")


# A page with one of each fault the probe looks for, to show that it sees them.
CONTROL = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><style>body { margin: 0; }</style></head><body>
<p style="font-size: 10pt">Small print</p>
<div id="wide" style="width: 900px">Wide</div>
<div style="width: 20px; white-space: nowrap">Spilling out</div>
<svg viewBox="0 0 400 100" style="width: 200px"><text y="50" font-size="16">Half size</text></svg>
</body></html>
"""


def probe(profile: Path, page: Path) -> Probe:
    """Measure ``page`` in Chromium with a viewport as wide as the printable A4 width."""
    text = page.read_text(encoding="utf-8")
    assert text.count("</body>") == 1
    probed = page.with_name(f"probed-{page.name}")
    probed.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(profile, f"--window-size={PRINTABLE_WIDTH},1000", "--dump-dom", probed.as_uri())
    match = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert match, f"the probe did not run: {dom[-500:]}"
    result = json.loads(html.unescape(match.group(1)))
    return Probe(
        result["innerWidth"],
        result["scrollWidth"],
        result["wide"],
        result["small"],
        result["spill"],
    )


@pytest.fixture(scope="module")
def probes(
    handouts: dict[str, Handout], profile: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Probe]:
    control = tmp_path_factory.mktemp("control") / "control.html"
    control.write_text(CONTROL, encoding="utf-8")
    found = {name: probe(profile, handout.html) for name, handout in handouts.items()}
    return found | {"control": probe(profile, control)}


@pytest.fixture(scope="module")
def chromium_pdfs(handouts: dict[str, Handout], profile: Path) -> dict[str, Path]:
    printed = {}
    for name in ("ten", "eight"):
        pdf = handouts[name].html.with_name("chromium.pdf")
        chromium(
            profile,
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            handouts[name].html.as_uri(),
        )
        printed[name] = pdf
    return printed


def pages_of(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages]


def split_exercises(pages: list[str], exercises: list[tuple[str, str]]) -> list[str]:
    """The exercises whose heading and stop rule (its last words) are not on one page."""
    found = []
    for index, (heading, stop) in enumerate(exercises):
        pattern = re.compile(rf"(?<!\d){re.escape(heading)}")
        where = [(n, m.start()) for n, page in enumerate(pages) for m in pattern.finditer(page)]
        assert len(where) == 1, f"{heading!r} printed {len(where)} times"
        [(number, start)] = where
        page = pages[number]
        end = len(page)
        if index + 1 < len(exercises):  # up to the next exercise's heading, if on this page
            following = re.search(rf"(?<!\d){re.escape(exercises[index + 1][0])}", page)
            end = following.start() if following else end
        if stop not in page[start:end]:
            found.append(heading)
    return found


def split_weeks(pages: list[str], days: list[str]) -> list[list[str]]:
    """The weeks of the tracking grid printed across a page break."""
    page_of = {}
    for day in days:
        where = [n for n, page in enumerate(pages) if re.search(rf"(?<!\w){day}(?!\w)", page)]
        assert len(where) == 1, f"{day!r} is printed on pages {where}"
        page_of[day] = where[0]
    weeks = [days[n : n + 7] for n in range(0, len(days), 7)]
    return [week for week in weeks if len({page_of[day] for day in week}) > 1]


# Width and text size, in the browser


@pytest.mark.parametrize("name", ["ten", "eight"])
def test_nothing_is_wider_than_the_printable_width(probes: dict[str, Probe], name: str) -> None:
    probe = probes[name]
    assert probe.inner_width == PRINTABLE_WIDTH
    assert probe.scroll_width <= probe.inner_width
    assert probe.wide == []


@pytest.mark.parametrize("name", ["ten", "eight", "fifteen"])
def test_every_text_is_at_least_11pt(probes: dict[str, Probe], name: str) -> None:
    assert probes[name].small == []


@pytest.mark.parametrize("name", ["ten", "eight"])
def test_no_text_runs_out_of_its_box(probes: dict[str, Probe], name: str) -> None:
    assert probes[name].spill == []


def test_the_probe_sees_each_fault(probes: dict[str, Probe]) -> None:
    control = probes["control"]
    assert control.inner_width == PRINTABLE_WIDTH
    assert control.scroll_width > PRINTABLE_WIDTH
    assert [(w["tag"], w["id"]) for w in control.wide] == [("div", "wide")]
    assert [(s["text"], round(s["px"], 1)) for s in control.small] == [
        ("Small print", 13.3),
        ("Half size", 8.0),
    ]
    assert [s["text"] for s in control.spill] == ["Spilling out"]
    # And on the handouts: the long plan's page fits, though its grid is at its narrowest.
    assert probes["fifteen"].wide == []


def test_the_grid_headings_fit_with_fifteen_exercises(probes: dict[str, Probe]) -> None:
    assert probes["fifteen"].spill == []


# Page breaks, in Chromium's PDF and in ptcli's (WeasyPrint)


@pytest.mark.parametrize("name", ["ten", "eight"])
def test_chromium_splits_no_exercise_across_pages(
    handouts: dict[str, Handout], chromium_pdfs: dict[str, Path], name: str
) -> None:
    pages = pages_of(chromium_pdfs[name])
    assert len(pages) > 1  # else the check below checks nothing
    assert split_exercises(pages, handouts[name].exercises) == []
    assert split_weeks(pages, handouts[name].days) == []


@pytest.mark.parametrize("name", ["ten", "eight", "fifteen"])
def test_the_pdf_splits_no_exercise_across_pages(handouts: dict[str, Handout], name: str) -> None:
    pages = pages_of(handouts[name].pdf)
    assert len(pages) > 1
    assert split_exercises(pages, handouts[name].exercises) == []


@pytest.mark.parametrize("name", ["ten", "eight", "fifteen"])
def test_the_pdf_splits_no_week_of_the_grid(handouts: dict[str, Handout], name: str) -> None:
    pages = pages_of(handouts[name].pdf)
    assert split_weeks(pages, handouts[name].days) == []


def test_the_page_break_checks_see_a_split() -> None:
    exercises = [("1. Walking", "Stop now."), ("2. Walking in water", "Stop here.")]
    whole = ["1. Walking text Stop now. 2. Walking in water text Stop here."]
    assert split_exercises(whole, exercises) == []
    broken = ["1. Walking text 2. Walking in water text", "Stop here. Stop now."]
    assert split_exercises(broken, exercises) == ["1. Walking", "2. Walking in water"]
    days = [f"Day {n}" for n in range(1, 15)]
    assert split_weeks([" ".join(days[:7]), " ".join(days[7:])], days) == []
    assert split_weeks([" ".join(days[:9]), " ".join(days[9:])], days) == [days[7:]]


# A picture for a person


def test_a_screenshot_is_made(handouts: dict[str, Handout], profile: Path) -> None:
    screenshot = handouts["ten"].html.with_name("screenshot.png")
    chromium(
        profile,
        f"--screenshot={screenshot}",
        "--window-size=800,4000",
        handouts["ten"].html.as_uri(),
    )
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    print(f"screenshot: {screenshot}")
