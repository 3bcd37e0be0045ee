"""Parse PDFs with pdfium seeing only the fonts in one folder; print what was read, as JSON.

    python tests/parse_under_fonts.py FOLDER|host PROBE PDF...

Run by tests/test_host_fonts.py, one process per font configuration. pypdfium2
starts pdfium on import with the host's fonts (no setting stops that), so pdfium
is stopped and started again here with `m_pUserFontPaths` naming the one folder:
pdfium then looks for fonts there only, instead of its default system folders
(an empty folder: only the fonts compiled into pdfium). `host` keeps pypdfium2's
own start. Each document's row, table statuses, problems and cells (boxes to
0.1 pt, as the warehouse keeps them) are printed, and, to show which fonts
pdfium had, the outline height of the first Han character of PROBE (a PDF that
does not embed its fonts): zero when no font pdfium found has that glyph.
"""

from __future__ import annotations

import ctypes
import json
import sys

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdfium2 import _library_scope
from pypdfium2.internal import bases

_KEEP = []  # pdfium keeps the folder list's pointers: they must live as long as the process


def use_font_folder(folder: str) -> None:
    """Restart pdfium with `folder` as its only font folder."""
    _library_scope.destroy_lib()
    name = ctypes.create_string_buffer(folder.encode())
    paths = (ctypes.POINTER(ctypes.c_char) * 2)(ctypes.cast(name, ctypes.POINTER(ctypes.c_char)), None)
    config = pdfium_c.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=paths, m_pIsolate=None, m_v8EmbedderSlot=0)
    _KEEP.extend([name, paths, config])
    pdfium_c.FPDF_InitLibraryWithConfig(config)
    bases.LIBRARY_AVAILABLE = True


def outline_height(pdf: str) -> float:
    """The height of pdfium's outline box of the first Han character of the PDF."""
    doc = pdfium.PdfDocument(pdf)
    try:
        tp = doc[0].get_textpage()
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        for i in range(pdfium_c.FPDFText_CountChars(tp.raw)):
            if "\u4e00" <= chr(pdfium_c.FPDFText_GetUnicode(tp.raw, i)) <= "\u9fff":
                pdfium_c.FPDFText_GetCharBox(tp.raw, i, left, right, bottom, top)
                return round(top.value - bottom.value, 2)
        return 0.0
    finally:
        doc.close()


def read(pdf: str) -> dict:
    from disclosures.parse.document import parse_document

    parsed = parse_document(pdf)
    cells = parsed.cells[["table_code", "row_key", "column_key", "amount", "page", "x0", "y0", "x1", "y1"]]
    return {
        "document": {k: v for k, v in parsed.document.items() if k != "source_url"},
        "tables": parsed.tables.drop(columns=["document_id"]).astype(str).values.tolist(),
        "problems": parsed.problems,
        "cells": sorted(cells.astype(str).values.tolist()),
    }


def main(argv: list[str]) -> None:
    folder, probe, pdfs = argv[0], argv[1], argv[2:]
    if folder != "host":
        use_font_folder(folder)
    out = {"probe_outline_height": outline_height(probe), "documents": {p: read(p) for p in pdfs}}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
