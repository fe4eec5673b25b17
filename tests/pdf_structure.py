"""What a screen reader needs from a PDF we hand out: a tagged PDF (PDF/UA) with the
document's language, a title, headings in order, table headers and alternative texts."""

import io

from pypdf import PdfReader


def _elements(node, found):
    node = node.get_object()
    if not hasattr(node, "keys"):
        return
    if "/S" in node:
        found.append(node)
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if hasattr(kid, "keys"):
            _elements(kid, found)


def structure(pdf: bytes) -> tuple[PdfReader, list]:
    reader = PdfReader(io.BytesIO(pdf))
    found: list = []
    _elements(reader.trailer["/Root"]["/StructTreeRoot"], found)
    return reader, found


def assert_accessible_pdf(
    pdf: bytes, *, language: str = "da", alt_texts: tuple[str, ...] = (), tables: bool = False
) -> None:
    reader, elements = structure(pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title and reader.metadata.title.strip(" –-")
    kinds = [str(element["/S"]) for element in elements]
    headings = [int(kind[2:]) for kind in kinds if kind[:2] == "/H" and kind[2:].isdigit()]
    assert headings and headings[0] == 1, kinds
    for previous, current in zip(headings, headings[1:], strict=False):
        assert current <= previous + 1, f"heading level skipped: {headings}"
    if tables:
        assert "/Table" in kinds and "/TH" in kinds, kinds
    figures = [element for element in elements if element["/S"] == "/Figure"]
    for figure in figures:
        assert str(figure.get("/Alt", "")).strip(), "a figure without alternative text"
    alts = " ".join(str(figure.get("/Alt", "")) for figure in figures)
    for text in alt_texts:
        assert text in alts, (text, alts)
