"""Printed documents: templates under templates/pdf/ rendered by WeasyPrint, and QR codes.

Shared by every app that prints (manuals, attendance sheets, answer cards, reports, exports).
"""

import atexit
import io
from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "pdf" / "print.css"


# Tagged PDF/UA: headings, tables, reading order, language and alternative texts reach a
# screen reader (Danish public bodies must make published documents accessible).
PDF_VARIANT = "pdf/ua-1"


def render_pdf(
    template: str, context: dict, *, language: str = settings.LANGUAGE_CODE
) -> tuple[bytes, int]:
    """Render a template under templates/pdf/ to a tagged PDF and its page count, in
    `language` (the document's language, also in the PDF's /Lang)."""
    from weasyprint import HTML  # imported here: it takes a moment to load

    with translation.override(language):
        html = render_to_string(
            template,
            {
                **context,
                # The print CSS comes parsed from _print_resources, not through a <link>.
                "stylesheet_url": "",
                "generated_on": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
            },
        )
    stylesheet, fonts = _print_resources()
    document = HTML(string=html, base_url=str(PRINT_CSS.parent)).render(
        stylesheets=[stylesheet], font_config=fonts
    )
    buffer = io.BytesIO()
    document.write_pdf(buffer, pdf_variant=PDF_VARIANT)
    return buffer.getvalue(), len(document.pages)


@cache
def _print_resources():
    """The print CSS, parsed, and the font configuration with the shipped fonts loaded: once
    per process, so a worker's later documents skip both."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    # Released before the interpreter tears modules down (its finaliser needs them).
    atexit.register(_print_resources.cache_clear)
    return CSS(filename=str(PRINT_CSS), font_config=fonts), fonts


def qr_data_uri(text: str, *, scale: int = 4, border: int = 2) -> str:
    """`text` (usually a URL) as an SVG QR code in a data: URI: no script, no request."""
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=border, dark="#111111")
