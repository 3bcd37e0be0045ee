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
import re
from dataclasses import dataclass, field
from importlib.metadata import version

import numpy as np

from disclosures.parse.ocr_boxes import text_boxes
from disclosures.pdfdoc import Glyph, Page, _lines

ENGINE = "rapidocr"
METHOD = f"ocr-{ENGINE}-{version(ENGINE)}"
DPI = 200  # PP-OCR reads 9-point table figures reliably from 150 dpi up; det time grows with the pixels
_MAX_SKEW = 2.0  # degrees searched when deskewing
_DET_SIDE = 1024  # px, the long side of the picture text detection looks at
_STROKE_PT = 2.0  # pt: the most a flat stroke (一, 二, a dash) stands, anti-aliasing included


_DECIMAL_COMMA = re.compile(r"(?<![\d,.])\d+(?:,\d{3})*,\d{2}$")  # a figure ending `,dd`


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
    # Detection runs on the page shrunk to _DET_SIDE px on its long side: finding where text is
    # needs no fine detail, and the model's time and memory grow with the pixels (a 200-dpi table
    # page: 4.1 s and 920 MB at rapidocr's default, 1.2 s and 440 MB at 1,024 px). Recognition
    # reads crops of the full-resolution page. rapidocr pads every crop to 320 px wide (its
    # rec_img_shape) before recognising it, so a cell's 100-px figure cost as much as a 320-px
    # line (28 ms); with the minimum width at 96 px a figure costs 12 ms (measured on our
    # table pages: the same text but for two `.` read as `,`, see _glyphs). One crop at a time:
    # a batch is padded to its longest crop, so a crop's reading depended on its neighbours
    # (49.91 read 49,91 in one batch, not in another), and a batch of a narrative page's
    # full-width lines took the worker's address space past 2 GB (its limit; 1.5 GB for
    # that page alone at 6 a batch, 1.15 GB one at a time), for ~5% more time.
    return RapidOCR(params={"Global.log_level": "warning", "Global.use_cls": False,
                            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                            "Det.limit_type": "max", "Det.limit_side_len": _DET_SIDE,
                            "Rec.rec_img_shape": [3, 48, 96], "Rec.rec_batch_num": 1})


def render(pdf_page, dpi: int = DPI) -> np.ndarray:
    """The page as displayed, grey, at `dpi`."""
    bitmap = pdf_page.render(scale=dpi / 72, grayscale=True)
    return np.array(bitmap.to_numpy()[..., 0] if bitmap.to_numpy().ndim == 3 else bitmap.to_numpy())


def _ink(grey: np.ndarray) -> np.ndarray:
    """255 where the page is inked: darker than Otsu's threshold, and the whole of a thin
    flat stroke that is only partly so. A horizontal stroke thinner than a pixel row lands
    on two rows of light grey (the 一 of 一般 and the strokes of 二 at 200 dpi: 176 and 192
    where the threshold is 156) and only its end knob is dark: a crop cut to the ink
    would leave the character out."""
    import cv2

    threshold, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    light = (grey < (threshold + 255) / 2).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=8)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    stroke = (h <= _STROKE_PT * DPI / 72) & (w >= 3 * h)
    stroke[0] = False
    ink[stroke[labels]] = 255
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
    ink = _ink(grey)
    scale = grey.shape[1] / width
    glyphs = []
    for _, chars in read_image(grey, ink, scale):
        glyphs.extend(_glyphs(chars, scale, height))
    page = Page(number, width, height, glyphs, _lines(glyphs))
    return OcrPage(page, skew, ink, scale)


def read_image(grey: np.ndarray, ink: np.ndarray, scale: float) -> list[tuple[str, list]]:
    """What a deskewed page picture (`scale` pixels a point) says: each text box's text and
    characters (char, score, 4-point box in pixels). bench/ocr_engines.py reads through here too."""
    return _recognise(grey, text_boxes(_detect(grey), ink, scale))


def _detect(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The detector's text boxes (x0, y0, x1, y1 in pixels), from the page shrunk to _DET_SIDE."""
    det = engine()._load_det_model()(np.dstack([grey] * 3))
    found = []
    for quad in det.boxes if det.boxes is not None else ():
        x0, y0 = np.floor(quad.min(axis=0)).astype(int)
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
        found.append((max(int(x0), 0), max(int(y0), 0), min(int(x1), grey.shape[1]), min(int(y1), grey.shape[0])))
    return found


def _recognise(grey: np.ndarray, boxes) -> list[tuple[str, list]]:
    """Each box's text and its characters: (char, score, 4-point box in page pixels)."""
    if not boxes:
        return []
    eng = engine()
    colour = np.dstack([grey] * 3)
    # rapidocr takes a crop 1.5 times taller than wide for vertical text and lays its characters
    # out top to bottom (a code `11` in a narrow 款 column became two lines): a narrow crop is
    # widened with white to the right, so it is read, and placed, as the line it is
    boxes = [(x0, y0, max(x1, x0 + int((y1 - y0) / 1.4) + 1), y1, *rest) for x0, y0, x1, y1, *rest in boxes]
    crops = [_white_right(colour[y0:y1, x0:min(x1, grey.shape[1])], x1 - x0) for x0, y0, x1, y1, *_ in boxes]
    quads = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]] for x0, y0, x1, y1, *_ in boxes], dtype=np.float32)
    eng.update_params(return_word_box=True, return_single_char_box=True)
    rec = eng.recognize_txt(crops)
    keep = [i for i, t in enumerate(rec.txts) if t.strip()]
    crops, quads, inked = [crops[i] for i in keep], quads[keep], [boxes[i][4:] for i in keep]
    rec.txts = tuple(rec.txts[i] for i in keep)
    rec.scores = tuple(rec.scores[i] for i in keep)
    rec.word_results = tuple(rec.word_results[i] for i in keep)
    if not keep:
        return []
    words = eng.cal_rec_boxes(crops, quads, rec, True).word_results
    # A character's box is the crop's height, its white margin included; its ink's top and
    # bottom place it on its line as a PDF glyph's box does (margins would make two lines one).
    return [(text, [(ch, sc, [[x, top] if y <= (top + bottom) / 2 else [x, bottom] for x, y in box])
                    for ch, sc, box in chars])
            for text, score, chars, (top, bottom) in zip(rec.txts, rec.scores, words, inked)
            if score >= eng.text_score]


def _white_right(crop: np.ndarray, width: int) -> np.ndarray:
    if crop.shape[1] >= width:
        return crop
    return np.pad(crop, ((0, 0), (0, width - crop.shape[1]), (0, 0)), constant_values=255)


def _glyphs(chars, scale: float, height: float) -> list[OcrGlyph]:
    """One text box's characters as glyphs. The engine's character boxes are
    narrower than the characters' advance; within a box each glyph is widened to the
    next one's start, so a line's glyphs touch as a PDF's do (white space between them
    is then a real gap: textgrid cuts text blocks at gaps)."""
    chars = [(ch, float(score), np.asarray(box, dtype=float)) for ch, score, box in chars if ch and not ch.isspace()]
    text = "".join(ch for ch, _, _ in chars)
    if _DECIMAL_COMMA.search(text):
        # The recogniser tells `.` from `,` by a tail a few pixels long, and on a narrow crop
        # sometimes reads a figure's decimal point as a comma (49,91 for 49.91; measured on
        # our scans). A comma before exactly two final digits can be no thousands separator
        # (those stand before three), so it is read as what it then must be: the point.
        at = text.rindex(",")
        chars[at] = (".",) + chars[at][1:]
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
