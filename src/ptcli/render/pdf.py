"""A routine as a PDF: the printable HTML page (``render.html``) printed by WeasyPrint."""

from __future__ import annotations

from ptcli.errors import PtcliError
from ptcli.render import html


def render(view: object) -> bytes:
    try:
        import weasyprint  # deferred: about 0.3 s to import, and only PDFs need it
    except OSError as error:  # the Pango library it draws text with is missing
        raise PtcliError(
            f"cannot make a PDF here ({error}): install Pango "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0) or use --format html"
        ) from None
    page = weasyprint.HTML(string=html.render(view), base_url=str(html.TEMPLATES))
    pdf: bytes = page.write_pdf()
    return pdf
