"""Printed documents: templates under templates/pdf/ rendered by WeasyPrint, and QR codes.

Shared by every app that prints (manuals, attendance sheets, answer cards, reports, exports).
"""

import io
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
                "stylesheet_url": PRINT_CSS.as_uri(),
                "generated_on": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
            },
        )
    document = HTML(string=html, base_url=str(PRINT_CSS.parent)).render()
    buffer = io.BytesIO()
    document.write_pdf(buffer, pdf_variant=PDF_VARIANT)
    return buffer.getvalue(), len(document.pages)


def qr_data_uri(text: str, *, scale: int = 4, border: int = 2) -> str:
    """`text` (usually a URL) as an SVG QR code in a data: URI: no script, no request."""
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=border, dark="#111111")
