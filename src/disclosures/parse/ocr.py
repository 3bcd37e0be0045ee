"""Pages without a usable text layer, read from their picture: rendered, deskewed, OCR'd.

A scanned page has no text at all, a garbled one has text that cannot be trusted
(pdfdoc.page_quality); both are read the same way, from what the page shows.
The page is rendered at DPI, its skew (a sheet askew on the scanner's glass, up
to a degree or two) measured and taken out, then read by rapidocr: PP-OCR's
detection and recognition models, which ship inside the wheel (nothing is
downloaded when it runs). rapidocr was chosen over tesseract by measuring both
on our scans (bench/ocr_engines.py, README "Scanned pages"): it read every
amount of the table pages exactly at 150-300 dpi, grey or 1-bit; tesseract lost
digits beside the table rules.

The OCR's characters become `OcrGlyph`s, placed on the page in PDF points like
pdfium's glyphs, each carrying the engine's confidence: from here on an OCR'd
page is read by the same code as a born-digital one (titles, units, the grid's
cells, the key mapping), except that its rules come from the image
(parse/imagegrid.py), and its cells' lineage says `ocr-rapidocr-<version>`.
rapidocr offers no restricted alphabet, so amount cells are not read with a
digit-only one; a misread figure is caught, if at all, by its table's identities,
whose failures name the OCR'd cells involved (validate/identities.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib.metadata import version

import numpy as np

from disclosures.pdfdoc import Glyph, Page, _lines

ENGINE = "rapidocr"
METHOD = f"ocr-{ENGINE}-{version(ENGINE)}"
DPI = 200  # PP-OCR reads 9-point table figures reliably from 150 dpi up; det time grows with the pixels
_MAX_SKEW = 2.0  # degrees searched when deskewing


@dataclass(frozen=True)
class OcrGlyph(Glyph):
    confidence: float = 1.0


@dataclass
class OcrPage:
    """A page as OCR read it: its glyphs (PDF points, displayed page) and its rules, from the deskewed image."""

    page: Page
    skew: float  # degrees the picture was turned by to straighten it
    ink: np.ndarray = field(repr=False)  # the deskewed page, 255 where ink is
    scale: float = DPI / 72  # pixels per point

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        """(x, y) pixel of the deskewed image -> PDF points (origin bottom-left)."""
        return x / self.scale, self.page.height - y / self.scale


@functools.cache
def engine():
    """One engine per process: the models load once (~0.1 s, ~150 MB) and serve every page the
    worker reads. The forkserver imports this module but does not load the models, so a worker
    that never meets a scan never pays for them."""
    from rapidocr import RapidOCR

    # One thread: the worker pool runs one worker per core already, and onnxruntime's spinning
    # threads fight each other for a busy core (a table page: 25.5 s with two, 15.7 s with one,
    # measured on this 2-core machine while other processes ran). No angle classifier: pages are
    # upright (displayed orientation), and deskewing takes out the rest.
    return RapidOCR(params={"Global.log_level": "warning", "Global.use_cls": False,
                            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                            "EngineConfig.onnxruntime.inter_op_num_threads": 1})


def render(pdf_page, dpi: int = DPI) -> np.ndarray:
    """The page as displayed, grey, at `dpi`."""
    bitmap = pdf_page.render(scale=dpi / 72, grayscale=True)
    return np.array(bitmap.to_numpy()[..., 0] if bitmap.to_numpy().ndim == 3 else bitmap.to_numpy())


def _ink(grey: np.ndarray) -> np.ndarray:
    import cv2

    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _rotate(image: np.ndarray, degrees: float, fill: int) -> np.ndarray:
    import cv2

    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def skew_of(ink: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise) that straightens the page: the one whose
    row profile is sharpest. Text lines and table rules both make a straight page's ink
    fall into narrow horizontal bands, so this works on narrative and table pages alike."""
    import cv2

    small = cv2.resize(ink, (ink.shape[1] // 3, ink.shape[0] // 3), interpolation=cv2.INTER_AREA)

    def sharpness(angle: float) -> float:
        rows = _rotate(small, angle, 0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    coarse = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, 0.25), key=sharpness)
    return round(float(max(np.arange(coarse - 0.25, coarse + 0.25 + 1e-9, 0.05), key=sharpness)), 2)


def read_page(pdf_page, number: int) -> OcrPage:
    """Render, deskew and OCR one page."""
    width, height = pdf_page.get_size()
    grey = render(pdf_page)
    skew = skew_of(_ink(grey))
    if skew:
        grey = _rotate(grey, skew, 255)
    scale = grey.shape[1] / width
    result = engine()(grey, return_word_box=True, return_single_char_box=True)
    glyphs = []
    for item in result.word_results or ():
        glyphs.extend(_glyphs(item, scale, height))
    page = Page(number, width, height, glyphs, _lines(glyphs))
    return OcrPage(page, skew, _ink(grey), scale)


def _glyphs(item, scale: float, height: float) -> list[OcrGlyph]:
    """One detected text line's characters as glyphs. The engine's character boxes are
    narrower than the characters' advance; within a line each glyph is widened to the
    next one's start, so a line's glyphs touch as a PDF's do (white space between them
    is then a real gap: textgrid cuts text blocks at gaps)."""
    chars = [(ch, float(score), np.asarray(box, dtype=float)) for ch, score, box in item if ch and not ch.isspace()]
    out = []
    for i, (ch, score, box) in enumerate(chars):
        x0, x1 = box[:, 0].min(), box[:, 0].max()
        if i + 1 < len(chars):
            x1 = max(x1, chars[i + 1][2][:, 0].min())
        top, bottom = box[:, 1].min(), box[:, 1].max()
        out.append(OcrGlyph(ch, x0 / scale, height - bottom / scale, x1 / scale, height - top / scale, round(score, 4)))
    return out


def confidence(glyphs) -> float | None:
    """A cell's confidence: its least certain character's (None for text from a PDF's text layer)."""
    scores = [g.confidence for g in glyphs if isinstance(g, OcrGlyph)]
    return round(min(scores), 4) if scores else None
