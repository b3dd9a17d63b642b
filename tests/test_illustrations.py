"""The drawings printed beside each exercise on the handout (src/ptcli/data/illustrations).

Every SVG is inlined into one HTML page (and the PDF WeasyPrint makes from it), so each
file must be self-contained, script-free and styled only through its own attributes,
and its ids must not collide with another drawing's on the same page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

DATA = ROOT / "src" / "ptcli" / "data"
DRAWINGS = DATA / "illustrations"
SVG_NS = "http://www.w3.org/2000/svg"

START = "#a7adb5"  # the start position (dotted)
END = "#1d2733"  # the end position, or the one position of a hold
ACCENT = "#1f5fa8"  # movement arrows, the hold clock and pool water
PROP = "#6b7480"  # floor, wall, chair, step, stick, floats, a helper
PALETTE = {START, END, ACCENT, PROP, "white", "#fff", "#ffffff", "none"}
COLOUR_ATTRIBUTES = {"fill", "stroke", "color", "stop-color", "flood-color", "lighting-color"}
FORBIDDEN_ELEMENTS = {"script", "style", "text", "image", "foreignObject", "use", "a", "iframe"}
MAX_BYTES = 4096


def catalogue_ids() -> list[str]:
    with (DATA / "exercises.yaml").open(encoding="utf-8") as handle:
        return [entry["id"] for entry in yaml.safe_load(handle)["exercises"]]


IDS = catalogue_ids()


def local(name: str) -> str:
    """``{namespace}name`` -> ``name``."""
    return name.rsplit("}", 1)[-1]


def path_of(exercise_id: str) -> Path:
    return DRAWINGS / f"{exercise_id}.svg"


def parse(exercise_id: str) -> ET.Element:
    return ET.parse(path_of(exercise_id)).getroot()


def ids_in(root: ET.Element) -> list[str]:
    return [element.attrib["id"] for element in root.iter() if "id" in element.attrib]


def test_every_catalogue_entry_has_a_drawing_and_every_drawing_an_entry() -> None:
    assert len(IDS) == len(set(IDS))
    drawn = {path.stem for path in DRAWINGS.glob("*.svg")}
    assert sorted(set(IDS) - drawn) == [], "exercises without a drawing"
    assert sorted(drawn - set(IDS)) == [], "drawings without a catalogue entry"


@pytest.mark.parametrize("exercise_id", IDS)
def test_drawing_is_small_and_starts_with_the_svg_element(exercise_id: str) -> None:
    path = path_of(exercise_id)
    assert path.is_file()
    assert path.stat().st_size < MAX_BYTES
    text = path.read_text(encoding="utf-8")
    # Inlined into HTML as it is: no XML declaration, doctype or entities before the root.
    assert text.startswith("<svg ")
    assert "<!DOCTYPE" not in text and "<!ENTITY" not in text and "<?" not in text


@pytest.mark.parametrize("exercise_id", IDS)
def test_root_element_is_sized_by_the_page_and_hidden_from_screen_readers(
    exercise_id: str,
) -> None:
    root = parse(exercise_id)
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert root.attrib.get("viewBox") == "0 0 320 180"
    assert root.attrib.get("role") == "img"
    assert root.attrib.get("aria-hidden") == "true"
    assert root.attrib.get("focusable") == "false"
    assert "width" not in root.attrib and "height" not in root.attrib


@pytest.mark.parametrize("exercise_id", IDS)
def test_drawing_has_no_text_scripts_styles_or_outside_references(exercise_id: str) -> None:
    root = parse(exercise_id)
    own_ids = set(ids_in(root))
    for element in root.iter():
        assert element.tag.startswith(f"{{{SVG_NS}}}"), f"foreign element {element.tag}"
        assert local(element.tag) not in FORBIDDEN_ELEMENTS, f"<{local(element.tag)}>"
        for name, value in element.attrib.items():
            attribute = local(name)
            assert attribute != "style", "colours and lines go in attributes, not style"
            assert not attribute.startswith("on"), f"event handler {attribute}"
            if attribute == "href":
                assert value.startswith("#") and value[1:] in own_ids, f"href {value!r}"
            for target in re.findall(r"url\(([^)]*)\)", value):
                assert target.startswith("#"), f"{attribute}={value!r} points outside the file"
                assert target[1:] in own_ids, f"{attribute}={value!r}: no such id here"


@pytest.mark.parametrize("exercise_id", IDS)
def test_ids_carry_the_exercise_id(exercise_id: str) -> None:
    ids = ids_in(parse(exercise_id))
    for value in ids:
        assert exercise_id in value, f"id {value!r} is not prefixed for {exercise_id}"
    assert len(ids) == len(set(ids))


def test_no_id_repeats_across_drawings() -> None:
    counts = Counter(value for exercise_id in IDS for value in ids_in(parse(exercise_id)))
    assert [value for value, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("exercise_id", IDS)
def test_colours_come_from_the_palette(exercise_id: str) -> None:
    used = set()
    for element in parse(exercise_id).iter():
        for name, value in element.attrib.items():
            if local(name) in COLOUR_ATTRIBUTES:
                used.add(value.strip().lower())
    assert used <= PALETTE, f"colours outside the palette: {sorted(used - PALETTE)}"
    # Two positions (dotted start, solid end), or one position with an arrow or a hold clock.
    assert END in used
    assert START in used or ACCENT in used
