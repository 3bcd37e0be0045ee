"""Which pages of a document OCR reads, and what the parser takes from them.

parse/document.py asks here once per document: the pages whose text layer is
missing or garbled are OCR'd (parse/ocr.py) and stand in for the text layer;
their grids come from their pictures (parse/imagegrid.py) instead of camelot;
their cells' lineage names the engine and carries its confidence. Pages with a
good text layer are never OCR'd, so a born-digital document is read exactly as
before.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from disclosures.parse.grid import Cell, Grid
from disclosures.parse.ocr import METHOD, OcrPage, read_page
from disclosures.parse.ocr import confidence as _glyph_confidence
from disclosures.pdfdoc import PdfDocument

# what page_quality calls pages OCR can read; `unplaced` text is in the layer, only
# its positions are unknown, and OCR would make it a second reading of the same page
OCR_READS = ("image-only", "garbled")


class OcrPages(dict):
    """Page number -> OcrPage, for the pages read by OCR."""

    def grids(self, pages: list[int]) -> dict[int, list[Grid]]:
        from disclosures.parse.imagegrid import image_grids

        out = {}
        for n in pages:
            grids = image_grids(self[n])
            if grids:
                out[n] = grids
        return out

    def rules(self) -> dict:
        from disclosures.parse.imagegrid import horizontal_rules

        return {n: horizontal_rules(page) for n, page in self.items()}


def ocr_pages(doc: PdfDocument, numbers: list[int]) -> tuple[OcrPages, list[str]]:
    """OCR the given pages; what each gave, for the document's problems (a page OCR
    cannot read stays without text, and says why)."""
    out, problems = OcrPages(), []
    if not numbers:
        return out, problems
    pdf = pdfium.PdfDocument(doc.data)
    try:
        for n in numbers:
            try:
                page: OcrPage = read_page(pdf[n - 1], n)
            except Exception as exc:  # noqa: BLE001 - one page's picture costs that page only
                msg = re.sub(r"\s+at 0x[0-9a-fA-F]+", "", str(exc)).strip()[:120]
                problems.append(f"page {n}: OCR failed ({type(exc).__name__}: {msg}); nothing was read from it")
                continue
            out[n] = page
    finally:
        pdf.close()
    return out, problems


def describe(quality: str, why: str, page: OcrPage) -> str:
    """The problem line of an OCR'd page: what was wrong with its text layer and how it was read."""
    what = "image-only, no text layer" if quality == "image-only" else f"garbled text layer ({why})"
    return (f"page {page.page.number}: {what}; read by OCR ({METHOD}, deskewed {page.skew:+.2f}°, "
            f"{len(page.page.glyphs)} characters)")


def method(cell: Cell, ocred: OcrPages) -> str:
    return METHOD if cell.page in ocred else cell.method


def confidence(cell: Cell) -> float | None:
    return _glyph_confidence(cell.glyphs)
