"""Opening a PDF once: its identity, whether it is readable, and its text layer.

Everything downstream (table finding, the grid's cell text, the narrative)
reads glyphs from here, so the file is parsed by pdfium exactly once.
"""

from __future__ import annotations

import ctypes
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
    for g in sorted(glyphs, key=lambda g: -(g.y1 - g.y0)):
        h = max(g.y1 - g.y0, 1.0)
        target = next((i for i, (lo, hi) in enumerate(bands) if lo <= g.cy <= hi), None)
        if target is None and founder_h and h < 0.6 * founder_h:
            overlaps = [min(hi, g.y1) - max(lo, g.y0) for lo, hi in boxes]
            best = max(range(len(overlaps)), key=overlaps.__getitem__, default=None)
            if best is not None and overlaps[best] > 0:
                target = best
        if target is None:
            founder_h = founder_h or h
            bands.append((g.cy - h * 0.45, g.cy + h * 0.45))
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


def page_glyphs(pdf_page, loose: bool = False) -> tuple[list, int]:
    """The page's visible glyphs in displayed coordinates, each by its outline box, and how
    many of them pdfium could not map to Unicode.

    With `loose`, each comes with the horizontal extent of its advance (pdfium's loose
    box): the glyphs of a word touch, so gaps between words are real white space.
    Every page of every document passes through here, so it calls pdfium's C API
    directly: the helpers' per-call buffers and range checks cost more than the text."""
    transform = page_transform(pdf_page)
    tp = pdf_page.get_textpage()
    raw = tp.raw
    x0, y0, x1, y1 = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    rect = pdfium_c.FS_RECTF()
    out, unmapped = [], 0
    try:
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if not code:
                continue
            ch = chr(code)
            if ch.isspace() or not pdfium_c.FPDFText_GetCharBox(raw, i, x0, x1, y0, y1):  # (sic: l, r, b, t)
                continue
            unmapped += pdfium_c.FPDFText_HasUnicodeMapError(raw, i) == 1
            g = Glyph(ch, *_box(transform, x0.value, y0.value, x1.value, y1.value))
            if loose:
                pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
                lx0, _, lx1, _ = _box(transform, rect.left, rect.bottom, rect.right, rect.top)
                out.append((g, lx0, lx1))
            else:
                out.append(g)
    finally:
        tp.close()
    return out, unmapped


def _page(pdf_page, number: int) -> Page:
    width, height = pdf_page.get_size()  # as displayed
    glyphs, unmapped = page_glyphs(pdf_page)
    return Page(number, width, height, glyphs, _lines(glyphs), unmapped)


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
        pages = [_page(_load_page(doc, i), i + 1) for i in range(len(doc))]
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
    """(`ok` | `image-only` | `garbled`, what shows it, for a person).

    A font without a usable ToUnicode map shows in three ways, all seen on PDFs a
    print driver or Ghostscript re-wrote: pdfium reports control or private-use code
    points; it flags glyphs it could not map (their neighbours in the same font read
    as wrong characters, 积 as `(`); or it reads the font's CIDs as code points, so the
    text is rare Han characters and digits are letters, with nothing flagged. A
    born-digital page shows none of this (no flagged or control glyph, and under 1%
    of its Han characters outside GB2312, on every page of the bundled, generated and
    real PDFs), so one flagged glyph, or a fifth of rare characters, means that none
    of the page's text, figures included, can be trusted."""
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
