"""Reading ``exercises.yaml``: YAML to plain data with line numbers, then validation.

PyYAML keeps the last of two equal keys without a word, so we build the plain data
from the node tree ourselves and report duplicates with their line. Parsing and
checking a catalogue costs more than a daily command may spend (importing PyYAML
alone is about 1.5 interpreter start-ups), so the plain data of a valid catalogue is
cached as JSON in the user cache folder, keyed by the file's path, size, modification
time, the ptcli version and ``CACHE_VERSION``, and validated again on use (about 1 ms, so ``validate``
stays the one place that builds exercises); a changed file is simply read again.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from ptcli import __version__
from ptcli.domain.catalogue import Catalogue, Problem, validate
from ptcli.errors import CatalogueError
from ptcli.fileio import write_atomically

# Part of the cache key: bump it whenever the catalogue format or what is built from it
# changes (3: the ``ceilings:`` block and ``needs.minimal_symptoms``), so no cache
# written by an older ptcli is ever read.
CACHE_VERSION = 3


def packaged_path() -> Path:
    """The catalogue shipped inside the package (a plain file: ptcli is never run from a zip)."""
    return Path(__file__).parent / "data" / "exercises.yaml"


def check(path: Path) -> tuple[Catalogue, list[Problem]]:
    """Read and validate a catalogue file, listing every problem (never raises for content)."""
    _, catalogue, problems = _read(path)
    return catalogue, problems


def load(path: Path, cache_dir: Path | None = None) -> Catalogue:
    """A valid catalogue, or CatalogueError naming the file and the first problem."""
    key = _cache_key(path)
    cached = _read_cache(cache_dir, key) if cache_dir and key else None
    if cached is not None:
        return cached
    data, catalogue, problems = _read(path)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CatalogueError(
            f"the exercise catalogue is invalid: {problems[0]}{more}; "
            f"run 'ptcli catalogue check {path}' for the full report"
        )
    if cache_dir and key:
        _write_cache(cache_dir, key, data)
    return catalogue


def _read(path: Path) -> tuple[Any, Catalogue, list[Problem]]:
    """The plain data read from the file, the catalogue built from it, and every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        problem = Problem(str(path), None, None, None, f"cannot read the file: {reason}")
        return None, Catalogue([]), [problem]
    return _check_text(text, str(path))


def _check_text(text: str, file: str) -> tuple[Any, Catalogue, list[Problem]]:
    import yaml  # deferred: costly to import, and only needed on a cache miss

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        return None, Catalogue([]), [Problem(file, line, None, None, f"not valid YAML: {reason}")]
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
    return data, catalogue, ordered


def _plain(node: Any, loader: Any, problems: list[Problem], file: str) -> Any:
    """Plain Python data from a YAML node, reporting duplicate keys."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, loader, problems, file)
            if not isinstance(key, str | int | bool | None):
                problems.append(
                    Problem(
                        file, key_node.start_mark.line + 1, None, None, "a key must be plain text"
                    )
                )
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
    return loader.construct_object(node, deep=True)


def _index_lines(root: Any, lines: dict[tuple[int, str | None], int]) -> None:
    """Record the line of the top-level keys (index -1) and of each entry and its fields."""
    import yaml

    if not isinstance(root, yaml.MappingNode):
        return
    for key_node, value_node in root.value:
        lines.setdefault((-1, key_node.value), key_node.start_mark.line + 1)
        if key_node.value == "exercises" and isinstance(value_node, yaml.SequenceNode):
            for index, entry in enumerate(value_node.value):
                lines[(index, None)] = entry.start_mark.line + 1
                if isinstance(entry, yaml.MappingNode):
                    for field_node, _ in entry.value:
                        lines.setdefault(
                            (index, str(field_node.value)), field_node.start_mark.line + 1
                        )
    lines.setdefault((-1, None), 1)


# The cache: the validated catalogue as JSON, trusted because we wrote it.


def _cache_key(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{__version__}:{CACHE_VERSION}:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


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
        os.makedirs(cache_dir, mode=0o700, exist_ok=True)
        write_atomically(
            _cache_file(cache_dir, key), json.dumps({"key": key, "data": data}).encode()
        )
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs speed
