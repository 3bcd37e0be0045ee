"""Ruled tables of an OCR'd page: the rules found in its picture, the cells filled with OCR glyphs.

A scan has no drawing operators for camelot's vector lattice to read, so the
rules are found in the deskewed image: morphological opening with a long thin
kernel keeps the ink that runs straight for longer than any character stroke
(horizontal: 24 pt; vertical: 10 pt, shorter than a row), as camelot's image
lattice does. Tables are the connected groups of such rules; a table's row and
column boundaries are the positions its rules take, and whether a cell is
bounded on each side is read from the rule pieces actually printed there, so
merged header cells come out as camelot reports them. The result passes
through grid.py's own `_grid`, which fills cells glyph by glyph: from the
`Grid` on, a scanned table is read exactly as a born-digital one.

camelot's image lattice (ghostscript render, then OpenCV) was not used: it
renders the PDF again itself, cannot be handed the deskewed picture, and
gives no way to place our OCR glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from disclosures.parse.grid import Grid, _grid, drop_captions
from disclosures.parse.textgrid import Rule

if TYPE_CHECKING:  # ocr_boxes.py, which ocr.py imports, cuts boxes at imagegrid's rules
    from disclosures.parse.ocr import OcrPage

H_RULE_PT = 24  # a horizontal rule runs at least this far (a character's strokes do not; nor does `————`)
V_RULE_PT = 10  # a vertical rule piece spans a row at least this tall (no character stroke is)
_SNAP_PT = 2.5  # rule pieces this close are one rule


@dataclass
class _Side:
    """camelot's cell as grid._grid reads it: whether a rule bounds each side."""

    left: bool = False
    right: bool = False
    top: bool = False
    bottom: bool = False


@dataclass
class _Table:
    """What grid._grid reads of a camelot table: bands in PDF points, bounded sides, the box."""

    cols: list[tuple[float, float]]
    rows: list[tuple[float, float]]  # (top, bottom)
    cells: list[list[_Side]]
    _bbox: tuple[float, float, float, float]


def pieces(ink: np.ndarray, horizontal: bool, length_px: int, extent: bool = False) -> list[tuple[int, ...]]:
    """Straight ink runs of at least length_px: (along0, along1, across) in pixels, and with
    `extent` the run's first and last pixel across it too (its stroke's width)."""
    import cv2

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length_px, 1) if horizontal else (1, length_px))
    mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _ in stats[1:count]:
        if horizontal:
            out.append((int(x), int(x + w), int(y + h // 2)) + ((int(y), int(y + h - 1)) if extent else ()))
        else:
            out.append((int(y), int(y + h), int(x + w // 2)) + ((int(x), int(x + w - 1)) if extent else ()))
    return out


def _snap(values: list[int], tol: float) -> list[float]:
    """Positions closer than tol merged into their mean."""
    groups: list[list[int]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [float(np.mean(g)) for g in groups]


def _covered(pieces, across: float, lo: float, hi: float, tol: float) -> bool:
    """Whether a rule piece at `across` runs over most of [lo, hi]."""
    span = hi - lo
    need = lo + 0.3 * span, hi - 0.3 * span
    return any(abs(c - across) <= tol and a0 <= need[0] and a1 >= need[1] for a0, a1, c in pieces)


def _tables(hs, vs, tol: float) -> list[tuple[list, list]]:
    """Rule pieces grouped into tables: a vertical piece belongs with the horizontal ones it
    touches, and tables are the groups so linked (union-find)."""
    parent = list(range(len(hs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner = {}
    for j, (y0, y1, x, *_) in enumerate(vs):
        touching = [i for i, (x0, x1, y) in enumerate(hs) if x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol]
        for i in touching[1:]:
            parent[find(i)] = find(touching[0])
        if touching:
            owner[j] = touching[0]
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, i in owner.items():
        groups[find(i)][1].append(vs[j])
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def table_walls(ink: np.ndarray, scale: float) -> list[tuple[int, int, int, int, int]]:
    """The vertical rules of the page's ruled tables, (y0, y1, x, x_first, x_last) in pixels:
    rule pieces that meet the tables' horizontal rules (a title's tall stroke is no wall:
    it meets none)."""
    tol = _SNAP_PT * scale
    hs = pieces(ink, True, int(H_RULE_PT * scale))
    vs = pieces(ink, False, int(V_RULE_PT * scale), extent=True)
    return [v for _, tv in _tables(hs, vs, tol) for v in tv]


def image_grids(ocr: OcrPage) -> list[Grid]:
    """Every ruled table on the OCR'd page, top to bottom."""
    scale = ocr.scale
    hs = pieces(ocr.ink, True, int(H_RULE_PT * scale))
    vs = pieces(ocr.ink, False, int(V_RULE_PT * scale))
    tol = _SNAP_PT * scale
    grids = []
    for th, tv in _tables(hs, vs, tol):
        ys = _snap([y for _, _, y in th], tol)
        xs = _snap([x for _, _, x in tv], tol)
        if len(ys) < 2 or len(xs) < 2:
            continue
        cells = [[_Side() for _ in range(len(xs) - 1)] for _ in range(len(ys) - 1)]
        for r in range(len(ys) - 1):
            for c in range(len(xs) - 1):
                side = cells[r][c]
                side.top = _covered(th, ys[r], xs[c], xs[c + 1], tol)
                side.bottom = _covered(th, ys[r + 1], xs[c], xs[c + 1], tol)
                side.left = _covered(tv, xs[c], ys[r], ys[r + 1], tol)
                side.right = _covered(tv, xs[c + 1], ys[r], ys[r + 1], tol)
        to_x = [ocr.to_page(x, 0)[0] for x in xs]
        to_y = [ocr.to_page(0, y)[1] for y in ys]
        table = _Table(cols=list(zip(to_x, to_x[1:])), rows=list(zip(to_y, to_y[1:])), cells=cells,
                       _bbox=(to_x[0], to_y[-1], to_x[-1], to_y[0]))
        grid = drop_captions(_grid(table, ocr.page))
        if grid.rows:
            grids.append(grid)
    grids.sort(key=lambda g: -g.top)
    return grids


def horizontal_rules(ocr: OcrPage) -> list[Rule]:
    """The page's horizontal rules in PDF points, for a three-line table's derivation (textgrid)."""
    scale = ocr.scale
    rules = []
    for x0, x1, y in pieces(ocr.ink, True, int(H_RULE_PT * scale)):
        (a, yy), (b, _) = ocr.to_page(x0, y), ocr.to_page(x1, y)
        if b - a >= 60:
            rules.append(Rule(a, b, yy))
    return sorted(rules, key=lambda r: r.y)
