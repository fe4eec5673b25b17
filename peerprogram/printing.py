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


def render_pdf(template: str, context: dict) -> tuple[bytes, int]:
    """Render a template under templates/pdf/ to PDF bytes and its page count."""
    from weasyprint import HTML  # imported here: it takes a moment to load

    with translation.override(settings.LANGUAGE_CODE):
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
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)


def qr_data_uri(text: str, *, scale: int = 4, border: int = 2) -> str:
    """`text` (usually a URL) as an SVG QR code in a data: URI: no script, no request."""
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=border, dark="#111111")
