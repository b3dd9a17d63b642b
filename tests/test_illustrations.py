"""The drawings printed beside each exercise: one figure drawn from the catalogue's
``pose:`` block (src/ptcli/render/figure.py), checked for every shipped entry.

``contact_sheet`` puts every drawing on one page, to look at as a person would::

    PYTHONPATH=src .venv/bin/python -c "from tests.test_illustrations import \\
        contact_sheet; contact_sheet('/tmp/sheet.html')"
    chromium --headless --no-sandbox --screenshot=/tmp/sheet.png \\
        --window-size=1600,2200 /tmp/sheet.html
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptcli import catalogue_file, pictures
from ptcli.domain.engine import KEEP_GOING_CATEGORIES
from ptcli.domain.models import Exercise
from ptcli.domain.pose import Pose, read
from ptcli.render import figure
from tests.test_catalogue_hostile import warnings_in
from tests.test_printable import article_of, parse, quick_handout, write_catalogue

SVG_NS = "{http://www.w3.org/2000/svg}"
# Black and greys only: the start and the end stand side by side, so no colour and no
# light dotted line carries meaning, and a greyscale printer loses nothing.
PALETTE = {figure.INK, figure.FAR, figure.PROP, figure.SHADE, "#fff", "none"}
CATALOGUE = catalogue_file.load(catalogue_file.packaged_path())
EXERCISES = list(CATALOGUE)
IDS = [exercise.id for exercise in EXERCISES]


def drawing_of(exercise: Exercise) -> str:
    assert exercise.pose is not None, f"{exercise.id} has no pose"
    keep_going = exercise.category in KEEP_GOING_CATEGORIES
    return figure.svg(exercise.pose, figure.hold_label(exercise.dose.hold_s, keep_going))


def contact_sheet(path: str | Path) -> Path:
    """Every shipped exercise's drawing on one HTML page (printed width: 72 mm each)."""
    cells = "".join(
        f"<figure><figcaption>{html.escape(e.id)}</figcaption>{drawing_of(e)}</figure>"
        for e in EXERCISES
    )
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        "body{margin:4mm;font:9pt sans-serif;display:grid;"
        "grid-template-columns:repeat(4,72mm);gap:3mm 5mm;align-items:end}"
        "figure{margin:0}figure svg{width:72mm;height:auto;display:block}"
        f"</style></head><body>{cells}</body></html>"
    )
    out = Path(path)
    out.write_text(page, encoding="utf-8")
    return out


def groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.attrib["class"]: g for g in root.iter(f"{SVG_NS}g") if "class" in g.attrib}


def coordinates(element: ET.Element) -> list[tuple[float, float]]:
    """The absolute points of every path and circle inside ``element``."""
    found: list[tuple[float, float]] = []
    for part in element.iter():
        if part.tag == f"{SVG_NS}circle":
            found.append((float(part.attrib["cx"]), float(part.attrib["cy"])))
        elif part.tag == f"{SVG_NS}path" and "q5 -5" not in part.attrib["d"]:  # not the waves
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", part.attrib["d"])]
            commands = re.findall(r"[A-Za-z]", part.attrib["d"])
            if set(commands) <= {"M", "L", "Q", "Z"}:
                found += list(zip(numbers[::2], numbers[1::2], strict=True))
    return found


def test_every_shipped_exercise_has_a_pose_and_no_hand_made_drawing_is_left() -> None:
    assert [e.id for e in EXERCISES if e.pose is None] == []
    assert not (catalogue_file.packaged_path().parent / "illustrations").exists()


