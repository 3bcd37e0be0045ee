"""Opening a PDF once: its identity, whether it is readable, and its text layer.

Everything downstream (table finding, the grid's cell text, the narrative)
reads glyphs from here, so the file is parsed by pdfium exactly once.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


class RejectedDocument(Exception):
    """The file is not a readable PDF; the message says why, for a person."""


@dataclass(frozen=True)
class Glyph:
    char: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Line:
    """Glyphs sharing a baseline band, left to right."""

    glyphs: list[Glyph]

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def y0(self) -> float:
        return min(g.y0 for g in self.glyphs)

    @property
    def y1(self) -> float:
        return max(g.y1 for g in self.glyphs)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    lines: list[Line] = field(default_factory=list)
    unmapped: int = 0  # glyphs pdfium could not map to Unicode (a font without a usable ToUnicode map)
    unmeasured: int = 0  # glyphs left out: their font gives no ascent, descent or width to place them by

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class PdfDocument:
    path: Path
    sha256: str
    data: bytes  # bytes camelot can read (decrypted when only an owner password was set)
    pages: list[Page]

    @property
    def page_count(self) -> int:
        return len(self.pages)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _sniff(data: bytes) -> None:
    """Reject what is plainly not a PDF; whether a PDF is readable, pdfium decides (`open_pdf`)."""
    if not data:
        raise RejectedDocument("empty file (0 bytes)")
    head = data[:1024].lstrip()
    if not head.startswith(b"%PDF-"):
        low = head[:200].lower()
        if b"<html" in low or b"<!doctype" in low:
            raise RejectedDocument("not a PDF: the file is an HTML page (a saved web page or an error page)")
        raise RejectedDocument(f"not a PDF: the file starts with {head[:16]!r}")


def _message(exc: Exception) -> str:
    """A library's error text without what differs from run to run.

    Reasons are compared across runs, so none may carry an object's repr with
    its memory address (qpdf named an in-memory file `<_io.BytesIO object at
    0x7f…>`; its errors no longer reach a reason, pdfium's do)."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", str(exc)).strip().rstrip(".")


def _unopenable(data: bytes, exc: Exception) -> str:
    """Why pdfium could not open a file that starts like a PDF.

    A download cut short stops inside an object: after the last `endobj`
    comes neither `startxref` nor `%%EOF`. A whole file has them, wherever
    its last bytes are (servers append newlines or HTML after `%%EOF`), so
    this only words the reason; whether the file is read is pdfium's call.
    """
    why = _message(exc)
    if "password" in why.lower():
        return "encrypted: the PDF needs a password to open"
    tail = data[max(data.rfind(b"endobj"), 0):]
    if b"startxref" not in tail and b"%%EOF" not in tail:
        return "truncated PDF: pdfium cannot open it, and the file ends inside an object with no end-of-file marker after it (an incomplete download?)"
    return f"corrupt PDF: pdfium cannot open it ({why})"


def _unlock(data: bytes) -> bytes:
    """Bytes without encryption, for a PDF that opens without a user password.

    Many government PDFs carry only an owner password that forbids copying;
    the text is still readable, but camelot refuses documents whose
    permissions forbid extraction, so it gets a decrypted copy. A file qpdf
    cannot parse is passed on as it is: pdfium repairs more than qpdf does,
    and pdfium decides whether it is read.
    """
    import io

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if not pdf.is_encrypted:
                return data
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
    except pikepdf.PasswordError as exc:
        raise RejectedDocument("encrypted: the PDF needs a password to open") from exc
    except pikepdf.PdfError:
        return data


def _lines(glyphs: list[Glyph]) -> list[Line]:
    """Cluster glyphs into lines, top to bottom.

    Tall glyphs found the lines; small ones (`.`, `,`, `一`) whose outline box
    sits off the line's middle join the line whose band holds their centre, or
    failing that the line their box overlaps most.
    """
    lines: list[list[Glyph]] = []
    bands: list[tuple[float, float]] = []
    boxes: list[tuple[float, float]] = []
    founder_h = 0.0
    # Glyphs of one font on one baseline share their centre exactly; bands are only ever
    # appended, so the first band holding a centre, once found, stays the first.
    first_band: dict[float, int] = {}
    for g in sorted(glyphs, key=lambda g: -(g.y1 - g.y0)):
        h = max(g.y1 - g.y0, 1.0)
        cy = g.cy
        target = first_band.get(cy)
        if target is None:
            target = next((i for i, (lo, hi) in enumerate(bands) if lo <= cy <= hi), None)
            if target is not None:
                first_band[cy] = target
        if target is None and founder_h and h < 0.6 * founder_h:
            overlaps = [min(hi, g.y1) - max(lo, g.y0) for lo, hi in boxes]
            best = max(range(len(overlaps)), key=overlaps.__getitem__, default=None)
            if best is not None and overlaps[best] > 0:
                target = best
        if target is None:
            founder_h = founder_h or h
            bands.append((cy - h * 0.45, cy + h * 0.45))
            boxes.append((g.y0, g.y1))
            lines.append([g])
        else:
            lines[target].append(g)
    out = [Line(sorted(gs, key=lambda g: g.x0)) for gs in lines]
    out.sort(key=lambda line: -line.y1)
    return out


def _displayed(rotation: int, mediabox: tuple[float, float, float, float]):
    """Map from PDF user space to the page as displayed (after /Rotate), where text runs left to right.

    pdfium reports glyph boxes in user space, camelot (playa) reports rules and
    cells on the displayed page: a landscape table on a portrait sheet turned by
    /Rotate 90 must be read in displayed coordinates by both.
    """
    mx0, my0, mx1, my1 = mediabox
    w, h = mx1 - mx0, my1 - my0
    if rotation == 90:
        return lambda x, y: (y - my0, w - (x - mx0))
    if rotation == 180:
        return lambda x, y: (w - (x - mx0), h - (y - my0))
    if rotation == 270:
        return lambda x, y: (h - (y - my0), x - mx0)
    return None


def page_transform(pdf_page):
    """The user-space -> displayed-page map of a pdfium page (None when not rotated)."""
    return _displayed(pdf_page.get_rotation() % 360, pdf_page.get_mediabox())


def _box(transform, x0, y0, x1, y1) -> tuple[float, float, float, float]:
    if transform is None:
        return x0, y0, x1, y1
    (ax, ay), (bx, by) = transform(x0, y0), transform(x1, y1)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


# FPDFText_GetTextObject returning a plain address, a key for the object's font metrics
# (casting each typed pointer costs more than the call)
_text_object_address = ctypes.CFUNCTYPE(ctypes.c_void_p, pdfium_c.FPDF_TEXTPAGE, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value)


def _em_box(a, b, c, d, x, y, advance, low, high) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1): the glyph's em box in user space, from its origin (x, y), the
    text-to-user matrix (a b c d), its advance and the font's descent and ascent (text
    space); None when the font gives no height or the glyph no width to place it by."""
    if high - low < 1e-6 or advance < 1e-6:
        return None
    xs = [x + a * u + c * v for u in (0.0, advance) for v in (low, high)]
    ys = [y + b * u + d * v for u in (0.0, advance) for v in (low, high)]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if x1 - x0 < 0.01 or y1 - y0 < 0.01:
        return None
    return x0, y0, x1, y1


def _dropped_text(count: int, get) -> int:
    """How many text objects in a font the PDF does not embed have no width (see page_glyphs).

    Such an object's glyph has no outline in the font pdfium substituted, and pdfium's
    text layer leaves out every text object without width. An embedded font's outline
    comes from the PDF, so its empty glyphs (a space on its own) are left out on every
    machine alike and need nothing here."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    dropped = 0
    for k in range(count):
        obj = get(k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            if right.value - left.value < 0.01 and not pdfium_c.FPDFFont_GetIsEmbedded(pdfium_c.FPDFTextObj_GetFont(obj)):
                dropped += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            dropped += _dropped_text(pdfium_c.FPDFFormObj_CountObjects(obj), lambda j, form=obj: pdfium_c.FPDFFormObj_GetObject(form, j))
    return dropped


@functools.lru_cache(maxsize=1)
def _playa_document(data: bytes):
    """The document as playa reads it, once for all its pages that need it (user space, as pdfium)."""
    import playa  # only for the few documents that need it

    return playa.parse(data, space="default")


def _missing_glyphs(data: bytes, number: int, transform, have: list[Glyph]) -> list[Glyph] | None:
    """The glyphs of a page that pdfium's text layer left out, read by playa from the
    PDF's own operators and metrics and placed as page_glyphs places glyphs: from the
    origin, the advance width, and the font's ascent and descent at its size. (pdfium's
    objects give neither the character nor the width of a text object it left out.)
    None when playa cannot read the page (a file only pdfium's repairs open)."""
    try:
        return _placed_by_playa(data, number, transform, have)
    except Exception:  # whatever stops the second reader, the glyphs are not recovered
        return None


def _placed_by_playa(data: bytes, number: int, transform, have: list[Glyph]) -> list[Glyph]:
    seen: dict[str, list[tuple[float, float]]] = {}
    for g in have:
        seen.setdefault(g.char, []).append((g.x0, g.y0))
    out = []
    for glyph in _playa_document(data).pages[number - 1].glyphs:
        ch = glyph.text
        if not ch or ch.isspace():
            continue  # (one without a Unicode map: pdfium's judgment of the page stands)
        a, b, c, d, e, f = glyph.matrix  # (font size included)
        font = glyph.font
        box = _em_box(a, b, c, d, e, f, font.hdisp(glyph.cid), font.descent / 1000, font.ascent / 1000)
        if box is None:
            continue
        x0, y0, x1, y1 = _box(transform, *box)
        if any(abs(x0 - gx) < 0.5 and abs(y0 - gy) < 0.5 for gx, gy in seen.get(ch[0], ())):
            continue  # pdfium has it
        out.append(Glyph(ch[0], x0, y0, x1, y1))
    return out


def page_glyphs(pdf_page) -> tuple[list[Glyph], int, int, bool]:
    """The page's visible glyphs in displayed coordinates, how many of them pdfium could
    not map to Unicode, how many have no position the PDF itself gives, and whether any
    is in a font the PDF does not embed.

    Each glyph is placed by what the PDF says, never by the outline of whatever font the
    host substitutes for one the PDF does not embed (STSong-Light, 宋体, Helvetica): on a
    host without it pdfium's outline box is zero-height, and with another font of that
    name its outline is another size. Horizontally a glyph spans its advance (pdfium's
    loose box: the glyphs of a word touch, so gaps between words are real white space);
    vertically, from the font's descent to its ascent at the glyph's size, both from the
    PDF's font descriptor. pdfium's loose box is not used vertically: it is widened to
    the outline wherever the outline reaches beyond the declared metrics.

    pdfium's text layer also leaves out a text object whose glyphs have no outline (a
    lone character wrapped onto the next line of a table header, in a font the host
    lacks); _pages reads such glyphs from the PDF itself (_missing_glyphs).
    A glyph whose font declares no ascent and descent, and has no program to take them
    from, is counted, not placed by a guess; so is one without width. Text turned by
    the text matrix (a vertical label) keeps pdfium's loose box.

    Every page of every document passes through here, so it calls pdfium's C API
    directly: the helpers' per-call buffers and range checks cost more than the text."""
    transform = page_transform(pdf_page)
    tp = pdf_page.get_textpage()
    raw = tp.raw
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    ascent, descent = ctypes.c_float(), ctypes.c_float()
    fonts: dict[int | None, tuple] = {}  # text object -> its matrix, descent and ascent (text space)
    out, unmapped, unmeasured, unembedded = [], 0, 0, False
    try:
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if not code:
                continue
            ch = chr(code)
            if ch.isspace() or not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                continue
            unmapped += pdfium_c.FPDFText_HasUnicodeMapError(raw, i) == 1
            key = _text_object_address(raw, i)
            if key not in fonts:
                pdfium_c.FPDFText_GetMatrix(raw, i, matrix)
                size = pdfium_c.FPDFText_GetFontSize(raw, i)
                font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(raw, i))
                if not (pdfium_c.FPDFFont_GetAscent(font, size, ascent) and pdfium_c.FPDFFont_GetDescent(font, size, descent)):
                    ascent.value = descent.value = 0.0
                unembedded = unembedded or not pdfium_c.FPDFFont_GetIsEmbedded(font)
                fonts[key] = (matrix.a, matrix.b, matrix.c, matrix.d, descent.value, ascent.value)
            a, b, c, d, low, high = fonts[key]
            pdfium_c.FPDFText_GetCharOrigin(raw, i, ox, oy)
            x, y = ox.value, oy.value
            # the advance: how far the loose box reaches from the origin along the baseline
            if abs(a) >= abs(b):
                advance = ((rect.right - x) if a > 0 else (x - rect.left)) / abs(a)
            else:
                advance = ((rect.top - y) if b > 0 else (y - rect.bottom)) / abs(b)
            if b == 0.0 and c == 0.0 and a > 0 and d > 0:  # upright, nearly every glyph: no corners to turn
                box = (x, y + d * low, x + a * advance, y + d * high)
                if advance < 1e-6 or box[3] - box[1] < 0.01 or box[2] - box[0] < 0.01:
                    box = None
            else:
                box = _em_box(a, b, c, d, x, y, advance, low, high)
            if box is None:
                unmeasured += 1
                continue
            out.append(Glyph(ch, *_box(transform, *box)))
    finally:
        tp.close()
    return out, unmapped, unmeasured, unembedded


