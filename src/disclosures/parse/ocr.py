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
    return _recognise(grey, _text_boxes(grey, ink, scale))


def _text_boxes(grey: np.ndarray, ink: np.ndarray, scale: float) -> list[tuple[int, ...]]:
    """Where the page's text is: the detector's boxes (x0, y0, x1, y1 in pixels, then the ink's top and bottom), each cut at
    the vertical rules that cross it. The detector sees ink, not a table's rules, and joins
    a figure to its neighbour across a rule when they sit close (`299.4430206` from 299.44 |
    30206); read whole, such a box's characters are placed by the recogniser's estimate and
    the last digit of a figure can land past its cell's rule (`125.0` | `0`). Cut at the
    rules, every piece lies inside one cell, so every character it reads is in that cell.
    Then each piece is shrunk to its ink (_tight) and cut at wide white (_at_gaps); characters
    the detector missed get boxes of their own (_missed)."""
    from disclosures.parse.imagegrid import table_walls

    det = engine()._load_det_model()(np.dstack([grey] * 3))
    found = []
    for quad in det.boxes if det.boxes is not None else ():
        x0, y0 = np.floor(quad.min(axis=0)).astype(int)
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
        found.append((max(int(x0), 0), max(int(y0), 0), min(int(x1), grey.shape[1]), min(int(y1), grey.shape[0])))
    walls = table_walls(ink, scale)
    text, ruled = _text_ink(ink, scale, walls)
    runs = _runs(text, scale)
    found = [_widened(runs, box) for box in found]
    spans = []
    for x0, y0, x1, y1 in found + _missed(runs, found, scale):
        mid = (y0 + y1) / 2
        # the rule's whole stroke goes, a pixel of its blur either side with it, wherever
        # it overlaps the box (a box ending on a rule would read its stroke as a `1`)
        parts = [(x0, x1)]
        for _, _, _, first, last in (r for r in walls if r[0] <= mid <= r[1]):
            parts = [part for a, b in parts for part in ((a, min(b, first - 1)), (max(a, last + 2), b)) if part[1] > part[0]]
        for a, b in parts:
            if (a, b) != (x0, x1) and b - a < 0.2 * (y1 - y0):
                continue  # what the detector's box held beside the rule: the rule's blur, never a character
            # and at a horizontal rule across it: the detector joins a line of text to the
            # header cell's text under it (公开02表 over 事业收入), the rule between them
            across = np.flatnonzero((ruled[y0:y1, a:b] > 0).mean(axis=1) > 0.8)
            edges = [y0] + [y0 + int(r) for r in across] + [y1]
            spans.extend((a, c, b, d) for c, d in zip(edges, edges[1:]) if d - c > 2)
    # Boxes overlap (the detector's box for a cell reaches a few pixels into the next cell):
    # the widest read first, and a box whose every character another box has read is not
    # read again (it would add a second copy of a figure's last digit to its neighbour).
    claimed = np.zeros(text.shape, bool)
    out = []
    for a, y0, b, y1 in sorted(spans, key=lambda s: s[0] - s[2]):
        box = _tight(text, ruled, a, y0, b, y1, scale)
        if not box:
            continue
        x0, top, x1, bottom = box[:4]
        mine = text[top:bottom, x0:x1] > 0
        if not (mine & ~claimed[top:bottom, x0:x1]).any():
            continue
        claimed[top:bottom, x0:x1] |= mine
        out.extend(_at_gaps(text, ruled, box, scale))
    return out


def _at_gaps(text: np.ndarray, ruled: np.ndarray, box, scale: float) -> list[tuple[int, ...]]:
    """The box cut where white space separates two texts. The detector joins text across
    white where no rule separates it (a three-line table's 行次 `1` and the amount beside
    it, an amount and the next column's `一、`), and a box's characters become glyphs that
    touch (`_glyphs`): cut here, the white between them stays a gap, and textgrid sees two
    blocks as it does on a born-digital page. White wider than the text is tall always
    separates; white a third as wide only between two pieces at least 1.5 times as long as
    the text is tall (the white beside `一` inside `（一）` or after a `、` is that wide too;
    the white inside 政 or 川, or between two characters, is a tenth)."""
    x0, y0, x1, y1 = box[:4]
    part = text[y0:y1, x0:x1] > 0
    rows = np.flatnonzero(part.any(axis=1))
    height = rows[-1] - rows[0] + 1
    inked = np.concatenate(([True], part.any(axis=0), [True]))
    flips = np.flatnonzero(inked[1:] != inked[:-1])  # white runs: [flips[2k], flips[2k+1])
    gaps = [(a, b) for a, b in zip(flips[::2], flips[1::2]) if 0 < a and b < len(inked) - 2 and b - a >= height / 3]
    cuts = [(a, b) for a, b in gaps if b - a >= height]
    for a, b in gaps:
        left = max([e for _, e in cuts if e <= a], default=0)
        right = min([s for s, _ in cuts if s >= b], default=x1 - x0)
        if (a, b) not in cuts and a - left >= 1.5 * height and right - b >= 1.5 * height:
            cuts.append((a, b))
    if not cuts:
        return [box]
    edges = [x0] + [x0 + (a + b) // 2 for a, b in sorted(cuts)] + [x1]
    return [piece for a, b in zip(edges, edges[1:]) if (piece := _tight(text, ruled, a, y0, b, y1, scale))]


def _text_ink(ink: np.ndarray, scale: float, walls) -> tuple[np.ndarray, np.ndarray]:
    """The page's ink split in two: what is no rule (text, noise), and the rules with their
    blur: runs of imagegrid's horizontal rule length (24 pt; no character's stroke is that
    long) either way, and the tables' walls however short. Not every vertical run of 10 pt
    (imagegrid's shortest wall): a title's large characters have strokes that tall, and
    taken for rules they would leave white columns inside the characters (`_at_gaps`
    would cut 算 in two)."""
    import cv2

    from disclosures.parse.imagegrid import H_RULE_PT

    rules = np.zeros_like(ink)
    for size in ((int(H_RULE_PT * scale), 1), (1, int(H_RULE_PT * scale))):
        rules |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
    for y0, y1, _, first, last in walls:
        rules[y0:y1, first:last + 1] = ink[y0:y1, first:last + 1]
    ruled = cv2.dilate(rules, np.ones((5, 5), np.uint8))
    return ink & ~ruled, ruled


def _runs(text: np.ndarray, scale: float):
    """The text ink's runs: characters closer than about a character's width joined along
    the line (count, labels, stats as cv2.connectedComponentsWithStats gives them)."""
    import cv2

    joined = cv2.dilate(text, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(2.5 * scale)), 1)))
    return cv2.connectedComponentsWithStats(joined, connectivity=8)[:3]


