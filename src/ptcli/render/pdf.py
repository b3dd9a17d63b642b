"""A routine as a PDF: the printable HTML page (``render.html``) printed by WeasyPrint.

The page carries everything inline (drawings, ``data:`` images), so the printer is
given a URL fetcher that refuses every other URL: a catalogue's picture naming
``http://`` or ``file://`` resources makes no request and reads no file (issue 12).
"""

from __future__ import annotations

from typing import Any

from ptcli.errors import PtcliError
from ptcli.render import html

ALLOWED = frozenset({"data"})  # the only scheme the printer may fetch


def render(view: object) -> bytes:
    return print_page(html.render(view))


def print_page(page: str) -> bytes:
    """A self-contained HTML page printed to PDF (nothing but ``data:`` URLs fetched)."""
    try:
        import weasyprint  # deferred: about 0.3 s to import, and only PDFs need it
    except OSError as error:  # the Pango library it draws text with is missing
        raise PtcliError(
            f"cannot make a PDF here ({error}): install Pango "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0) or use --format html"
        ) from None
    document = weasyprint.HTML(string=page, base_url=str(html.TEMPLATES), url_fetcher=fetcher())
    pdf: bytes = document.write_pdf()
    return pdf


def fetcher() -> Any:
    """WeasyPrint's URL fetcher limited to ``data:`` URLs, for the installed version."""
    from weasyprint import urls

    def refuse(url: str) -> None:
        if scheme(url) not in ALLOWED:
            raise ValueError(f"refused a {scheme(url)!r} URL: the handout is self-contained")

    if hasattr(urls, "URLFetcher"):  # recent WeasyPrint: a class

        class Refusing(urls.URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, *args: Any, **kwargs: Any) -> Any:
                refuse(url)
                return super().fetch(url, *args, **kwargs)

        return Refusing(allowed_protocols=ALLOWED, allow_redirects=False, timeout=1)

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:  # older WeasyPrint: a function
        refuse(url)
        return urls.default_url_fetcher(url, *args, **kwargs)

    return fetch


def scheme(url: str) -> str:
    """The scheme of ``url``, lower case ('' when it has none)."""
    head, colon, _ = url.partition(":")
    return head.strip().lower() if colon else ""