def test_the_contact_sheet_has_every_drawing_at_its_size_with_both_positions(
    tmp_path: Path,
) -> None:
    sheet = contact_sheet(tmp_path / "contact-sheet.html").read_text(encoding="utf-8")
    drawings = re.findall(r"<svg\b.*?</svg>", sheet, re.S)
    assert len(drawings) == len(EXERCISES) == 41
    for exercise, text in zip(EXERCISES, drawings, strict=True):
        pose = exercise.pose
        assert pose is not None
        root = ET.fromstring(text)
        _, _, width, height = (float(n) for n in root.attrib["viewBox"].split())
        assert width == figure.WIDTH and 80 <= height <= figure.MAX_HEIGHT, exercise.id
        assert "width" not in root.attrib and "height" not in root.attrib  # the page sizes it
        drawn = groups(root)
        expected = {"start", "end"} if pose.end else {"start"}
        assert expected <= set(drawn), exercise.id
        assert "end" in drawn or pose.end is None, exercise.id
        for name, group in drawn.items():
            if name not in ("start", "end"):
                continue
            points = coordinates(group)
            assert len(points) > 10, (exercise.id, name)
            # Inside the drawing, and each position in its own panel (side by side).
            left = 0.0 if name == "start" or pose.end is None else figure.WIDTH - figure.PANEL
            right = left + (figure.WIDTH if pose.end is None else figure.PANEL)
            for x, y in points:
                assert left - 0.5 <= x <= right + 0.5, (exercise.id, name, x)
                assert 0 <= y <= height, (exercise.id, name, y)
            assert len(group.findall(f"{SVG_NS}path[@class='nose']")) == (
                0 if pose.view == "front" else 1
            )
        texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
        label = figure.hold_label(exercise.dose.hold_s, exercise.category in KEEP_GOING_CATEGORIES)
        if label:
            assert label in texts, exercise.id
        if pose.end:
            assert texts[0] == "Start", exercise.id
            assert root.findall(f".//{SVG_NS}path[@class='move']"), f"{exercise.id}: no arrow"


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_a_drawing_is_black_and_grey_and_survives_the_picture_sanitiser(
    exercise: Exercise,
) -> None:
    text = drawing_of(exercise)
    root = ET.fromstring(text)
    used = {
        value.lower()
        for element in root.iter()
        for key, value in element.attrib.items()
        if key in ("fill", "stroke")
    }
    assert used <= PALETTE, sorted(used - PALETTE)
    assert "id=" not in text and "url(" not in text and "href" not in text  # nothing shared
    # Nothing the sanitiser for a catalogue's own SVG would drop: no script, style,
    # event, reference or <use>.
    cleaned = ET.fromstring(pictures.sanitise_svg(text.encode()))
    assert [(e.tag, e.attrib) for e in cleaned.iter()] == [(e.tag, e.attrib) for e in root.iter()]


def nose_points_down(pose: Pose, which: str = "start") -> bool:
    """Whether the nose of position ``which`` is below the middle of the head."""
    root = ET.fromstring(figure.svg(pose))
    group = groups(root)[which]
    head = next(group.iter(f"{SVG_NS}circle"))
    nose = group.find(f"{SVG_NS}path[@class='nose']")
    assert nose is not None
    centre = (float(head.attrib["cx"]), float(head.attrib["cy"]))
    tip = max(coordinates(nose), key=lambda point: math.dist(point, centre))
    return tip[1] > centre[1]  # SVG's y runs down


def test_face_down_and_face_up_differ() -> None:
    def pose(exercise_id: str) -> Pose:
        exercise = CATALOGUE.get(exercise_id)
        assert exercise is not None and exercise.pose is not None
        return exercise.pose

    for face_down in ("prone-lying", "prone-on-elbows", "partial-press-up", "bird-dog"):
        assert nose_points_down(pose(face_down)), face_down
    for face_up in ("abdominal-brace", "bridge-hold", "mcgill-curl-up", "supported-float"):
        assert not nose_points_down(pose(face_up)), face_up


def test_text_in_a_drawing_is_escaped() -> None:
    pose, problems = read({"start": {"trunk": 90}})
    assert problems == [] and pose is not None
    text = figure.svg(pose, "hold <b>10</b> & </svg><script>x</script>")
    assert "<script>" not in text and "<b>" not in text
    root = ET.fromstring(text)
    assert "hold <b>10</b> & </svg><script>x</script>" in [
        "".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")
    ]


@pytest.mark.parametrize(
    ("seconds", "keep_going", "label"),
    [
        (None, False, None),
        (10, False, "hold 10 s"),
        (120, False, "hold 2 min"),
        (90, False, "hold 1½ min"),
        (150, False, "hold 2½ min"),
        (135, False, "hold 135 s"),
        (600, True, "for 10 min"),
    ],
)
def test_the_hold_label(seconds: int | None, keep_going: bool, label: str | None) -> None:
    assert figure.hold_label(seconds, keep_going) == label


# Through the CLI: the handout draws the pose at the dose of the day, a pose a catalogue
# writes is checked like any other field, and an entry without one still prints.