def _widened(runs, box) -> tuple[int, int, int, int]:
    """The detector's box reaching over a character it left out at either end of its line.
    Looking at a shrunken page, the detector loses a thin stroke there: the leading 一 of
    一般公共预算财政拨款, the 一 and 二 of 一、 and 二、 (a third of a pixel tall at that size).
    Such a character is joined to the box's run of ink (`_runs`) and sticks out of the box by
    one character's width at most; a run sticking out further is a neighbouring box's text
    (the detector splits a line in two), and a run centred above or below the box is the
    line above or below, which a loose box grazes."""
    _, labels, stats = runs
    x0, y0, x1, y1 = box
    reach = 1.5 * (y1 - y0)
    held = np.unique(labels[y0:y1, x0:x1])
    left, right = x0, x1
    for x, y, w, h, _ in stats[held[held > 0]]:
        if y0 <= y + h / 2 < y1:
            if 0 < x0 - x <= reach:
                left = min(left, int(x))
            if 0 < x + w - x1 <= reach:
                right = max(right, int(x + w))
    return left, y0, right, y1


def _missed(runs, found, scale: float) -> list[tuple[int, int, int, int]]:
    """Boxes around the characters the detector did not see. Looking at a shrunken page it
    can miss a lone narrow figure in a cell of its own (the `1` of 车辆数, a `9` in a 栏次
    column); such a character is ink that is no rule, as tall as a figure, and touches no
    box (a character a box holds only in part is that box's: read again, it would be a
    second `1`). Neighbouring characters (closer than about a character's width) make one box."""
    count, labels, stats = runs
    covered = np.zeros(labels.shape, bool)
    for x0, y0, x1, y1 in found:
        covered[y0:y1, x0:x1] = True
    touching = np.bincount(labels[covered], minlength=count) > 0
    tall = 4.5 * scale  # a figure's digits stand 6-7 pt; noise, dots and dashes are lower
    pad = int(scale)
    return [(max(int(x) - pad, 0), max(int(y) - pad, 0), int(x + w) + pad, int(y + h) + pad)
            for i, (x, y, w, h, _) in enumerate(stats[:count]) if i and not touching[i] and tall <= h <= 4 * tall]


def _tight(text: np.ndarray, ruled: np.ndarray, x0: int, y0: int, x1: int, y1: int, scale: float):
    """The box shrunk to the text ink it holds, with a margin of white, and the ink's top and
    bottom: (x0, y0, x1, y1, ink_top, ink_bottom); None if it holds
    none (a piece of rule, its blur). The detector, looking at a shrunken page, draws
    loose and slightly turned boxes; the recogniser reads best when the text fills most
    of the crop's height with white around it, as it was trained (cut flush to its ink,
    （一） read （D）). Ink lower than 1.5 pt reads as no figure (a dash means "not
    applicable", as a blank does: normalize.parse_amount). The margin may reach past the
    box and stops at any other ink or rule: a rule's stroke at a crop's edge reads as a `1`."""
    part = text[y0:y1, x0:x1] > 0
    if not part.any():
        return None
    rows, cols = np.flatnonzero(part.any(axis=1)), np.flatnonzero(part.any(axis=0))
    top, bottom, left, right = y0 + rows[0], y0 + rows[-1] + 1, x0 + cols[0], x0 + cols[-1] + 1
    inked = int(top), int(bottom)
    if bottom - top < 1.5 * scale:
        return None  # a speck, a dash, a rule's ragged edge: nothing that stands as tall as a figure
    margin = max(3, (bottom - top) // 4)
    height, width = text.shape
    wy0, wy1, wx0, wx1 = max(top - margin, 0), min(bottom + margin, height), max(left - margin, 0), min(right + margin, width)
    blocked = (text[wy0:wy1, wx0:wx1] > 0) | (ruled[wy0:wy1, wx0:wx1] > 0)
    blocked[top - wy0:bottom - wy0, left - wx0:right - wx0] = False  # the box's own ink
    rows_blocked = blocked[:, left - wx0:right - wx0].any(axis=1)

    def grow(i: int, step: int, lo: int, hi: int, stop) -> int:
        while lo <= i + step < hi and not stop[i + step]:
            i += step
        return i

    top = wy0 + grow(top - wy0, -1, 0, len(rows_blocked), rows_blocked)
    bottom = wy0 + grow(bottom - 1 - wy0, 1, 0, len(rows_blocked), rows_blocked) + 1
    cols_blocked = blocked[top - wy0:bottom - wy0].any(axis=0)
    left = wx0 + grow(left - wx0, -1, 0, len(cols_blocked), cols_blocked)
    right = wx0 + grow(right - 1 - wx0, 1, 0, len(cols_blocked), cols_blocked) + 1
    return int(left), int(top), int(right), int(bottom), *inked


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