def _pages(doc, data: bytes) -> list[Page]:
    pdf_pages = [_load_page(doc, i) for i in range(len(doc))]
    read = [page_glyphs(pdf_page) for pdf_page in pdf_pages]
    # A font left out of the PDF may have lone glyphs pdfium's text layer dropped. Where
    # every glyph pdfium kept is in an embedded font, none is dropped: the pages need
    # no second look (most documents, and this walk over each page's objects costs).
    recover = any(unembedded for *_, unembedded in read)
    pages = []
    for i, (pdf_page, (glyphs, unmapped, unmeasured, _)) in enumerate(zip(pdf_pages, read)):
        raw = pdf_page.raw
        dropped = recover and _dropped_text(pdfium_c.FPDFPage_CountObjects(raw), lambda k: pdfium_c.FPDFPage_GetObject(raw, k))
        if dropped:
            missing = _missing_glyphs(data, i + 1, page_transform(pdf_page), glyphs)
            if missing is None:
                unmeasured += dropped  # text left out and not recovered: the page says so
            else:
                glyphs = glyphs + missing
        width, height = pdf_page.get_size()  # as displayed
        pages.append(Page(i + 1, width, height, glyphs, _lines(glyphs), unmapped, unmeasured))
    return pages


def _load_page(doc, index: int):
    try:
        return doc[index]
    except pdfium.PdfiumError as exc:
        raise RejectedDocument(f"corrupt PDF: page {index + 1} of {len(doc)} cannot be loaded ({_message(exc)})") from exc


