"""Named layout variants (Style overrides) and the print-driver steps applied to a finished PDF.

Every variant is something real documents do (../shared/spec/TABLES.md, "What
varies"); the ledger and its truth are unchanged by a layout, only how the
figures are printed. `LAYOUTS[name]` is applied over a document's random
Style; `postprocess` then does what a print driver or scanner would do to
the file (rotate landscape pages, rasterise a page, lose a font's Unicode map).
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

from .document import Style

LAYOUTS: dict[str, dict] = {
    # 三线表: top, header and bottom rules only
    "three-line": {"rules": "three-line"},
    "three-line-wrapped": {"rules": "three-line", "narrow_names": True, "split_codes": "full"},
    # landscape tables on portrait paper turned by /Rotate 90 (print drivers)
    "rotated": {"landscape": "rotate"},
    # the whole document in 元 (with and without separators), and single tables in 元
    "yuan": {"unit": "元", "thousands": True},
    "yuan-plain": {"unit": "元", "thousands": False, "zeros": "0.00"},
    "yuan-tables": {"table_units": {"公开02": "元", "公开05": "元", "公开06": "元", "公开09": "元"}},
    # function codes over 类/款/项 columns, economic codes over 类/款
    "split-codes": {"split_codes": "full", "econ_split": "full"},
    "split-codes-own": {"split_codes": "own", "econ_split": "own"},
    # 三公: Shanghai's 预算数/决算数 pairs, and 公务接待费 before 公务用车
    "sangong-pairs": {"sangong": "pairs"},
    "sangong-pairs-reception": {"sangong": "pairs", "reception_first": True},
    "sangong-reception": {"reception_first": True},
    # titles and labels
    "title-in-table": {"title_pos": "in_table"},
    "title-prefix": {"title_prefix": True, "label_inline": True},
    # 公开06 in 2 or 3 groups
    "econ-2": {"econ_groups": 2},
    "econ-3": {"econ_groups": 3, "econ_split": "full"},
    # long names wrapping in narrow columns
    "wrapped": {"narrow_names": True},
    # 三公 turned: 预算数 and 决算数 the rows, the items the columns
    "sangong-turned": {"sangong": "turned"},
    # a spreadsheet export: the whole head inside the ruled frame, 行次 columns, the 栏次 row, money in 元
    "sheet-head": {"title_pos": "sheet", "row_numbers": True, "column_numbers": True, "unit": "元",
                   "unit_words": "单位：", "thousands": True},
    # the last header row (类 款 项) shares its ruled row with the 合计 figures (an ONLYOFFICE export)
    "header-joins-total": {"split_codes": "full", "column_numbers": False, "header_joins_total": True},
}
# the table a layout is about, for layouts of one table: its variants print figures in it
SHOWS = {"sangong-turned": "公开09", "header-joins-total": "公开03"}
# The order the named layouts were added in: a variant's seed follows it, so adding a layout
# leaves the committed variants of the others as they were.
SEED_ORDER = (
    "econ-2", "econ-3", "rotated", "sangong-pairs", "sangong-pairs-reception", "sangong-reception",
    "split-codes", "split-codes-own", "three-line", "three-line-wrapped", "title-in-table", "title-prefix",
    "wrapped", "yuan", "yuan-plain", "yuan-tables", "sangong-turned", "sheet-head", "header-joins-total",
)

# ---------------------------------------------------------------- the randomiser

TABLES = tuple(f"公开{n:02d}" for n in range(1, 11))
# Every dimension a layout can take, with its values: the per-document draw picks one value of
# each, then each table redraws each dimension with probability PER_TABLE (a bureau's tables come
# from different templates and tools). Values are drawn uniformly, so every value is met often.
TABLE_DIMENSIONS: dict[str, tuple] = {
    "title_pos": ("above", "in_table", "sheet"),
    "label_inline": (False, True),
    "unit_words": ("金额单位：", "单位：", "单位:", "金额单位:"),
    "unit_pos": ("meta", "own"),
    "unit": ("万元", "元"),
    "row_numbers": (True, False),
    "column_numbers": (True, False),
    "sangong": ("blocks", "pairs", "turned"),
    "reception_first": (False, True),
    "econ_groups": (4, 3, 2),
    "econ_split": ("", "full", "own"),
    "split_codes": ("", "full", "own"),
    "rules": ("grid", "three-line"),
    "narrow_names": (False, True),
    "header_joins_total": (False, True),
    "title_prefix": (False, True),
}
DOCUMENT_DIMENSIONS: dict[str, tuple] = {
    "landscape": ("page", "rotate"),
    "repeat_header": (True, False),
    "thousands": (False, True),
    "zeros": ("", "0.00"),
    "font_size": (7.5, 8.0, 8.5),
    "empty_text": ("说明：本表无数据", "本表无数据", "说明：本表无数据。"),
}
PER_TABLE = 0.3


def _consistent(values: dict) -> dict:
    """Drop combinations no producer prints: a three-line table has no frame to hold a head
    (the office producers would rule the head rows as a frame of their own) or to leave a rule out of."""
    if values.get("rules") == "three-line":
        values["title_pos"] = "above"
        values["header_joins_total"] = False
    return values


def random_style(seed) -> Style:
    """A document's layout drawn over every dimension, independently per document and per table."""
    import random

    rng = random.Random(f"layout/{seed}")
    base = {k: rng.choice(v) for k, v in {**DOCUMENT_DIMENSIONS, **TABLE_DIMENSIONS}.items()}
    _consistent(base)
    per_table = {}
    for code in TABLES:
        own = {k: rng.choice(v) for k, v in TABLE_DIMENSIONS.items() if rng.random() < PER_TABLE}
        if own:
            merged = _consistent({**{k: base[k] for k in TABLE_DIMENSIONS}, **own})
            per_table[code] = {k: merged[k] for k in merged if merged[k] != base[k]}
    unit = base.pop("unit")
    table_units = {c: o.pop("unit") for c, o in per_table.items() if "unit" in o}
    return Style(**base, unit=unit, table_units=table_units, per_table={c: o for c, o in per_table.items() if o})


