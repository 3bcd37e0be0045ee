"""Which pages of a document OCR reads, and what the parser takes from them.

parse/document.py asks here once per document: the pages whose text layer is
missing or garbled are OCR'd (parse/ocr.py) and stand in for the text layer;
their grids come from their pictures (parse/imagegrid.py) instead of camelot;
their cells' lineage names the engine and carries its confidence. A table page
whose table is a picture pasted under a typed title (a signed table scanned into
a born-digital export) keeps its text layer, and the picture's part is read by
OCR. Other pages with a good text layer are never OCR'd, so a born-digital
document is read exactly as before.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from disclosures.parse.grid import Cell, Grid
from disclosures.parse.ocr import METHOD, OcrPage, read_page
from disclosures.parse.ocr import confidence as _glyph_confidence
from disclosures.pdfdoc import Page, PdfDocument, _box, _lines, page_transform

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


Box = tuple[float, float, float, float]
PICTURE_SHARE = 0.2  # of its page's area: a picture this large holds a table, not a logo or a seal
# glyphs of the text layer a page with a pasted table may hold beside it: its head (title, 公开NN表,
# department, year, unit) and a note under it; a table printed in text beside a chart holds far more
HEAD_GLYPHS = 150


def pictures(doc: PdfDocument, numbers: list[int]) -> dict[int, list[Box]]:
    """The pictures of the given pages that a table may be printed in: image objects covering
    a fifth of their page or more with no text of the layer over them (a scan that carries
    its own OCR text layer is read from that layer), on a page whose text layer holds no more
    than a table's head beside them (a born-digital table beside a chart stays the text
    layer's, and is never OCR'd). Boxes in displayed page points."""
    out: dict[int, list[Box]] = {}
    # a born-digital table page prints hundreds of glyphs: it is passed over before pdfium
    # reopens the document to walk its objects (the walk cost ~22 ms a document)
    numbers = [n for n in numbers if len(doc.pages[n - 1].glyphs) <= HEAD_GLYPHS]
    if not numbers:
        return out
    pdf = pdfium.PdfDocument(doc.data)
    try:
        for n in numbers:
            page, pdf_page = doc.pages[n - 1], pdf[n - 1]
            transform = page_transform(pdf_page)
            boxes = []
            for obj in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
                x0, y0, x1, y1 = _box(transform, *obj.get_bounds())
                inside = sum(1 for g in page.glyphs if x0 <= g.cx <= x1 and y0 <= g.cy <= y1)
                if (x1 - x0) * (y1 - y0) >= PICTURE_SHARE * page.width * page.height and inside <= 2:
                    boxes.append((x0, y0, x1, y1))
            if boxes:
                out[n] = boxes
    finally:
        pdf.close()
    return out


def ocr_pages(doc: PdfDocument, numbers: list[int], pictured: dict[int, list[Box]] | None = None
              ) -> tuple[OcrPages, list[str]]:
    """OCR the given pages; what each gave, for the document's problems (a page OCR
    cannot read stays without text, and says why). A page in `pictured` keeps its text
    layer outside those pictures and takes OCR's characters only inside them."""
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
            if pictured and n in pictured:
                page.page = _merged(doc.pages[n - 1], page.page, pictured[n])
            out[n] = page
    finally:
        pdf.close()
    return out, problems


def _merged(layer: Page, read: Page, boxes: list[Box]) -> Page:
    """The text layer where it is, OCR's characters where the pictures are."""
    def inside(g) -> bool:
        return any(x0 <= g.cx <= x1 and y0 <= g.cy <= y1 for x0, y0, x1, y1 in boxes)

    glyphs = [g for g in layer.glyphs if not inside(g)] + [g for g in read.glyphs if inside(g)]
    return Page(layer.number, layer.width, layer.height, glyphs, _lines(glyphs))


def describe(quality: str, why: str, page: OcrPage) -> str:
    """The problem line of an OCR'd page: what was wrong with its text layer and how it was read."""
    what = {"image-only": "image-only, no text layer", "pictured": why}.get(quality, f"garbled text layer ({why})")
    return (f"page {page.page.number}: {what}; read by OCR ({METHOD}, deskewed {page.skew:+.2f}°, "
            f"{len(page.page.glyphs)} characters)")


def method(cell: Cell, ocred: OcrPages) -> str:
    return METHOD if cell.page in ocred else cell.method


def confidence(cell: Cell) -> float | None:
    return _glyph_confidence(cell.glyphs)