def open_pdf(path: str | Path) -> PdfDocument:
    """Read, identify and text-index a PDF, or raise RejectedDocument.

    A PDF is judged by whether pdfium opens it and loads every page, not by
    its last bytes: bytes appended after `%%EOF`, or a missing `%%EOF`, do not
    stop a whole file from being read."""
    path = Path(path)
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    _sniff(data)
    data = _unlock(data)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise RejectedDocument(_unopenable(data, exc)) from exc
    try:
        pages = _pages(doc, data)
    finally:
        doc.close()
    if not pages:
        raise RejectedDocument("corrupt PDF: no pages")
    return PdfDocument(path, sha, data, pages)


_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff\ufffd]")


def _uncommon_han(chars: list[str]) -> tuple[int, int]:
    """(Han characters outside GB2312, Han characters): the text of these documents uses
    GB2312's characters, nearly all of them; CIDs read as code points do not."""
    han = [c for c in chars if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"]
    uncommon = 0
    for c in han:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            uncommon += 1
    return uncommon, len(han)


def page_quality(page: Page) -> tuple[str, str]:
    """(`ok` | `image-only` | `garbled` | `unplaced`, what shows it, for a person).

    A font without a usable ToUnicode map shows in three ways, all seen on PDFs a
    print driver or Ghostscript re-wrote: pdfium reports control or private-use code
    points; it flags glyphs it could not map (their neighbours in the same font read
    as wrong characters, 积 as `(`); or it reads the font's CIDs as code points, so the
    text is rare Han characters and digits are letters, with nothing flagged. A
    born-digital page shows none of this (no flagged or control glyph, and under 1%
    of its Han characters outside GB2312, on every page of the bundled, generated and
    real PDFs), so one flagged glyph, or a fifth of rare characters, means that none
    of the page's text, figures included, can be trusted.

    `unplaced`: a glyph whose font gives no metrics to place it by (page_glyphs); which
    cell its figure belongs to would depend on the fonts of the machine reading it."""
    if page.unmeasured:
        return "unplaced", f"{page.unmeasured} glyphs the PDF's own font metrics do not place (no ascent, descent or width)"
    if not page.glyphs:
        return "image-only", "no text layer"
    chars = [g.char for g in page.glyphs]
    odd = sum(1 for c in chars if _PRIVATE_USE.match(c) or unicodedata.category(c) in ("Co", "Cn"))
    if odd / len(chars) > 0.3:  # a symbol font's bullets are a few private-use points, not a third
        return "garbled", f"{odd} of {len(chars)} glyphs read as private-use or unassigned code points"
    if page.unmapped:
        return "garbled", f"{page.unmapped} glyphs without a Unicode map"
    control = sum(1 for c in chars if unicodedata.category(c) == "Cc" or c == "\ufffd")
    if control:
        return "garbled", f"{control} glyphs read as control characters"
    uncommon, han = _uncommon_han(chars)
    if han >= 20 and uncommon / han > 0.2:
        return "garbled", f"{uncommon} of {han} Han characters outside GB2312: the font's codes read as characters"
    return "ok", ""