def apply(style: Style, layout: str | None) -> Style:
    if not layout:
        return style
    return dataclasses.replace(style, **LAYOUTS[layout])


def postprocess(path: Path, style: Style) -> None:
    """The print-driver steps a Style asks for, on the finished PDF."""
    if style.landscape == "rotate":
        rotate_landscape_pages(path)


def rotate_landscape_pages(path: Path) -> None:
    """Every landscape page becomes a portrait MediaBox with /Rotate 90 and its content
    turned a quarter: it displays exactly as before, as print drivers write landscape sheets."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            w, h = x1 - x0, y1 - y0
            if w <= h:
                continue
            # display (x, y) = unrotated (v, h - u) after /Rotate 90: draw at u = h - y, v = x
            page.contents_add(pdf.make_stream(f"q 0 1 -1 0 {h:g} 0 cm\n".encode()), prepend=True)
            page.contents_add(pdf.make_stream(b"\nQ"), prepend=False)
            page.mediabox = pikepdf.Array([0, 0, h, w])
            if "/CropBox" in page.obj:
                del page.obj["/CropBox"]
            page.obj["/Rotate"] = 90
        pdf.save(path, deterministic_id=True)


def rasterise_page(path: Path, page_number: int, dpi: int = 150) -> None:
    """Replace one page by a picture of itself (a scanned page): no text layer at all. 150 dpi is
    the low end of what bureaus scan at; below it (110 dpi) OCR misreads digits, and the identities flag them."""
    import pikepdf
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = pdfium.PdfDocument(str(path))
    page = pdf[page_number - 1]
    width, height = page.get_size()
    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    pdf.close()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), invariant=True)
    c.drawImage(ImageReader(image), 0, 0, width, height)
    c.showPage()
    c.save()
    with pikepdf.open(path, allow_overwriting_input=True) as target, pikepdf.open(io.BytesIO(buf.getvalue())) as src:
        target.pages[page_number - 1] = src.pages[0]
        target.save(path, deterministic_id=True)


def garble_page(path: Path, page_number: int) -> None:
    """Lose the Unicode map of the fonts one page uses, as PDFs from some producers do.

    The page's fonts become page-local copies whose ToUnicode CMap is gone and, for
    CID fonts with a Unicode encoding (UniGB-UCS2-H), whose encoding is Identity-H: the
    glyphs still draw, but a text layer reads CIDs of the Adobe-GB1 collection (or
    glyph ids) as code points, i.e. wrong characters. Other pages keep their fonts."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[page_number - 1]
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None:
            raise ValueError(f"page {page_number} uses no fonts")
        local = pikepdf.Dictionary()
        for name, font in fonts.items():
            copy = pdf.make_indirect(pikepdf.Dictionary({k: v for k, v in font.items() if k != "/ToUnicode"}))
            if str(copy.get("/Encoding", "")) in ("/UniGB-UCS2-H", "/UniGB-UTF16-H"):
                copy["/Encoding"] = pikepdf.Name("/Identity-H")
            local[name] = copy
        new_resources = pikepdf.Dictionary({k: v for k, v in resources.items()})
        new_resources["/Font"] = local
        page.obj["/Resources"] = new_resources
        pdf.save(path, deterministic_id=True)


def redistill(path: Path) -> None:
    """Re-write a finished PDF through Ghostscript's pdfwrite, as print-to-PDF drivers do.

    The pages look the same; the text layer does not survive whole: the fonts are
    re-encoded and their Unicode maps are lost, partly (LibreOffice's subset fonts:
    some glyphs unmapped, neighbours in the same font read as other characters) or
    entirely (a non-embedded CID font: its CIDs read as code points)."""
    gs = shutil.which("gs")
    if gs is None:
        raise RuntimeError("Ghostscript (gs) is needed: apt-get install ghostscript")
    out = path.with_suffix(".gs.pdf")
    subprocess.run([gs, "-q", "-dSAFER", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", f"-sOutputFile={out}", str(path)],
                   check=True)
    out.replace(path)
