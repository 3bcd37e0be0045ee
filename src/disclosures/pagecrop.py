"""The printed figure behind a failed check, as a small PNG a browser shows inline.

A reviewer decides "bureau error or parser error" by looking at the page. The
Dagster UI renders markdown metadata with `data:` images, so a crop of the
page region travels inside the check's metadata: no file server, no leaving
the browser, and it shows what was printed even when the parser read nothing.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import ImageDraw

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, origin bottom-left

# Points of page kept above and below the figure: its row and a neighbour or two,
# enough to read the row's name and the column head's position.
MARGIN = 36.0
SCALE = 1.6  # ~115 dpi: the digits read clearly, the PNG stays a few kilobytes


def find_text(pdf: pdfium.PdfDocument, page: int, needles: list[str]) -> Box | None:
    """The box of the first of `needles` printed on the 1-based `page` (pdfium's own text search)."""
    textpage = pdf[page - 1].get_textpage()
    try:
        for needle in needles:
            if not needle:
                continue
            searcher = textpage.search(needle, match_case=False)
            found = searcher.get_next()
            if not found:
                continue
            start, count = found
            boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
            return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    finally:
        textpage.close()
    return None


def crop_png(pdf: pdfium.PdfDocument, page: int, box: Box) -> bytes:
    """The band of the page around `box`, full width, with the figure framed in red."""
    pdf_page = pdf[page - 1]
    width, height = pdf_page.get_size()
    x0, y0, x1, y1 = box
    bottom = max(0.0, y0 - MARGIN)
    top = min(height, y1 + MARGIN)
    image = pdf_page.render(scale=SCALE, crop=(0, bottom, 0, height - top)).to_pil().convert("RGB")
    draw = ImageDraw.Draw(image)
    # PIL counts y from the top of the crop; PDF points from the bottom of the page.
    frame = [(x0 - 2) * SCALE, (top - y1 - 2) * SCALE, (x1 + 2) * SCALE, (top - y0 + 2) * SCALE]
    draw.rectangle(frame, outline=(220, 30, 30), width=2)
    out = io.BytesIO()
    image.quantize(colors=16).save(out, format="PNG", optimize=True)
    return out.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def figure_crop(path: str | Path, page: int, box: Box | None = None, needles: list[str] | None = None) -> str | None:
    """A `data:` URI of the page region holding the figure: its landed cell's box when
    there is one, else where the page prints one of `needles`; None when neither is found
    (the page number still says where to look)."""
    path = Path(path)
    if not path.is_file() or not page:
        return None
    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page <= len(pdf):
            return None
        box = box or find_text(pdf, page, needles or [])
        return data_uri(crop_png(pdf, page, box)) if box else None
    finally:
        pdf.close()
