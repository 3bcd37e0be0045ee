"""Is a downloaded file a whole PDF? Judged by opening it, not by its magic.

A download can start with %PDF and still be useless: cut off when the
connection dropped (servers without Content-Length end a response by closing
it, so a cut looks like an end), dripped out and abandoned, or a few hundred
bytes of something else behind a PDF header. pdfium (the parser ingest uses)
opens the file; it is complete when its cross-reference table was found where
the file says (pdfium did not have to rebuild it by scanning), or, for the
sloppily written files some portals publish, when it still ends with a
startxref and every page can be found. Page contents are not decoded, so a
compressed bomb costs nothing here.

pdfium is not thread-safe: call this from one thread (the crawl's main one).
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# A complete file written carelessly may carry bytes after %%EOF (some servers
# append a footer); a startxref this close to the end still means the writer
# finished.
_TAIL = 8 * 1024
_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_UNKNOWN: "unknown error",
    pdfium_c.FPDF_ERR_FILE: "file error",
    pdfium_c.FPDF_ERR_FORMAT: "not in PDF format or damaged",
    pdfium_c.FPDF_ERR_SECURITY: "unsupported security handler",
}


def pdf_defect(path: Path) -> tuple[str, str] | None:
    """None for a whole PDF, else (kind, reason): kind `broken-pdf` when
    pdfium cannot open it at all (most files cut short in transfer end up
    here: their trailer is gone), `truncated` when it opens but ends short.
    A PDF needing a password is whole: ingest rejects it with its own reason."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            return None
        return "broken-pdf", (f"starts with %PDF but pdfium cannot open it ({_OPEN_ERRORS.get(code, 'error')}): "
                              f"damaged, or cut short in transfer ({path.stat().st_size:,} bytes)")
    try:
        pages = len(document)
        if pages == 0:
            return "broken-pdf", "pdfium opens it but finds no pages"
        if pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(document.raw):
            return None
        if b"startxref" not in _tail(path):
            return "truncated", (f"no cross-reference table at its end: the download stopped short "
                                 f"({path.stat().st_size:,} bytes)")
        size = pdfium_c.FS_SIZEF()
        for index in range(pages):
            if not pdfium_c.FPDF_GetPageSizeByIndexF(document.raw, index, size):
                return "truncated", f"page {index + 1} of {pages} is missing from the file"
        return None
    finally:
        document.close()


def _tail(path: Path) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - _TAIL))
        return handle.read()
