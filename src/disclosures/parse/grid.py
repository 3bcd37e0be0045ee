"""Ruled tables as grids of cells: camelot finds the rules, pdfium's glyphs fill the cells.

camelot's lattice parser with `engine="vector"` reads the table rules straight
from the PDF's drawing operators (no rasterisation). Its text placement uses
whole text lines and their font boxes; in PDFs whose fonts declare zero ascent
and descent (LibreOffice exports, some WPS files) a line can land one row too
low, and a line that crosses a column rule lands whole in one cell. So the
cell text is placed here instead, glyph by glyph, by the centre of each
glyph's box (pdfdoc.page_glyphs: from the PDF's own metrics, whatever fonts
the host has).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import camelot

from disclosures.catalog import match_title
from disclosures.normalize import norm_text
from disclosures.pdfdoc import Glyph, Page, PdfDocument, _lines

METHOD = f"camelot-{camelot.__version__}-lattice-vector+pdfium-glyphs"


@dataclass
class Cell:
    text: str
    page: int
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points
    glyphs: list[Glyph] = field(default_factory=list, repr=False)
    method: str = METHOD  # how the cell's grid was found (lineage)


@dataclass
class Grid:
    """One ruled table on one page: rows of cells, with merged-cell groups."""

    page: int
    bbox: tuple[float, float, float, float]  # x0, y0 (bottom), x1, y1 (top)
    col_bounds: list[tuple[float, float]]
    rows: list[list[Cell]]
    # hgroup[r][c]: index of the first column of the merged cell holding (r, c).
    hgroup: list[list[int]] = field(default_factory=list)
    # vjoin[r][c]: no rule under (r, c): the cell continues into row r + 1.
    vjoin: list[list[bool]] = field(default_factory=list)
    captions: list[Cell] = field(default_factory=list)  # title / unit rows printed inside the frame
    n_header: int | None = None  # header rows, when the rules say where the header ends (三线表)

    @property
    def top(self) -> float:
        return self.bbox[3]

    def group_text(self, r: int, c: int) -> str:
        """The text of the (horizontally) merged cell that covers row r, column c."""
        return self.merged_row(r)[self.hgroup[r][c]].text

    def merged_row(self, r: int) -> list[Cell | None]:
        """Row r with each merged cell as one cell at its first column, None after it.

        Text centred on a merged cell straddles the hidden rules beneath it
        (`公务用车` / `购置费` over two columns), so its glyphs are laid out
        again across the whole merged box.
        """
        row = self.rows[r]
        out: list[Cell | None] = [None] * len(row)
        for c, start in enumerate(self.hgroup[r]):
            if start != c:
                continue
            members = [row[cc] for cc in range(c, len(row)) if self.hgroup[r][cc] == start]
            if len(members) == 1:
                out[c] = row[c]
                continue
            glyphs = [g for m in members for g in m.glyphs]
            box = (members[0].box[0], members[0].box[1], members[-1].box[2], members[0].box[3])
            out[c] = Cell(_layout(glyphs), row[c].page, box, glyphs, row[c].method)
        return out


def read_grids(doc: PdfDocument, pages: list[int]) -> dict[int, list[Grid]]:
    """Every ruled table on the given 1-based pages, top to bottom per page."""
    if not pages:
        return {}
    with warnings.catch_warnings():
        # camelot warns for every page without a table: a fact we record ourselves.
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(
            doc.data,
            pages=",".join(str(p) for p in sorted(set(pages))),
            flavor="lattice",
            engine="vector",
            suppress_stdout=True,
            # camelot groups the page's text into boxes (pdfminer's layout analysis) before it
            # looks at the rules; we place text from pdfium's glyphs and use only its rules and
            # cells, so the grouping is skipped: the same grids on every page of the samples
            # and generated layouts, the camelot step 2.3x faster (12 sample and
            # generated documents, every page: 33.7 s -> 14.9 s, measured on 2026-12-02).
            layout_kwargs={"boxes_flow": None, "detect_vertical": False},
        )
    out: dict[int, list[Grid]] = {}
    for table in tables:
        page = doc.pages[int(table.page) - 1]
        grid = drop_captions(_grid(table, page))
        if grid.rows:
            out.setdefault(page.number, []).append(grid)
    for grids in out.values():
        grids.sort(key=lambda g: -g.top)
    return out


def _grid(table, page: Page) -> Grid:
    cols = [(float(a), float(b)) for a, b in table.cols]
    row_bands = [(float(top), float(bottom)) for top, bottom in table.rows]
    cells = table.cells
    x0, y0, x1, y1 = (float(v) for v in table._bbox)
    buckets: list[list[list[Glyph]]] = [[[] for _ in cols] for _ in row_bands]
    for g in page.glyphs:
        if not (x0 <= g.cx <= x1 and y0 <= g.cy <= y1):
            continue
        r = _band(row_bands, g.cy)
        c = _col(cols, g.cx)
        if r is not None and c is not None:
            buckets[r][c].append(g)
    rows = []
    for r, (top, bottom) in enumerate(row_bands):
        row = []
        for c, (left, right) in enumerate(cols):
            glyphs = buckets[r][c]
            row.append(Cell(_layout(glyphs), page.number, (left, bottom, right, top), glyphs))
        rows.append(row)
    vjoin = [
        [r + 1 < len(row_bands) and not (cells[r][c].bottom or cells[r + 1][c].top) for c in range(len(cols))]
        for r in range(len(row_bands))
    ]
    hgroup = []
    for r in range(len(row_bands)):
        groups, start = [], 0
        for c in range(len(cols)):
            if c > 0 and not (cells[r][c].left or cells[r][c - 1].right):
                pass  # no rule between c-1 and c: same merged cell
            else:
                start = c
            groups.append(start)
        hgroup.append(groups)
    return Grid(page.number, (x0, y0, x1, y1), cols, rows, hgroup, vjoin)


def _layout(glyphs: list[Glyph]) -> str:
    return "\n".join(line.text for line in _lines(glyphs))


def _band(bands: list[tuple[float, float]], y: float) -> int | None:
    for i, (top, bottom) in enumerate(bands):
        if bottom <= y <= top:
            return i
    return None


def _col(cols: list[tuple[float, float]], x: float) -> int | None:
    for i, (left, right) in enumerate(cols):
        if left <= x <= right:
            return i
    return None


_META = re.compile(r"单位[:：]|名称[:：]|20\d{2}年度?|公开\d{1,2}表|^附表\d*$")


def drop_captions(grid: Grid) -> Grid:
    """The grid without its caption rows: ruled rows above the header holding only the
    table's title, its 公开0N表 label or its 部门名称/年度/单位 items (Excel-style sheets
    print them inside the table's frame, the meta items in cells of their own)."""
    n = 0
    captions: list[Cell] = []
    while n < len(grid.rows):
        cells = [c for c in grid.merged_row(n) if c is not None and norm_text(c.text)]
        if not cells or not all(match_title(norm_text(c.text)) or _META.search(norm_text(c.text)) for c in cells):
            break
        captions += cells
        n += 1
    if n == 0:
        return grid
    top = grid.rows[n][0].box[3] if n < len(grid.rows) else grid.bbox[1]
    x0, y0, x1, _ = grid.bbox
    return Grid(grid.page, (x0, y0, x1, top), grid.col_bounds, grid.rows[n:], grid.hgroup[n:], grid.vjoin[n:],
                captions=captions)
