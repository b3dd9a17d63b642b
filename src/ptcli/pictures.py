"""A catalogue's own pictures, read as untrusted input (issue 12).

A catalogue may come from anyone, so the file an ``image:`` names must be a regular
file inside the catalogue's folder (no absolute path, no ``..``, no symlink leading
out), at most ``IMAGE_LIMIT`` bytes, and really a PNG, a JPEG or an SVG by its
content. An SVG is parsed with the standard library's expat (no DOCTYPE, so no
entities at all) and rebuilt from what is safe to print: no scripts, styles, event
attributes, ``foreignObject``, animation or reference to anything outside itself, and
nothing that multiplies when drawn (``<use>``, references inside markers, patterns and
other definitions; an embedded PNG or JPEG claiming too many pixels).
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path
from typing import Any

IMAGE_LIMIT = 2_000_000  # † bytes: a handout picture is a few kB; a photo under 2 MB
MAX_PIXELS = 25_000_000  # † a PNG or JPEG of at most 25 megapixels (about 100 MB decoded)
IMAGE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Elements dropped with everything inside them: they run code, fetch, embed other
# documents or change attributes (an <animate> can turn a link into javascript:).
_DROPPED = {
    "use",  # nested <use> multiplies: ten levels of ten is 10^10 shapes to draw
    "tref",
    "script",
    "style",
    "foreignObject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "canvas",
    "handler",
    "listener",
    "animate",
    "animateMotion",
    "animateTransform",
    "animateColor",
    "set",
    "discard",
    "cursor",
    "font-face-uri",
}
# Definitions drawn wherever they are referenced: inside them no reference at all, so
# a marker or pattern can never draw another (a chain of them multiplies like <use>).
_DEFINITIONS = {"marker", "pattern", "mask", "clipPath", "symbol", "filter"}
_SAFE_DATA = ("data:image/png;", "data:image/jpeg;")
_MAX_DEPTH = 64


def read_limited(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    A FIFO, a device or a folder is refused before anything is read (a FIFO would
    block, ``/dev/zero`` never ends); ValueError or OSError says why.
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise ValueError(f"not a regular {what}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # replaced since the stat
            raise ValueError(f"not a regular {what}")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > limit:
        raise ValueError(f"larger than {limit:,} bytes")
    return b"".join(chunks)


def locate(folder: Path, name: str) -> Path:
    """The file ``name`` names inside ``folder``; ValueError if it leads anywhere else."""
    relative = Path(name)
    if relative.is_absolute():
        raise ValueError("an absolute path: name a file in the catalogue's folder")
    if ".." in relative.parts or "\x00" in name:
        raise ValueError("a path out of the catalogue's folder ('..')")
    path = folder / relative
    real, home = os.path.realpath(path), os.path.realpath(folder)
    if os.path.commonpath([real, home]) != home or real == home:
        raise ValueError("a link out of the catalogue's folder")
    return path


def read_picture(folder: Path, name: str) -> tuple[str, bytes]:
    """The media type and bytes of the picture ``name`` (SVG sanitised); ValueError or
    OSError says why it cannot be used."""
    media_type = IMAGE_TYPES.get(Path(name).suffix.lower())
    if media_type is None:
        raise ValueError(f"use one of {', '.join(IMAGE_TYPES)}")
    data = read_limited(locate(folder, name), IMAGE_LIMIT, "file")
    if media_type == "image/png":
        if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR" or len(data) < 24:
            raise ValueError("not a PNG file")
        _check_size(*struct.unpack(">II", data[16:24]))
        return media_type, data
    if media_type == "image/jpeg":
        if not data.startswith(b"\xff\xd8\xff"):
            raise ValueError("not a JPEG file")
        _check_size(*_jpeg_size(data))
        return media_type, data
    return media_type, sanitise_svg(data)


def _check_size(width: int, height: int) -> None:
    """A few kB of PNG or JPEG can claim a picture that takes gigabytes to decode."""
    if width * height > MAX_PIXELS or width < 1 or height < 1:
        raise ValueError(f"a picture of {width} x {height} pixels (at most {MAX_PIXELS:,})")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the first frame header of a JPEG."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if at + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        if marker == 0xDA or length < 2:  # image data before any frame header
            break
        at += 2 + length
    raise ValueError("not a JPEG file (no frame header)")


def sanitise_svg(data: bytes) -> bytes:
    """An SVG rebuilt from its safe parts; ValueError if it is not an SVG document."""
    from xml.etree import ElementTree
    from xml.parsers import expat

    builder = ElementTree.TreeBuilder()
    depth = 0

    def refuse(*_: object) -> Any:
        raise ValueError("an SVG with a DOCTYPE or entities (not allowed)")

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > _MAX_DEPTH:
            raise ValueError(f"an SVG nested deeper than {_MAX_DEPTH} elements")
        builder.start(_qualified(name), {_qualified(k): v for k, v in attributes.items()})

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(_qualified(name))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ValueError(f"not an SVG file (XML error: {expat.ErrorString(error.code)})") from None
    root = builder.close()
    if root.tag != f"{{{SVG}}}svg":
        raise ValueError("not an SVG file (its root is not an <svg> element)")
    _clean(root)
    out: list[str] = []
    _write(root, out, top=True)
    return "".join(out).encode("utf-8")


def _qualified(name: str) -> str:
    """expat's 'namespace local' as ElementTree's '{namespace}local'."""
    namespace, _, local = name.rpartition(" ")
    return f"{{{namespace}}}{local}" if namespace else local


def _clean(element: object, inside_definition: bool = False) -> None:
    from xml.etree.ElementTree import Element

    assert isinstance(element, Element)
    for child in list(element):
        namespace, local = _split(child.tag)
        if namespace != SVG or local in _DROPPED:
            element.remove(child)
        else:
            _clean(child, inside_definition or local in _DEFINITIONS)
    for key, value in list(element.attrib.items()):
        if not _safe_attribute(key, value) or (inside_definition and _refers(key, value)):
            del element.attrib[key]


def _embedded(url: str) -> bool:
    """Whether a data: URL inside an SVG holds a PNG or JPEG within the pixel limit."""
    import base64
    import binascii

    header, _, payload = "".join(url.split()).partition(",")
    if not header.lower().endswith(";base64"):
        return False
    try:
        data = base64.b64decode(payload, validate=True)
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) > 24:
            _check_size(*struct.unpack(">II", data[16:24]))
        elif data.startswith(b"\xff\xd8\xff"):
            _check_size(*_jpeg_size(data))
        else:
            return False
    except (ValueError, binascii.Error, struct.error):
        return False
    return True


def _refers(key: str, value: str) -> bool:
    """Whether an attribute draws something else: a link, or a url(...) paint or effect."""
    return _split(key)[1] in ("href", "src") or "url(" in "".join(value.split()).lower()


def _write(element: Any, out: list[str], top: bool = False) -> None:
    """``element`` as SVG text: the SVG namespace by default, xlink's as ``xlink:``."""
    from xml.sax.saxutils import escape, quoteattr

    _, name = _split(element.tag)
    attributes = [(f' xmlns="{SVG}" xmlns:xlink="{XLINK}"') if top else ""]
    for key, value in element.attrib.items():
        namespace, local = _split(key)
        attributes.append(f" {'xlink:' if namespace == XLINK else ''}{local}={quoteattr(value)}")
    out.append(f"<{name}{''.join(attributes)}>")
    out.append(escape(element.text or ""))
    for child in element:
        _write(child, out)
        out.append(escape(child.tail or ""))
    out.append(f"</{name}>")


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _safe_attribute(key: str, value: str) -> bool:
    namespace, local = _split(key)
    if namespace not in ("", XLINK) or local.lower().startswith("on"):
        return False  # event handlers, xml:base, editors' own attributes
    compact = "".join(value.split()).lower()
    if local in ("href", "src"):
        return compact.startswith("#") or (compact.startswith(_SAFE_DATA) and _embedded(value))
    if "@import" in compact or "expression(" in compact or "\\" in compact:  # CSS escapes
        return False
    if "url(" in compact:  # fill="url(#gradient)" stays; url(http:...) would be fetched
        return all(part.lstrip("'\"").startswith("#") for part in compact.split("url(")[1:])
    return True
