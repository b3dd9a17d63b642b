"""Catalogues are untrusted input (issue 12): pictures that lead out of the catalogue's
folder, devices and FIFOs, SVGs that fetch, YAML bombs and tricks, a cache fooled by a
same-size rewrite, pins the catalogue lacks, and ``catalogue check`` always saying why.
"""

from __future__ import annotations

import base64
import http.server
import os
import stat
import struct
import threading
import urllib.request
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from ptcli import pictures
from tests.conftest import ROOT, run_process
from tests.test_catalogue import catalogue_text
from tests.test_printable import (
    article_of,
    parse,
    pdf_pages,
    quick_handout,
    tiny_png,
    write_catalogue,
)

SECRET = b"root:x:0:0:secret-marker:/root:/bin/sh\n"


def one_error_line(err: str) -> str:
    """The failure's one line on stderr: starts 'ptcli: ', no traceback."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ptcli: "), err
    assert "unexpected error" not in err and "Traceback" not in err
    return lines[0]


def warnings_in(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("ptcli: warning:")]


def blank_frame(html: str, exercise_id: str) -> bool:
    picture = article_of(parse(html), exercise_id).one("div", "picture")
    return picture.all("img") == [] and picture.all("svg") == []


def embedded_picture(html: str, exercise_id: str) -> bytes:
    [img] = article_of(parse(html), exercise_id).one("div", "picture").all("img")
    header, _, data = img.attrs["src"].partition(",")
    assert header.startswith("data:image/") and header.endswith(";base64")
    return base64.b64decode(data)


# Pictures: inside the catalogue's folder, regular files, small, and what they claim


def escaping_images(tmp_path: Path) -> list[tuple[str, str]]:
    """(image: value, what the refusal says) for pictures that lead out of the folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET)
    folder = tmp_path / "catalogue"
    folder.mkdir(exist_ok=True)
    (folder / "link.png").symlink_to(outside / "secret.png")
    return [
        (str(outside / "secret.png"), "an absolute path"),
        ("../outside/secret.png", "'..'"),
        ("link.png", "a link out of the catalogue's folder"),
    ]


@pytest.mark.parametrize("case", [0, 1, 2], ids=["absolute", "dot-dot", "symlink"])
def test_a_picture_outside_the_catalogues_folder_is_refused(
    run: Any, tmp_path: Path, case: int
) -> None:
    image, reason = escaping_images(tmp_path)[case]
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": image}})
    result = quick_handout(run, catalogue)  # a warning, exit 0, as for a missing picture
    [warning] = warnings_in(result.err)
    assert "'prone-lying'" in warning and reason in warning
    assert "printed a blank frame instead" in warning
    assert blank_frame(result.out, "prone-lying")
    assert base64.b64encode(SECRET).decode()[:20] not in result.out
    checked = run("catalogue", "check", str(catalogue))
    assert checked.code == 1
    [problem] = [line for line in checked.out.splitlines() if "prone-lying.image" in line]
    assert problem.startswith(f"{catalogue}:") and reason in problem
    one_error_line(checked.err)


