"""Reading ``exercises.yaml``: YAML to plain data with line numbers, then validation.

PyYAML keeps the last of two equal keys without a word, so we build the plain data
from the node tree ourselves and report duplicates with their line. Parsing and
checking a catalogue costs more than a daily command may spend (importing PyYAML
alone is about 1.5 interpreter start-ups), so the plain data of a valid catalogue is
cached as JSON in the user cache folder, keyed by the file's path, size, modification
and change times (ns), device and inode, the ptcli version and ``CACHE_VERSION``, and
validated again on use (about 1 ms, so ``validate`` stays the one place that builds
exercises); a changed file is simply read again.

A catalogue may come from anyone (issue 12): the file must be a regular file of at
most ``CATALOGUE_LIMIT`` bytes, and the YAML may not use anchors, aliases, tags,
merge keys, non-text keys or deep nesting; the loader stays the safe one.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ptcli import __version__
from ptcli.domain.catalogue import Catalogue, Problem, validate
from ptcli.errors import CatalogueError
from ptcli.fileio import make_private_folder, write_atomically
from ptcli.pictures import read_limited

LineOf = Callable[[int, str | None], int | None]
CATALOGUE_LIMIT = 5_000_000  # † bytes: the shipped catalogue is about 60 kB
MAX_DEPTH = 20  # † levels of nesting: a catalogue needs 5

# Part of the cache key: bump it whenever the catalogue format or what is built from it
# changes (3: the ``ceilings:`` block and ``needs.minimal_symptoms``; 4: ``pose:``), so
# no cache written by an older ptcli is ever read.
CACHE_VERSION = 4


def packaged_path() -> Path:
    """The catalogue shipped inside the package (a plain file: ptcli is never run from a zip)."""
    return Path(__file__).parent / "data" / "exercises.yaml"


def check(path: Path) -> tuple[Catalogue, list[Problem]]:
    """Read and validate a catalogue file, listing every problem (never raises for content).

    Beyond what ``load`` refuses, the pictures entries name are checked too (printing
    only warns about them): inside the catalogue's folder, regular files under the
    size limit, and really the image type their name says.
    """
    data, catalogue, problems, line_of = _read(path)
    found = _picture_problems(path, data, line_of)
    if found:
        problems = sorted(problems + found, key=lambda problem: problem.line or 0)
    return catalogue, problems


def _picture_problems(path: Path, data: Any, line_of: LineOf) -> list[Problem]:
    from ptcli import pictures

    entries = data.get("exercises") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    found: list[Problem] = []
    for index, entry in enumerate(entries):
        image = entry.get("image") if isinstance(entry, dict) else None
        if not isinstance(image, str) or not image.strip():
            continue  # validate reports a wrong type
        try:
            pictures.read_picture(path.parent, image)
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            entry_id = entry.get("id") if isinstance(entry.get("id"), str) else None
            found.append(
                Problem(
                    str(path),
                    line_of(index, "image"),
                    entry_id or f"entry {index + 1}",
                    "image",
                    f"cannot use {image!r}: {reason}",
                )
            )
    return found


def load(path: Path, cache_dir: Path | None = None) -> Catalogue:
    """A valid catalogue, or CatalogueError naming the file and the first problem."""
    key = _cache_key(path)
    cached = _read_cache(cache_dir, key) if cache_dir and key else None
    if cached is not None:
        return cached
    data, catalogue, problems, _ = _read(path)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CatalogueError(
            f"the exercise catalogue is invalid: {problems[0]}{more}; "
            f"run 'ptcli catalogue check {path}' for the full report"
        )
    if cache_dir and key:
        _write_cache(cache_dir, key, data)
    return catalogue


def _read(path: Path) -> tuple[Any, Catalogue, list[Problem], LineOf]:
    """The plain data read from the file, the catalogue built from it, every problem,
    and the line of an entry's field."""
    try:
        text = read_limited(path, CATALOGUE_LIMIT, "file").decode("utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        if isinstance(error, UnicodeDecodeError):
            reason = f"not UTF-8 text (byte {error.start + 1})"
        problem = Problem(str(path), None, None, None, f"cannot read the file: {reason}")
        return None, Catalogue([]), [problem], _no_line
    return _check_text(text, str(path))


def _no_line(index: int, field: str | None) -> int | None:
    return None


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _check_text(text: str, file: str) -> tuple[Any, Catalogue, list[Problem], LineOf]:
    import yaml  # deferred: costly to import, and only needed on a cache miss

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    refused = _refused_constructs(text, loader_class)
    if refused is not None:
        line, reason = refused
        return None, Catalogue([]), [Problem(file, line, None, None, reason)], _no_line
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = _one_line(getattr(error, "problem", None) or error)
        if isinstance(error, yaml.reader.ReaderError):  # a control character: no mark
            line = text.count("\n", 0, error.position) + 1
            reason = f"character #x{error.character:04x}: {error.reason}"
        problem = Problem(file, line, None, None, f"not valid YAML: {reason}")
        return None, Catalogue([]), [problem], _no_line
    finally:
        loader.dispose()
    problems: list[Problem] = []
    lines: dict[tuple[int, str | None], int] = {}
    data = _plain(root, loader, problems, file) if root is not None else None
    if root is not None:
        _index_lines(root, lines)

    def line_of(index: int, field: str | None) -> int | None:
        top = field.split(".")[0] if field else None
        return lines.get((index, top)) or lines.get((index, None))

    catalogue, found = validate(data, file, line_of)
    # In file order (issue 20); a stable sort keeps an entry's own problems in field order.
    ordered = sorted(problems + found, key=lambda problem: problem.line or 0)
    return data, catalogue, ordered, line_of


def _refused_constructs(text: str, loader_class: Any) -> tuple[int | None, str] | None:
    """The line and reason of the first YAML construct a catalogue may not use: anchors
    and aliases (billion laughs, recursive structures), explicit tags (``!!python/...``),
    and nesting deeper than ``MAX_DEPTH``; None when there is none, or when
    the text is not YAML at all (the composer reports that with its line)."""
    import yaml

    loader = loader_class(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return line, "anchors and aliases (& and *) are not allowed in a catalogue"
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                shown = _one_line(tag).replace("tag:yaml.org,2002:", "!!")
                return line, f"tags such as {shown!r} are not allowed in a catalogue"
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return line, f"nested deeper than {MAX_DEPTH} levels"
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _plain(node: Any, loader: Any, problems: list[Problem], file: str) -> Any:
    """Plain Python data from a YAML node, reporting duplicate keys."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, loader, problems, file) if _plain_key(key_node) else None
            if not isinstance(key, str):
                merge = key_node.tag == "tag:yaml.org,2002:merge"
                reason = "merge keys (<<) are not allowed" if merge else "a key must be plain text"
                problems.append(Problem(file, key_node.start_mark.line + 1, None, None, reason))
                continue
            if key in result:
                entry = result.get("id") if isinstance(result.get("id"), str) else None
                line = key_node.start_mark.line + 1
                problems.append(
                    Problem(file, line, entry, str(key), "duplicate key (the last one would win)")
                )
            result[key] = _plain(value_node, loader, problems, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, loader, problems, file) for item in node.value]
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        # A value the safe loader cannot build: a date such as 2020-13-45, a number of
        # more than 4,300 digits (Python's limit), a hexadecimal 0x_.
        reason = _one_line(getattr(error, "problem", None) or error)
        if reason.startswith("Exceeds the limit"):
            reason = "a number of more than 4,300 digits"
        line = node.start_mark.line + 1
        problems.append(Problem(file, line, None, None, f"a value that cannot be read: {reason}"))
        return None


def _plain_key(node: Any) -> bool:
    """A key that is text: a scalar (not a list or mapping) resolved as a string."""
    import yaml

    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str"


def _index_lines(root: Any, lines: dict[tuple[int, str | None], int]) -> None:
    """Record the line of the top-level keys (index -1) and of each entry and its fields."""
    import yaml

    if not isinstance(root, yaml.MappingNode):
        return
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue  # reported: a key must be plain text
        lines.setdefault((-1, key_node.value), key_node.start_mark.line + 1)
        if key_node.value == "exercises" and isinstance(value_node, yaml.SequenceNode):
            for index, entry in enumerate(value_node.value):
                lines[(index, None)] = entry.start_mark.line + 1
                if isinstance(entry, yaml.MappingNode):
                    for field_node, _ in entry.value:
                        if not isinstance(field_node, yaml.ScalarNode):
                            continue
                        lines.setdefault(
                            (index, str(field_node.value)), field_node.start_mark.line + 1
                        )
    lines.setdefault((-1, None), 1)


# The cache: the validated catalogue as JSON, trusted because we wrote it.


def _cache_key(path: Path) -> str | None:
    """What identifies this version of the file without reading it: size, modification and
    change times in nanoseconds, device and inode. A rewrite that keeps the size and sets
    the old modification time back still changes the inode (a rename over it) or the
    change time (a write in place), which no one can set."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (
        f"{__version__}:{CACHE_VERSION}:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:"
        f"{stat.st_ctime_ns}:{stat.st_dev}:{stat.st_ino}"
    )


def _cache_file(cache_dir: Path, key: str) -> Path:
    # A CRC names the file (hashlib costs start-up time); the key inside it is checked on read.
    return cache_dir / f"catalogue-{zlib.crc32(key.encode()):08x}.json"


def _read_cache(cache_dir: Path, key: str) -> Catalogue | None:
    try:
        cached = json.loads(_cache_file(cache_dir, key).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("key") != key:
        return None
    catalogue, problems = validate(cached.get("data"), str(key))  # about 1 ms: no YAML involved
    return None if problems else catalogue


def _write_cache(cache_dir: Path, key: str, data: Any) -> None:
    try:
        make_private_folder(cache_dir)  # 0700 whatever the umask, parents too
        write_atomically(
            _cache_file(cache_dir, key), json.dumps({"key": key, "data": data}).encode()
        )
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs speed
