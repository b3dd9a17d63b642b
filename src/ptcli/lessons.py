"""Short lessons (DOMAIN 10): ``ptcli learn``, and the line ``today`` shows.

The lessons are package data (data/lessons.md, read without a YAML parser: ``today``
reads it every day). A lesson read is a record (table ``lessons``), so reads travel
with exports and merges like everything else.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ptcli import records
from ptcli.domain.models import LessonRead
from ptcli.errors import BadInput
from ptcli.services import Workspace
from ptcli.views import Lesson, Lessons

SIGNS = "{emergency-signs}"  # in a lesson: the emergency signs 'ptcli screen' asks about


@cache
def catalogue() -> tuple[Lesson, ...]:
    """The lessons in order, each with the full references of its sources."""
    # A plain file, as the catalogue (importlib.resources would cost ``today`` an import).
    text = (Path(__file__).parent / "data" / "lessons.md").read_text(encoding="utf-8")
    body, _, sources_part = text.partition("\n# Sources\n")
    references = dict(
        line.split(": ", 1) for line in sources_part.strip().splitlines() if ": " in line
    )
    lessons = []
    for number, section in enumerate(body.split("\n## ")[1:], 1):
        title, _, rest = section.partition("\n")
        match = re.match(r"id: (\S+)\n", rest)
        assert match, f"lesson {title!r} has no id line"
        content, _, cited = rest[match.end() :].rpartition("\nSources: ")
        text = content.strip().replace(SIGNS, _signs())
        # Keys that share a reference (HPHYS and MOSH: the same guidance) give it once.
        sources = tuple(dict.fromkeys(references[key] for key in cited.strip().split(", ")))
        lessons.append(Lesson(number, match.group(1), title.strip(), text, sources))
    return tuple(lessons)


def _signs() -> str:
    from ptcli.render.words import emergency_signs

    return "\n".join(f"- {sign}" for sign in emergency_signs())


def listing(ws: Workspace) -> Lessons:
    return Lessons(list(catalogue()), _read(ws))


def _read(ws: Workspace) -> frozenset[str]:
    return frozenset(read.lesson for read in ws.select(LessonRead))


def find(topic: str) -> Lesson:
    """The lesson ``topic`` names: its number, its id, or a word of its title."""
    lessons = catalogue()
    given = topic.strip().lower()
    if given.isdigit() and given.isascii():
        number = int(given)
        if 1 <= number <= len(lessons):
            return lessons[number - 1]
        raise BadInput(f"there is no lesson {number}: they are numbered 1 to {len(lessons)}")
    found = [x for x in lessons if x.id == given]
    if not found and given:
        words = given.split()
        found = [
            x
            for x in lessons
            if all(re.search(rf"\b{re.escape(w)}", f"{x.title} {x.id}".lower()) for w in words)
        ]
    if len(found) == 1:
        return found[0]
    if found:
        names = "; ".join(f"{x.number} {x.title}" for x in found)
        raise BadInput(f"{topic!r} names several lessons ({names}): give its number")
    raise BadInput(f"no lesson about {topic!r}: 'ptcli learn' lists them")


def read(ws: Workspace, topic: str) -> Lesson:
    """The lesson ``topic`` names, marked read (once: a lesson read again is not re-recorded)."""
    lesson = find(topic)
    with ws.store.transaction():
        if lesson.id not in _read(ws):
            ws.store.add(LessonRead(records.new_id(), ws.now, lesson.id))
    return lesson


def next_unread(ws: Workspace) -> Lesson | None:
    """The first lesson not read yet (the line ``today`` shows); None when all are read."""
    done = _read(ws)
    return next((x for x in catalogue() if x.id not in done), None)