def test_a_symlink_inside_the_folder_is_followed(run: Any, tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": "alias.png"}})
    (catalogue.parent / "pictures").mkdir()
    (catalogue.parent / "pictures" / "pic.png").write_bytes(tiny_png())
    (catalogue.parent / "alias.png").symlink_to(catalogue.parent / "pictures" / "pic.png")
    result = quick_handout(run, catalogue)
    assert result.err == ""
    assert embedded_picture(result.out, "prone-lying") == tiny_png()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("pic.png", b"GIF89a not a png", "not a PNG file"),
        ("pic.jpg", tiny_png(), "not a JPEG file"),
        ("pic.svg", b"<html><body>hello</body></html>", "its root is not an <svg> element"),
        ("pic.svg", b"\x89PNG\r\n\x1a\n", "not an SVG file"),
        ("pic.png", b"\x89PNG\r\n\x1a\n" + b"\0" * pictures.IMAGE_LIMIT, "larger than"),
        (
            "pic.svg",
            b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]>'
            b'\n<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
            "DOCTYPE",
        ),
        (
            "pic.svg",
            b'<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg xmlns="http://www.w3.org/2000/svg"/>',
            "DOCTYPE",
        ),
    ],
    ids=["text as png", "png as jpg", "html as svg", "binary as svg", "too big", "laughs", "dtd"],
)
def test_a_picture_must_be_what_its_name_says_and_small(
    run: Any, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": name}})
    (catalogue.parent / name).write_bytes(content)
    result = quick_handout(run, catalogue)
    [warning] = warnings_in(result.err)
    assert reason in warning
    assert blank_frame(result.out, "prone-lying")
    checked = run("catalogue", "check", str(catalogue))
    assert checked.code == 1 and reason in checked.out


def test_a_fifo_as_a_picture_or_a_catalogue_never_hangs(tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": "pipe.png"}})
    os.mkfifo(catalogue.parent / "pipe.png")
    args = ("--catalogue", str(catalogue), "routine", "--pain", "5", "--format", "html")
    process = run_process(*args, timeout=60)
    assert process.returncode == 0, process.stderr
    [warning] = warnings_in(process.stderr)
    assert "not a regular file" in warning
    checked = run_process("catalogue", "check", str(catalogue), timeout=60)
    assert checked.returncode == 1 and "prone-lying.image" in checked.stdout
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    checked = run_process("catalogue", "check", str(fifo), timeout=60)
    assert checked.returncode == 1
    assert "cannot read the file: not a regular file" in checked.stdout
    one_error_line(checked.stderr)
    used = run_process("--catalogue", str(fifo), "today", timeout=60)
    assert used.returncode == 1
    assert "not a regular file" in one_error_line(used.stderr)


def test_a_device_as_a_picture_is_refused_before_reading(tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": "zero.png"}})
    try:  # a private /dev/zero: never the machine's own
        os.mknod(catalogue.parent / "zero.png", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here")
    args = ("--catalogue", str(catalogue), "routine", "--pain", "5", "--format", "html")
    process = run_process(*args, timeout=60)
    assert process.returncode == 0, process.stderr
    [warning] = warnings_in(process.stderr)
    assert "not a regular file" in warning


HOSTILE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url({url}/style.css);</style>
  <foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject>
  <image href="{url}/image.png" width="5" height="5"/>
  <image xlink:href="file:///etc/passwd" width="5" height="5"/>
  <a href="javascript:alert(3)"><circle cx="5" cy="5" r="4" onclick="alert(4)"/></a>
  <rect width="4" height="4" fill="url({url}/paint.svg#p)" style="fill: url({url}/s.svg#p)"/>
  <use href="#keep"/>
  <a href="#safe"><rect width="1" height="1"/></a>
  <set attributeName="href" to="javascript:alert(5)"/>
  <linearGradient id="keep"/>
  <rect id="safe" width="2" height="2" fill="url(#keep)"/>
</svg>
"""


def test_a_catalogue_svg_is_sanitised_before_it_is_embedded(run: Any, tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": "pic.svg"}})
    (catalogue.parent / "pic.svg").write_text(HOSTILE_SVG.format(url="http://127.0.0.1:9"))
    result = quick_handout(run, catalogue)
    assert result.err == ""
    svg = embedded_picture(result.out, "prone-lying").decode()
    for gone in (
        "script",
        "alert",
        "onload",
        "onclick",
        "foreignObject",
        "@import",
        "127.0.0.1",
        "file:",
        "javascript",
        "<set",
    ):
        assert gone not in svg, gone
    assert 'fill="url(#keep)"' in svg and "<circle" in svg
    assert '<a href="#safe">' in svg
    assert "<use" not in svg  # see test_svgs_that_multiply_when_drawn_are_defused


# What WeasyPrint would fetch: an image, a linked stylesheet's picture, a pattern.
FETCHING_SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 10 10">
  <image href="{url}/image.svg" width="5" height="5"/>
  <image xlink:href="{url}/xlink.svg" width="5" height="5"/>
  <image href="file:///etc/passwd" width="5" height="5"/>
  <rect width="4" height="4" fill="url({url}/paint.svg#p)"/>
</svg>
"""


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.end_headers()
        self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg"/>')

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def web_server() -> Any:
    """A local HTTP server that records what is asked of it; stops by itself."""
    Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    server.timeout = 0.2
    stop = threading.Event()

    def serve() -> None:
        for _ in range(600):  # at most about two minutes, even if the test never returns
            if stop.is_set():
                break
            server.handle_request()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with urllib.request.urlopen(f"{url}/ping", timeout=10) as response:  # it does listen
        assert response.status == 200
    assert Recorder.requests == ["/ping"]
    Recorder.requests = []
    yield url
    stop.set()
    thread.join(timeout=5)
    server.server_close()


@pytest.mark.parametrize("sanitised", [True, False], ids=["sanitised", "fetcher alone"])
def test_the_pdf_printer_fetches_nothing(
    run: Any, tmp_path: Path, web_server: str, monkeypatch: pytest.MonkeyPatch, sanitised: bool
) -> None:
    if not sanitised:  # the URL fetcher alone must hold, should an SVG get through
        monkeypatch.setattr(pictures, "sanitise_svg", lambda data: data)
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": "pic.svg"}})
    (catalogue.parent / "pic.svg").write_text(FETCHING_SVG.format(url=web_server))
    output = tmp_path / "out.pdf"
    args = ("--catalogue", str(catalogue), "routine", "--pain", "5", "--where", "thigh")
    result = run(*args, "--format", "pdf", "--output", str(output))
    assert result.code == 0, result.err
    assert "Lying face down" in "".join(pdf_pages(output))  # the exercise with the picture
    assert Recorder.requests == []


def test_the_pdf_fetcher_refuses_everything_but_data_urls(web_server: str) -> None:
    pytest.importorskip("weasyprint")
    from ptcli.render import pdf

    fetcher = pdf.fetcher()
    for url in (f"{web_server}/x.png", "file:///etc/passwd", "ftp://127.0.0.1/x", "x.png"):
        with pytest.raises(ValueError, match="refused"):
            (fetcher.fetch if hasattr(fetcher, "fetch") else fetcher)(url)
    assert Recorder.requests == []


# YAML bombs and tricks: each is a catalogue problem with its line, never a crash

BILLION_LAUGHS = """\
version: 1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
exercises: []
"""

HOSTILE_YAML = [
    (BILLION_LAUGHS, 2, "anchors and aliases"),
    ("version: 1\nexercises: &x [*x]\n", 2, "anchors and aliases"),
    ("version: 1\nexercises:\n  - &entry {id: a}\n  - *entry\n", 3, "anchors and aliases"),
    (
        "version: 1\nexercises: !!python/object/apply:os.system ['echo pwned']\n",
        2,
        "'!!python/object/apply:os.system'",
    ),
    ("version: 1\nexercises: !custom []\n", 2, "tags such as '!custom'"),
    ("version: 1\nexercises: []\n<<: {a: 1}\n", 3, "merge keys (<<) are not allowed"),
    ("version: 1\n? [a, b]\n: 1\nexercises: []\n", 2, "a key must be plain text"),
    ("version: 1\n? {a: 1}\n: 1\nexercises: []\n", 2, "a key must be plain text"),
    ("version: 1\n1: 2\nexercises: []\n", 2, "a key must be plain text"),
    ("version: 1\nexercises: " + "[" * 100 + "]" * 100 + "\n", 2, "nested deeper than"),
    ("version: 1\nexercises: [\x01]\n", 2, "not valid YAML: character #x0001"),
    ("version: 1\nexercises: []\nx: " + "9" * 5000 + "\n", 3, "more than 4,300 digits"),
    ("version: 1\nexercises: []\nx: 2020-13-45\n", 3, "cannot be read: month must be"),
    ("version: 1\nexercises: []\nx: 0x_\n", 3, "a value that cannot be read"),
]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    HOSTILE_YAML,
    ids=[
        "billion laughs",
        "recursive alias",
        "alias",
        "python tag",
        "local tag",
        "merge key",
        "list key",
        "mapping key",
        "number key",
        "deep",
        "control character",
        "huge number",
        "bad date",
        "bad hexadecimal",
    ],
)
def test_yaml_tricks_are_catalogue_problems_with_their_line(
    run: Any, tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    [problem] = [entry for entry in result.out.splitlines() if reason in entry]
    assert problem.startswith(f"{path}:{line}: ")
    one_error_line(result.err)
    used = run("--catalogue", str(path), "today")
    assert used.code == 1
    assert "the exercise catalogue is invalid" in one_error_line(used.err)
    assert reason in used.err


def test_the_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "hostile.yaml"
    path.write_text(f"version: 1\nexercises: !!python/object/apply:os.system ['touch {marker}']\n")
    process = run_process("catalogue", "check", str(path), timeout=60)
    assert process.returncode == 1
    assert not marker.exists()


def test_a_catalogue_above_the_size_limit_is_refused_unread(run: Any, tmp_path: Path) -> None:
    from ptcli import catalogue_file

    path = tmp_path / "huge.yaml"
    text = catalogue_text({"id": "squat", "chain": "squat"})
    path.write_text(text + "#" * (catalogue_file.CATALOGUE_LIMIT - len(text) + 1) + "\n")
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    assert f"{path}: cannot read the file: larger than 5,000,000 bytes" in result.out
    one_error_line(result.err)


@pytest.mark.parametrize(
    "text",
    ["", "- a list\n", "version: 2\nexercises: []\n", "version: 1\nexercises: [\n", "\xff"],
    ids=["empty", "list", "version 2", "unclosed", "latin-1"],
)
def test_check_on_a_broken_file_always_says_why_on_stderr(
    run: Any, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(text.encode("latin-1"))
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    assert str(path) in one_error_line(result.err)
    result = run("catalogue", "check", "--json", str(path))
    assert result.code == 1 and result.json()["problems"]
    one_error_line(result.err)


def test_every_yaml_error_is_one_line(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nexercises:\n  - id: [unclosed\n  x: : :\n")
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    assert result.out.startswith(f"{path}:4: not valid YAML")
    assert len(result.out.splitlines()) == 2  # the problem and the count
    one_error_line(run("--catalogue", str(path), "today").err)


# The cache


def test_the_cache_sees_a_rewrite_that_keeps_size_and_modification_time(
    run: Any, tmp_path: Path
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(catalogue_text({"id": "squat", "chain": "squat"}))
    listed = run("--catalogue", str(path), "catalogue", "show", "squat", "--json").json()
    assert listed["dose"]["reps"] == 10
    before = path.stat()
    with path.open("r+b") as file:  # in place: same inode, same size
        text = file.read().replace(b"reps: 10\n", b"reps: 12\n")
        file.seek(0)
        file.write(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    shown = run("--catalogue", str(path), "catalogue", "show", "squat", "--json").json()
    assert shown["dose"]["reps"] == 12


def test_the_cache_sees_a_same_size_file_renamed_over_the_catalogue(
    run: Any, tmp_path: Path
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(catalogue_text({"id": "squat", "chain": "squat"}))
    assert run("--catalogue", str(path), "catalogue", "show", "squat", "--json").code == 0
    before = path.stat()
    other = tmp_path / "other.yaml"
    other.write_text(path.read_text().replace("reps: 10\n", "reps: 12\n"))
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, path)
    shown = run("--catalogue", str(path), "catalogue", "show", "squat", "--json").json()
    assert shown["dose"]["reps"] == 12


# Pins for exercises the catalogue lacks


def test_a_pin_the_catalogue_lacks_is_shown_as_unknown_and_can_be_dropped(
    run: Any, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        catalogue_text({"id": "squat", "chain": "squat"}, {"id": "lunge", "chain": "lunge"})
    )
    assert run("--catalogue", str(mine), "plan", "set", "lunge", "--reps", "9").code == 0
    assert run("--catalogue", str(mine), "plan", "set", "squat").code == 0
    mine.write_text(catalogue_text({"id": "squat", "chain": "squat"}))  # lunge is gone
    shown = run("--catalogue", str(mine), "plan", "show")
    assert shown.code == 0, shown.err
    assert "lunge (unknown)" in shown.out and "not in the catalogue" in shown.out
    assert "squat" in shown.out
    pins = run("--catalogue", str(mine), "plan", "show", "--json").json()
    assert [pin["exercise"] for pin in pins] == ["lunge", "squat"]
    for command in (
        ("today", "--json"),
        ("routine", "--explain"),
        ("routine", "--format", "html"),
        ("export", "--format", "fhir"),
        ("plan", "history"),
    ):
        used = run("--catalogue", str(mine), *command)
        assert used.code == 0, (command, used.err)
    dropped = run("--catalogue", str(mine), "plan", "drop", "lunge")
    assert dropped.code == 0, dropped.err
    assert dropped.out.startswith("Dropped lunge from the plan")
    pins = run("--catalogue", str(mine), "plan", "show", "--json").json()
    assert [pin["exercise"] for pin in pins] == ["squat"]
    again = run("--catalogue", str(mine), "plan", "drop", "lunge")
    assert again.code == 2
    assert "unknown exercise 'lunge'" in one_error_line(again.err)
    assert run("--catalogue", str(mine), "plan", "drop", "nonsense").code == 2


def test_a_clean_svg_keeps_its_drawing(run: Any, tmp_path: Path) -> None:
    """A drawing ptcli makes, used as a catalogue's own picture, comes through whole."""
    from xml.etree import ElementTree

    from ptcli.domain.pose import read
    from ptcli.render import figure

    pose, _ = read({"props": ["mat"], "start": {"trunk": 0}, "end": {"trunk": 30}})
    assert pose is not None
    shipped = figure.svg(pose, "hold 2 min").encode()
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": "~mine.svg"}})
    (catalogue.parent / "~mine.svg").write_bytes(shipped)
    result = quick_handout(run, catalogue)
    assert result.err == ""
    before = ElementTree.fromstring(shipped)
    after = ElementTree.fromstring(embedded_picture(result.out, "prone-lying"))
    assert [(e.tag, e.attrib) for e in after.iter()] == [(e.tag, e.attrib) for e in before.iter()]


def tiny_jpeg(width: int = 3, height: int = 2) -> bytes:
    import io

    image = pytest.importorskip("PIL.Image")  # WeasyPrint's own dependency
    out = io.BytesIO()
    image.new("RGB", (width, height), "white").save(out, "JPEG")
    return out.getvalue()


def claiming(data: bytes, width: int, height: int) -> bytes:
    """A PNG or JPEG whose header claims another size (a decompression bomb's trick)."""
    if data.startswith(b"\x89PNG"):
        return data[:16] + struct.pack(">II", width, height) + data[24:]
    frame = data.index(b"\xff\xc0")
    return data[: frame + 5] + struct.pack(">HH", height, width) + data[frame + 9 :]


def test_a_jpeg_is_embedded(run: Any, tmp_path: Path) -> None:
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": "pic.jpeg"}})
    (catalogue.parent / "pic.jpeg").write_bytes(tiny_jpeg())
    result = quick_handout(run, catalogue)
    assert result.err == ""
    assert embedded_picture(result.out, "prone-lying") == tiny_jpeg()


@pytest.mark.parametrize("kind", ["png", "jpg"])
def test_a_picture_claiming_too_many_pixels_is_refused(run: Any, tmp_path: Path, kind: str) -> None:
    catalogue = write_catalogue(tmp_path, {"prone-lying": {"image": f"pic.{kind}"}})
    data = tiny_png() if kind == "png" else tiny_jpeg()
    (catalogue.parent / f"pic.{kind}").write_bytes(claiming(data, 60000, 60000))
    result = quick_handout(run, catalogue)
    [warning] = warnings_in(result.err)
    assert "a picture of 60000 x 60000 pixels" in warning
    assert blank_frame(result.out, "prone-lying")


def use_bomb() -> str:
    """Eleven levels of ten <use> each: 10^11 circles to draw."""
    layers = ['<circle id="l0" cx="1" cy="1" r="1"/>']
    layers += [f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, 12)]
    return f'<svg xmlns="{pictures.SVG}"><defs>{"".join(layers)}</defs><use href="#l11"/></svg>'


def marker_bomb() -> str:
    """Markers drawn on the vertices of markers: 10^8 circles."""
    path = "M0 0" + " L1 1" * 10
    markers = ['<marker id="m0"><circle r="1"/></marker>']
    markers += [
        f'<marker id="m{n}"><path d="{path}" marker-mid="url(#m{n - 1})"/></marker>'
        for n in range(1, 8)
    ]
    return (
        f'<svg xmlns="{pictures.SVG}"><defs>{"".join(markers)}</defs>'
        f'<path d="{path}" marker-mid="url(#m7)"/></svg>'
    )


def test_svgs_that_multiply_when_drawn_are_defused(run: Any, tmp_path: Path) -> None:
    changes = {"prone-lying": {"image": "use.svg"}, "walking": {"image": "marker.svg"}}
    catalogue = write_catalogue(tmp_path, changes)
    (catalogue.parent / "use.svg").write_text(use_bomb())
    (catalogue.parent / "marker.svg").write_text(marker_bomb())
    result = quick_handout(run, catalogue)
    assert result.err == ""
    assert "<use" not in embedded_picture(result.out, "prone-lying").decode()
    marker = embedded_picture(result.out, "walking").decode()
    assert marker.count("url(#") == 1  # the path's own marker; none inside a marker
    output = tmp_path / "bombs.pdf"
    args = ("--catalogue", str(catalogue), "routine", "--pain", "5", "--where", "thigh")
    process = run_process(*args, "--format", "pdf", "--output", str(output), timeout=120)
    assert process.returncode == 0, process.stderr
    assert output.read_bytes().startswith(b"%PDF")


def test_a_png_inside_an_svg_is_checked_like_a_picture(run: Any, tmp_path: Path) -> None:
    def svg(png: bytes) -> str:
        url = "data:image/png;base64," + base64.b64encode(png).decode()
        return f'<svg xmlns="{pictures.SVG}"><image href="{url}" width="5" height="5"/></svg>'

    assert b"href" in pictures.sanitise_svg(svg(tiny_png()).encode())
    bomb = pictures.sanitise_svg(svg(claiming(tiny_png(), 60000, 60000)).encode())
    assert b"href" not in bomb and b"<image" in bomb


def test_text_longer_than_a_handout_can_show_is_a_problem(run: Any, tmp_path: Path) -> None:
    """A 10 MB exercise name once made 'today' take 35 s: catalogue text has limits."""
    data = yaml.safe_load((ROOT / "exercises.yaml").read_text(encoding="utf-8"))
    entry = data["exercises"][0]
    entry["name"] = "N" * 101
    entry["steps"] = ["step"] * 21
    entry["cautions"] = ["c" * 1001]
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run("catalogue", "check", str(path))
    assert result.code == 1
    assert "prone-lying.name: is 101 characters long: at most 100 †" in result.out
    assert "prone-lying.steps: has 21 items: at most 20 †" in result.out
    assert "prone-lying.cautions: is 1001 characters long: at most 1000 †" in result.out