def test_the_handout_draws_each_exercise_from_its_pose_at_the_days_hold(run: Any) -> None:
    result = run("routine", "--pain", "2", "--where", "thigh", "--format", "html")
    assert result.code == 0 and result.err == ""
    page = parse(result.out)
    routine = run("routine", "--pain", "2", "--where", "thigh", "--format", "json").json()
    for item in routine["exercises"]:
        [drawing] = article_of(page, item["id"]).one("div", "picture").all("svg")
        assert drawing.attrs["viewbox"].startswith("0 0 480 ")
        hold = item.get("hold_s")
        shown = " ".join(text.text for text in drawing.all("text"))
        if hold and hold < 60:
            assert f"hold {hold} s" in shown, item["id"]
    assert "width: 72mm" in result.out  # a third of A4 (210 mm) and of letter (216 mm)


def test_a_catalogues_own_pose_is_drawn(run: Any, tmp_path: Path) -> None:
    mine = {"start": {"trunk": 90, "leg": [270, 270]}, "props": ["floor"]}
    catalogue = write_catalogue(tmp_path, {"walking": {"pose": mine}})
    result = quick_handout(run, catalogue)
    assert result.err == ""
    [drawing] = article_of(parse(result.out), "walking").one("div", "picture").all("svg")
    assert len([g for g in drawing.all("g") if g.attrs.get("class") == "start"]) == 1
    assert [g for g in drawing.all("g") if g.attrs.get("class") == "end"] == []


@pytest.mark.parametrize(
    ("pose", "field", "message"),
    [
        ("not a mapping", "pose", "must be a mapping"),
        ({"end": {"trunk": 90}}, "pose.start", "missing"),
        ({"start": {"trunk": 400}}, "pose.start.trunk", "degrees from -360 to 360"),
        ({"start": {"trunk": True}}, "pose.start.trunk", "degrees from -360 to 360"),
        ({"start": {"trunk": "90"}}, "pose.start.trunk", "degrees from -360 to 360"),
        ({"start": {}}, "pose.start.trunk", "degrees from -360 to 360"),
        ({"start": {"trunk": 0, "leg": [1]}}, "pose.start.leg", "a list of 2 or 3 directions"),
        ({"start": {"trunk": 0, "arm": [1, 2, 3]}}, "pose.start.arm", "a list of 2 directions"),
        ({"start": {"trunk": 0, "arm": [1, 1e999]}}, "pose.start.arm", "a list of 2 directions"),
        ({"start": {"trunk": 0, "tail": 3}}, "pose.start.tail", "unknown field"),
        ({"start": {"trunk": 0, "raise": 500}}, "pose.start.raise", "from 0 to 100"),
        ({"start": {"trunk": 0}, "end": [1]}, "pose.end", "must be a mapping"),
        ({"start": {"trunk": 0}, "props": ["sofa"]}, "pose.props", "unknown 'sofa' (one of: floor"),
        ({"start": {"trunk": 0}, "props": "mat"}, "pose.props", "must be a list of: floor"),
        ({"start": {"trunk": 0}, "props": [["mat"]]}, "pose.props", "must be a list of: floor"),
        ({"start": {"trunk": 0}, "props": ["mat", "mat"]}, "pose.props", "twice"),
        ({"start": {"trunk": 0}, "water": "chest"}, "pose.water", "'pool' is not in props"),
        ({"start": {"trunk": 0}, "props": ["pool"], "water": "neck"}, "pose.water", "one of"),
        ({"start": {"trunk": 0}, "view": "top"}, "pose.view", "one of: side, front"),
        ({"start": {"trunk": 0}, "anchor": "tail"}, "pose.anchor", "must be one of"),
        (
            {"start": {"trunk": 0}, "arrows": ["hand", "foot", "knee", "head"]},
            "pose.arrows",
            "at most 3",
        ),
        ({"start": {"trunk": 0}, "colour": "red"}, "pose.colour", "unknown field"),
    ],
)
def test_catalogue_check_reports_a_bad_pose_by_entry_and_field(
    run: Any, tmp_path: Path, pose: Any, field: str, message: str
) -> None:
    catalogue = write_catalogue(tmp_path, {"walking": {"pose": pose}})
    result = run("catalogue", "check", str(catalogue))
    assert result.code == 1
    lines = [
        line for line in result.out.splitlines() + result.err.splitlines() if "walking" in line
    ]
    assert any(f"walking.{field}: " in line and message in line for line in lines), (
        result.out,
        result.err,
    )
    line_number = re.search(r"exercises\.yaml:(\d+): walking\.pose", "\n".join(lines))
    assert line_number, lines
    text = catalogue.read_text(encoding="utf-8").splitlines()
    assert text[int(line_number.group(1)) - 1].lstrip().startswith("pose:")
    # A daily command refuses the catalogue with one line, as for any other field.
    refused = run("--catalogue", str(catalogue), "today")
    assert refused.code == 1 and refused.err.count("\n") == 1
    assert f"walking.{field}" in refused.err


