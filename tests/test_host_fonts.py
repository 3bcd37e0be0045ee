"""The same figures whatever fonts the host has: every PDF in the repository, read three ways.

The reportlab PDFs do not embed their fonts (STSong-Light, Helvetica), and real
disclosures leave fonts out too; what pdfium finds on the host for such a font
decides the glyphs' outlines, and whether pdfium's text layer holds a lone glyph
at all. Parsing must not depend on it. Each font configuration runs in a process
of its own (tests/parse_under_fonts.py) that reads every bundled, generated,
redistilled and real PDF:

* no fonts: pdfium's font folder is an empty one, so it has only the fonts
  compiled into it, none with a Chinese glyph;
* the host's fonts, as every run finds them;
* a folder holding only a CJK font (Debian's fonts-wqy-microhei, which
  `make install` puts in place), so the comparison has a Chinese font on its
  side even on a host without one.

Every document's row, table statuses, problems and cells (table, row, column,
amount, page, box to 0.1 pt) must be the same in all three.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf

from conftest import ROOT, SAMPLES
from disclosures.parse.document import parse_document

# Debian's fonts-wqy-microhei (installed by `make install` when missing)
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PROBE = SAMPLES / "jincheng-jiaoyuju-2024-reportlab.pdf"  # STSong-Light, not embedded
FOLDERS = [SAMPLES, ROOT / "tests" / "data" / "generated", ROOT / "tests" / "data" / "redistilled", ROOT / "tests" / "data" / "real"]


def _differences(base: dict, other: dict) -> list[str]:
    out = []
    for pdf, want in base.items():
        got = other[pdf]
        for part in ("document", "tables", "problems"):
            if got[part] != want[part]:
                out.append(f"{Path(pdf).name} {part}: {want[part]} != {got[part]}")
        a, b = set(map(tuple, want["cells"])), set(map(tuple, got["cells"]))
        if a != b:
            out.append(f"{Path(pdf).name} cells only here: {sorted(a - b)[:3]}, only there: {sorted(b - a)[:3]}")
    return out


def test_every_pdf_reads_the_same_with_no_fonts_the_hosts_or_a_cjk_font(tmp_path):
    assert CJK_FONT.is_file(), f"{CJK_FONT} is missing: `make install` installs Debian's fonts-wqy-microhei"
    none, cjk = tmp_path / "no-fonts", tmp_path / "cjk-font"
    none.mkdir()
    cjk.mkdir()
    (cjk / CJK_FONT.name).symlink_to(CJK_FONT)
    pdfs = [str(p.relative_to(ROOT)) for folder in FOLDERS for p in sorted(folder.glob("*.pdf"))]
    assert len(pdfs) >= 60
    configs = {"no fonts": str(none), "host fonts": "host", "a CJK font only": str(cjk)}
    # one process per configuration, all documents in it; the three run side by side
    procs = {
        name: subprocess.Popen([sys.executable, str(ROOT / "tests" / "parse_under_fonts.py"), folder, str(PROBE), *pdfs],
                               cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for name, folder in configs.items()
    }
    results = {}
    for name, proc in procs.items():
        out, err = proc.communicate()
        assert proc.returncode == 0, (name, err.decode()[-3000:])
        results[name] = json.loads(out)
    # the configurations differ where it matters: a Chinese glyph of a font the PDF leaves out
    assert results["no fonts"]["probe_outline_height"] < 1 < results["a CJK font only"]["probe_outline_height"]
    base = results["no fonts"]["documents"]
    assert len(base) == len(pdfs)
    assert sum(len(d["cells"]) for d in base.values()) > 15000
    for name in ("host fonts", "a CJK font only"):
        diffs = _differences(base, results[name]["documents"])
        assert not diffs, f"with {name} instead of no fonts:\n" + "\n".join(diffs[:20])


def test_a_page_whose_font_gives_no_metrics_is_a_problem_not_a_guess(tmp_path):
    """A Type3 font with no bounding box whose glyphs draw nothing gives pdfium no ascent
    or descent: where its figures stand cannot be told, so the page is named and nothing
    is read from it."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, FontBBox=[0, 0, 0, 0],
        FontMatrix=[0.001, 0, 0, 0.001, 0, 0], FirstChar=49, LastChar=49, Widths=[500],
        Encoding=pikepdf.Dictionary(Type=pikepdf.Name.Encoding, Differences=[49, pikepdf.Name("/one")]),
        CharProcs=pikepdf.Dictionary(one=pdf.make_stream(b"500 0 d0")), Resources=pikepdf.Dictionary()))
    pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(b"BT /F1 12 Tf 100 700 Td (111) Tj ET"))))
    path = tmp_path / "no-metrics.pdf"
    pdf.save(path)
    parsed = parse_document(path)
    assert parsed.problems == ["page 1: text without positions (3 glyphs the PDF's own font metrics do not place "
                               "(no ascent, descent or width)); nothing was read from it"]
    assert parsed.document["status"] == "unreadable"
    assert parsed.cells.empty