def test_an_entry_without_a_pose_still_prints_with_its_own_picture_or_a_blank_frame(
    run: Any, tmp_path: Path
) -> None:
    from tests.test_printable import tiny_png

    catalogue = write_catalogue(
        tmp_path,
        {"walking": {"pose": None}, "prone-lying": {"pose": None, "image": "mine.png"}},
    )
    (catalogue.parent / "mine.png").write_bytes(tiny_png())
    assert run("catalogue", "check", str(catalogue)).code == 0
    result = quick_handout(run, catalogue)
    page = parse(result.out)
    [warning] = warnings_in(result.err)
    assert "'walking'" in warning and "pose:" in warning
    walking = article_of(page, "walking").one("div", "picture")
    assert walking.all("svg") == [] and walking.one("div", "placeholder")
    [img] = article_of(page, "prone-lying").one("div", "picture").all("img")
    assert img.attrs["src"].startswith("data:image/png;base64,")


def test_an_image_wins_over_a_pose(run: Any, tmp_path: Path) -> None:
    from tests.test_printable import tiny_png

    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": "mine.png"}})
    (catalogue.parent / "mine.png").write_bytes(tiny_png())
    page = parse(quick_handout(run, catalogue).out)
    picture = article_of(page, "prone-lying").one("div", "picture")
    assert picture.all("svg") == [] and len(picture.all("img")) == 1


# Any pose a catalogue may write: read it, draw it, and every shape stays in its panel.

angles = st.integers(min_value=-360, max_value=360)
limbs = st.lists(angles, min_size=2, max_size=2)
legs = st.lists(angles, min_size=2, max_size=3)
positions = st.fixed_dictionaries(
    {"trunk": angles},
    optional={
        "head": angles,
        "arm": limbs,
        "other_arm": limbs,
        "leg": legs,
        "other_leg": legs,
        "raise": st.integers(min_value=0, max_value=100),
    },
)
poses = st.fixed_dictionaries(
    {"start": positions},
    optional={
        "end": positions,
        "view": st.sampled_from(["side", "front"]),
        "props": st.lists(
            st.sampled_from(
                [
                    "floor",
                    "mat",
                    "chair",
                    "wall",
                    "step",
                    "ball",
                    "rail",
                    "stick",
                    "weight",
                    "float",
                    "helper",
                ]
            ),
            unique=True,
        ),
        "anchor": st.sampled_from(["hip", "foot", "hand", "head", "knee"]),
        "arrows": st.lists(
            st.sampled_from(["hand", "foot", "hip", "head", "other_knee"]), unique=True, max_size=3
        ),
    },
)


@settings(max_examples=300, deadline=None)
@given(raw=poses, pool=st.booleans())
def test_any_valid_pose_draws_inside_its_panels(raw: dict[str, Any], pool: bool) -> None:
    if pool:
        raw = {**raw, "props": [*raw.get("props", []), "pool"], "water": "chest"}
    pose, problems = read(raw)
    assert problems == [] and pose is not None
    root = ET.fromstring(figure.svg(pose, "hold 10 s"))
    _, _, width, height = (float(n) for n in root.attrib["viewBox"].split())
    assert width == figure.WIDTH and 40 < height <= figure.MAX_HEIGHT
    for name, group in groups(root).items():
        if name not in ("start", "end"):
            continue
        left = 0.0 if name == "start" or pose.end is None else figure.WIDTH - figure.PANEL
        right = left + (figure.WIDTH if pose.end is None else figure.PANEL)
        for x, y in coordinates(group):
            assert math.isfinite(x) and math.isfinite(y)
            assert left - 0.5 <= x <= right + 0.5, (name, x)
            assert -0.5 <= y <= height + 0.5, (name, y)
