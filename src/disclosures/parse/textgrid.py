"""Tables without vertical rules (三线表): the grid derived from horizontal rules and text positions.

camelot's lattice parser needs ruled cells; a three-line table has only a rule
above the header, one under it and one under the last row. camelot's stream
and network flavors guess columns from body text alone, so a column that is
blank in every row (上级补助收入 of a bureau without such income) disappears
and its header lands in a neighbour, and wrapped names or group headers
(预算数 over six columns) add or split columns: measured with camelot 2.0.0
(`bench/three_line_flavors.py`), stream found the printed column count on 9
and network on 10 of the 47 three-line tables of tests/data/generated. Neither
reports which header cells span which columns. So the grid is derived here,
from what pdfium reports:

* rows: the horizontal rules bound the header and the body; body text lines
  that overlap vertically are one row (a figure centred beside a wrapped
  name), and a line holding neither a figure nor a code, closer to its
  neighbour than rows are to each other, is a wrapped continuation.
* columns: every body text block (glyphs whose advance boxes touch) lies in
  one column, so the columns are the connected spans of body blocks; a block
  whose removal splits a span in two is a merged cell (合计 over the label
  columns), not a column. Header leaves (header text with no header text
  under it) name the columns; a leaf over no body text is a column printed
  blank in every row, unless the body span beside it has no header of its own
  (a centred 款 over left-aligned `01`).
* header cells merged over several columns: a header block that crosses a
  column boundary covers the columns it crosses; on a header line with two or
  more such blocks (预算数 | 决算数 over six columns each) every column belongs
  to the nearest one.

The result is an ordinary `Grid`, so tables.py maps its columns by header text
exactly as for ruled tables.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from disclosures.catalog import match_title
from disclosures.normalize import is_code, norm_text, parse_amount
from disclosures.parse.grid import Cell, Grid, _layout
from disclosures.pdfdoc import Glyph, Line, PdfDocument, _box, _lines, page_transform

METHOD = f"pdfium-{pdfium.PDFIUM_INFO.build}-rules+glyphs-three-line"

_NOTE = re.compile(r"^(?:注|说明|备注)[:：]?|本表无数据")
_ENUM = re.compile(r"^(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
_GAP = 1.2  # points of white space that separate two text blocks on a line


@dataclass
class Rule:
    x0: float
    x1: float
    y: float


@dataclass
class _Block:
    glyphs: list[Glyph]
    x0: float  # advance extent
    x1: float

    @property
    def text(self) -> str:
        return norm_text("".join(g.char for g in self.glyphs))

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Line(Line):
    """A text line split into blocks at real white space."""

    blocks: list[_Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return norm_text("".join(g.char for g in sorted(self.glyphs, key=lambda g: g.x0)))

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class _Span:
    x0: float
    x1: float
    blocks: list[_Block] = field(default_factory=list)
    headed: bool = False


@dataclass
class _PageRegion:
    page: int
    header: list[_Line]
    body: list[_Line]
    top: float
    bottom: float
    x0: float
    x1: float
    closed: bool  # a rule ends the table on this page
    body_top: float = 0.0  # the header rule (or the top)

    def row_pitch(self) -> float | None:
        """How far apart rows are (header rows are padded like body rows): the median
        distance between body rows, or a single row's height between its rules."""
        tops = []
        for ln in self.body:
            if tops and ln.y1 > tops[-1][1]:
                tops[-1][1] = min(tops[-1][1], ln.y0)
            else:
                tops.append([ln.y1, ln.y0])
        if len(tops) >= 3:
            return statistics.median(a[0] - b[0] for a, b in zip(tops, tops[1:]))
        if len(tops) == 1 and self.closed:
            return self.body_top - self.bottom
        return None


# ------------------------------------------------------------------ page facts


class PageFacts:
    """Rules of the pages a derivation looks at (pdfium, opened once), and their glyphs."""

    def __init__(self, doc: PdfDocument, rules: dict[int, list[Rule]] | None = None):
        self.doc = doc
        self._pdf = None
        self._rules: dict[int, list[Rule]] = dict(rules or {})  # pages whose rules are known already (OCR'd: from the picture)

    def _page(self, number: int):
        if self._pdf is None:
            self._pdf = pdfium.PdfDocument(self.doc.data)
        return self._pdf[number - 1]

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def rules(self, number: int) -> list[Rule]:
        if number not in self._rules:
            self._rules[number] = _page_rules(self._page(number))
        return self._rules[number]

    def glyphs(self, number: int) -> list[Glyph]:
        """The page's glyphs, each spanning its advance (pdfdoc.page_glyphs)."""
        return self.doc.pages[number - 1].glyphs


def _page_rules(pdf_page) -> list[Rule]:
    """Horizontal rules: thin wide path objects (strokes or filled bars), collinear pieces joined."""
    transform = page_transform(pdf_page)
    segs = []
    for obj in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4):
        x0, y0, x1, y1 = _box(transform, *obj.get_bounds())
        if y1 - y0 <= 3 and x1 - x0 >= 6:
            segs.append((x0, x1, (y0 + y1) / 2))
    segs.sort(key=lambda s: s[2])
    bands: list[list[tuple[float, float, float]]] = []
    for s in segs:
        if bands and abs(bands[-1][-1][2] - s[2]) <= 1.5:
            bands[-1].append(s)
        else:
            bands.append([s])
    rules = []
    for band in bands:
        y = statistics.fmean(s[2] for s in band)
        cur = None
        for x0, x1, _ in sorted(band):
            if cur and x0 <= cur.x1 + 3:
                cur.x1 = max(cur.x1, x1)
            else:
                cur = Rule(x0, x1, y)
                rules.append(cur)
    return [r for r in rules if r.x1 - r.x0 >= 60]


# ------------------------------------------------------------------ lines and blocks


def _make_lines(glyphs: list[Glyph]) -> list[_Line]:
    out = []
    for line in _lines(glyphs):
        blocks: list[_Block] = []
        for g in sorted(line.glyphs, key=lambda g: g.x0):
            if blocks and g.x0 - blocks[-1].x1 <= _GAP:
                blk = blocks[-1]
                blk.glyphs.append(g)
                blk.x1 = max(blk.x1, g.x1)
            else:
                blocks.append(_Block([g], g.x0, g.x1))
        out.append(_Line(line.glyphs, blocks))
    return out


def _is_amount(text: str) -> bool:
    return parse_amount(text) is not None


def _has_decimal(line: _Line) -> bool:
    return any(_is_amount(b.text) and "." in b.text for b in line.blocks)


def _is_column_numbers(line: _Line) -> bool:
    """The 栏次 line (`栏次 1 2 3 …`): not header text that names a column."""
    texts = [b.text for b in line.blocks]
    return any(t == "栏次" for t in texts) or (len(texts) >= 2 and all(t.isdigit() and len(t) <= 2 for t in texts))


# ------------------------------------------------------------------ regions


def _region(facts: PageFacts, page_no: int, start_y: float | None, stop_y: float | None,
            span: tuple[float, float] | None = None) -> _PageRegion | None:
    """The table on one page between start_y (below a title; None: the page top) and stop_y
    (the next title; None: the page bottom), bounded by its horizontal rules. A continuation
    page (`span`: the table's left and right edges) may print its rows with no rule at all."""
    page = facts.doc.pages[page_no - 1]
    hi = start_y if start_y is not None else page.height + 1
    lo = stop_y if stop_y is not None else -1
    rules = [r for r in facts.rules(page_no) if lo < r.y < hi]
    if not rules:
        if start_y is not None or span is None:
            return None
        x0, x1 = span
        glyphs = [g for g in facts.glyphs(page_no) if x0 - 2 <= g.cx <= x1 + 2 and lo < g.cy < hi]
        body = _open_body(sorted(_make_lines(glyphs), key=lambda line: -line.y1))
        rows = [ln for ln in body if len(ln.blocks) >= 2 and (_has_decimal(ln) or any(is_code(b.text) for b in ln.blocks))]
        if len(rows) < max(1, len(body) // 2):
            return None
        top = max(ln.y1 for ln in body) + 1
        return _PageRegion(page_no, [], body, top, min(ln.y0 for ln in body) - 1, x0, x1, False, top)
    widest = max(r.x1 - r.x0 for r in rules)
    rules = sorted((r for r in rules if r.x1 - r.x0 >= 0.6 * widest), key=lambda r: -r.y)
    x0 = min(r.x0 for r in rules)
    x1 = max(r.x1 for r in rules)
    glyphs = [g for g in facts.glyphs(page_no) if x0 - 2 <= g.cx <= x1 + 2 and lo < g.cy < hi]
    lines = sorted(_make_lines(glyphs), key=lambda line: -line.y1)

    def between(top, bottom):
        return [ln for ln in lines if bottom < (ln.y0 + ln.y1) / 2 < top]

    first = rules[0]
    rows_above = [ln for ln in between(hi, first.y) if _has_decimal(ln) or any(is_code(b.text) for b in ln.blocks)]
    header: list[_Line] = []
    if start_y is None and rows_above:
        # a continuation page without a repeated header: the rows start at the page top
        top = body_top = max(ln.y1 for ln in between(hi, first.y)) + 1
        rest = rules
    else:
        top = body_top = first.y
        rest = rules[1:]
        if rest and not any(_has_decimal(ln) for ln in between(first.y, rest[0].y)):
            # top rule, header, header rule (an empty table's header rule is also its bottom rule)
            header = between(first.y, rest[0].y)
            body_top = rest[0].y
            rest = rest[1:]
    if rest:
        bottom, closed = rest[0].y, True
        body = between(body_top, bottom)
    else:
        body, closed = _open_body(between(body_top, lo)), False
        bottom = min((ln.y0 for ln in body), default=body_top) - 1
    return _PageRegion(page_no, header, body, top, bottom, x0, x1, closed, body_top)


def _open_body(lines: list[_Line]) -> list[_Line]:
    """Body lines of a table that runs off the page: up to a note, a title or the page foot."""
    out: list[_Line] = []
    pitches: list[float] = []
    for ln in lines:
        text = ln.text
        if _NOTE.search(text) or match_title(text):
            break
        if out:
            gap = out[-1].y0 - ln.y1
            if pitches and gap > 3 * statistics.median(pitches) + 6:
                break  # the page number or a footer, well below the last row
            pitches.append(max(gap, 0.0))
        out.append(ln)
    return out


# ------------------------------------------------------------------ columns


def _components(blocks: list[_Block]) -> list[_Span]:
    spans: list[_Span] = []
    for b in sorted(blocks, key=lambda b: b.x0):
        if spans and b.x0 <= spans[-1].x1 + 0.3:
            spans[-1].x1 = max(spans[-1].x1, b.x1)
            spans[-1].blocks.append(b)
        else:
            spans.append(_Span(b.x0, b.x1, [b]))
    return spans


def _without_bridges(blocks: list[_Block]) -> list[_Span]:
    """Spans of body text, after dropping blocks that join two spans (merged cells)."""
    active = list(blocks)
    while True:
        bridge = None
        for span in _components(active):
            if len(span.blocks) < 3:
                continue
            for b in sorted(span.blocks, key=lambda b: b.x0 - b.x1):
                parts = _components([m for m in span.blocks if m is not b])
                if sum(1 for p in parts if p.x0 < b.x1 and p.x1 > b.x0) >= 2:
                    bridge = b
                    break
            if bridge is not None:
                break
        if bridge is None:
            return _components(active)
        active.remove(bridge)


@dataclass
class _HeaderCell:
    """Header text of one cell: a block, with the lines it wraps onto (centred under it)."""

    blocks: list[_Block]
    row: int  # index of its first header line

    @property
    def x0(self) -> float:
        return min(b.x0 for b in self.blocks)

    @property
    def x1(self) -> float:
        return max(b.x1 for b in self.blocks)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def _header_cells(header: list[_Line], pitch: float | None = None) -> list[_HeaderCell]:
    """Header blocks, a name wrapped over lines joined into one cell (the 栏次 line aside).

    A wrapped line sits just under the previous one, centred on the same x; it need
    not be the next text line (a cell centred in a taller row interleaves its lines
    with its neighbours'). Line spacing differs between producers, so a looser gap
    is accepted when the upper line is no wider than the slot the lower one has
    between rows: a header under a group header is a row lower, a row being as tall as
    a body row (`pitch`)."""
    cells: list[_HeaderCell] = []
    named = [ln for ln in header if not _is_column_numbers(ln)]
    for ln in named:
        r = header.index(ln)
        for b in ln.blocks:
            y0 = min(g.y0 for g in b.glyphs)
            y1 = max(g.y1 for g in b.glyphs)
            height = y1 - y0
            home = None
            for c in cells:
                last = c.blocks[-1]
                last_y0 = min(g.y0 for g in last.glyphs)
                gap = last_y0 - y1
                if c.row >= r or abs(last.cx - b.cx) >= 2.5 or not -0.5 < gap < 1.5 * height:
                    continue
                if gap < 0.45 * height or (pitch is not None and last_y0 - y0 < pitch - 1.5):
                    home = c
                    break
            if home is None:
                cells.append(_HeaderCell([b], r))
            else:
                home.blocks.append(b)
    return cells


def _leaves(cells: list[_HeaderCell], header: list[_Line]) -> list[_HeaderCell]:
    """Header cells that name a single column: nothing printed beneath them.

    A group header (收入 over 项目 | 行次 | 金额, 合计 over 预算数 | 决算数) may be
    narrower than the columns under it and overlap none of them; it is still the
    nearest cell of its line to lower cells on both sides of its centre."""
    ys = {id(c): (min(g.y0 for b in c.blocks for g in b.glyphs), max(g.y1 for b in c.blocks for g in b.glyphs))
          for c in cells}

    def distance(a, b) -> tuple[float, float]:
        return max(0.0, a.x0 - b.x1, b.x0 - a.x1), abs(a.cx - b.cx)

    out = []
    for c in cells:
        c0, c1 = ys[id(c)]
        lower = [o for o in cells if ys[id(o)][1] < c0]
        if any(o.x0 < c.x1 - 0.5 and o.x1 > c.x0 + 0.5 for o in lower):
            continue
        # its line: cells level with it (a wrapped fragment is level with the cells beside it)
        same = [o for o in cells if ys[id(o)][0] < c1 and ys[id(o)][1] > c0]
        mine = [o for o in lower if min(same, key=lambda s: distance(s, o)) is c]
        if any(o.cx < c.cx for o in mine) and any(o.cx > c.cx for o in mine):
            continue
        out.append(c)
    return out


def _line_of(block: _Block, header: list[_Line]) -> _Line:
    return next(ln for ln in header if any(b is block for b in ln.blocks))


def _columns(header: list[_Line], body: list[_Line], x0: float, x1: float,
             pitch: float | None = None) -> list[tuple[float, float]]:
    """Column bounds: body text spans matched to the header leaves that name them.

    A header is centred on its column, body text is left-aligned, right-aligned or
    centred in it; a span belongs to the nearest leaf whose column could hold it
    without reaching the neighbouring leaves. A leaf with no span is a column
    printed blank in every row; a span with no leaf is a column of its own."""
    spans = _without_bridges([b for ln in body for b in ln.blocks])
    if not header:  # a table without a header band (公开10) names its columns in lines of its own
        header = [ln for ln in body if len(ln.blocks) >= 2 and not _is_column_numbers(ln)
                  and not any(_is_amount(b.text) or is_code(b.text) or _ENUM.match(b.text) for b in ln.blocks)]
    leaves = sorted(_leaves(_header_cells(header, pitch), header), key=lambda c: c.cx)
    chained = _chain(leaves, body, x0, x1)
    if chained is not None:
        return chained
    # a column: [anchor x, x0, x1, headed]
    cols: list[list] = [[c.cx, c.x0, c.x1, True] for c in leaves]
    for s in spans:
        best, best_cost = None, None
        for i, leaf in enumerate(leaves):
            h = leaf.cx
            need = max(h - s.x0, s.x1 - h)
            room_left = h - leaves[i - 1].x1 if i > 0 else h - x0
            room_right = leaves[i + 1].x0 - h if i + 1 < len(leaves) else x1 - h
            if need > min(room_left, room_right):
                continue
            cost = abs((s.x0 + s.x1) / 2 - h)
            if best_cost is None or cost < best_cost:
                best, best_cost = i, cost
        if best is None:
            cols.append([(s.x0 + s.x1) / 2, s.x0, s.x1, False])
        else:
            cols[best][1:3] = [min(cols[best][1], s.x0), max(cols[best][2], s.x1)]
    cols.sort(key=lambda c: c[0])
    merged: list[list] = []
    for c in cols:  # text with no header of its own inside a named column belongs to it
        if merged and c[1] < merged[-1][2] and not (c[3] and merged[-1][3]):
            keep = merged[-1] if merged[-1][3] or not c[3] else c
            keep[1:3] = [min(merged[-1][1], c[1]), max(merged[-1][2], c[2])]
            merged[-1] = keep
        else:
            merged.append(c)
    if not merged:
        return []
    blocks = [(b.x0, b.x1, 1.0) for ln in body for b in ln.blocks] + [(c.x0, c.x1, 100.0) for c in leaves]
    cuts = [x0]
    for left, right in zip(merged, merged[1:]):
        # a header is centred on its column: the edge facing the previous cut mirrors it
        mirror = 2 * left[0] - cuts[-1] if left[3] else None
        cuts.append(_cut(left, right, blocks, mirror))
    cuts.append(x1)
    return list(zip(cuts, cuts[1:]))


def _chain(leaves: list[_HeaderCell], body: list[_Line], x0: float, x1: float) -> list[tuple[float, float]] | None:
    """Column bounds from the header alone, when every column has a centred leaf.

    Each leaf is centred on its column, so from the table's left edge each column's
    right edge mirrors its left one about the leaf (and likewise from the right
    edge). The chain must land on the other edge of the table, keep every leaf
    inside its column and cut (nearly) no body text; else None."""
    if len(leaves) < 2:
        return None
    fwd = [x0]
    for c in leaves:
        fwd.append(2 * c.cx - fwd[-1])
    bwd = [x1]
    for c in reversed(leaves):
        bwd.append(2 * c.cx - bwd[-1])
    bwd.reverse()
    if abs(fwd[-1] - x1) > max(4.0, 0.01 * (x1 - x0)):
        return None
    cuts = [x0] + [(f + b) / 2 for f, b in zip(fwd[1:-1], bwd[1:-1])] + [x1]
    for c, a, b in zip(leaves, cuts, cuts[1:]):
        if not (a < b and a < c.x0 + 0.5 and c.x1 - 0.5 < b):
            return None
    blocks = [b for ln in body for b in ln.blocks]
    cut = sum(1 for b in blocks if any(min(g.cx for g in b.glyphs) < x < max(g.cx for g in b.glyphs) for x in cuts[1:-1]))
    if cut > max(2, 0.05 * len(blocks)):
        return None
    return list(zip(cuts, cuts[1:]))


def _cut(left: list, right: list, blocks: list[tuple[float, float, float]], guess: float | None) -> float:
    """Where two neighbouring columns part: an x between them that cuts the least text (a
    header name never, a merged body cell if it must): the guess when it is such an x, else
    the middle of the widest such gap."""
    lo, hi = (left[2], right[1]) if left[2] < right[1] else (left[0], right[0])
    edges = sorted({lo, hi, *(x for b in blocks for x in b[:2] if lo < x < hi)})
    gaps = []
    for a, b in zip(edges, edges[1:]):
        mid = (a + b) / 2
        gaps.append((sum(w for x0, x1, w in blocks if x0 < mid < x1), a, b))
    if not gaps:
        return (lo + hi) / 2
    least = min(g[0] for g in gaps)
    if guess is not None and any(c == least and a - 0.5 <= guess <= b + 0.5 for c, a, b in gaps):
        return guess
    _, a, b = max((g for g in gaps if g[0] == least), key=lambda g: g[2] - g[1])
    return (a + b) / 2


# ------------------------------------------------------------------ rows


def _line_groups(lines: list[_Line]) -> list[list[_Line]]:
    """Lines top to bottom, those that overlap vertically in one group."""
    groups: list[list[_Line]] = []
    for ln in lines:
        if groups and ln.y1 > min(x.y0 for x in groups[-1]):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def _top(group: list[_Line]) -> float:
    return max(x.y1 for x in group)


def _bottom(group: list[_Line]) -> float:
    return min(x.y0 for x in group)


def _wrap_gap(lines: list[_Line]) -> float | None:
    """The gap under which a line is a wrapped continuation of its neighbour, from the gaps
    between rows; None with fewer than four line groups to measure it on.

    A wrapped line sits closer to its row than rows sit to each other (the gap between
    two rows with figures); how much closer depends on the producer's line height.
    (the upper quartile of the gaps between line groups: most gaps are between rows, the
    few larger ones skip rows printed blank)"""
    groups = _line_groups(lines)
    gaps = sorted(_bottom(a) - _top(b) for a, b in zip(groups, groups[1:]))
    return 0.75 * gaps[int(0.75 * (len(gaps) - 1))] if len(gaps) >= 3 else None


def _body_rows(lines: list[_Line], wrap_gap: float | None = None) -> list[list[_Line]]:
    """Lines grouped into table rows, top to bottom. `wrap_gap`: the table's (`_wrap_gap`), for
    a page with too few rows to measure its own (a continuation page holding one row and the
    wrapped end of its name)."""
    groups = _line_groups(lines)

    def lonely(group):  # a wrapped line of a long name: no figure, no code
        return not any(_is_amount(b.text) or is_code(b.text) for ln in group for b in ln.blocks)

    heights = [ln.height for ln in lines] or [1.0]
    close = next((g for g in (_wrap_gap(lines), wrap_gap) if g is not None), 0.5 * statistics.median(heights))

    changed = True
    while changed and len(groups) > 1:
        changed = False
        for i, g in enumerate(groups):
            if not lonely(g):
                continue
            up = _bottom(groups[i - 1]) - _top(g) if i > 0 else None
            down = _bottom(g) - _top(groups[i + 1]) if i + 1 < len(groups) else None
            options = [(gap, j) for gap, j in ((up, i - 1), (down, i + 1)) if gap is not None and gap < close]
            if options:
                _, j = min(options)
                groups[j] = sorted(groups[j] + g, key=lambda x: -x.y1)
                del groups[i]
                changed = True
                break
    return groups


# ------------------------------------------------------------------ grid


def _grid(region: _PageRegion, cols: list[tuple[float, float]], with_header: bool, pitch: float | None,
          wrap_gap: float | None = None) -> Grid:
    header_rows = [[ln] for ln in region.header] if with_header else []
    rows = header_rows + _body_rows(region.body, wrap_gap)
    n_head = len(header_rows)
    tops = [max(ln.y1 for ln in r) for r in rows]
    bottoms = [min(ln.y0 for ln in r) for r in rows]
    bands = []
    for i in range(len(rows)):
        top = region.top if i == 0 else (bottoms[i - 1] + tops[i]) / 2
        bottom = region.bottom if i == len(rows) - 1 else (bottoms[i] + tops[i + 1]) / 2
        bands.append((top, bottom))

    def col_of(x):
        for c, (a, b) in enumerate(cols):
            if a <= x <= b:
                return c
        return 0 if x < cols[0][0] else len(cols) - 1

    # a header name wrapped over lines is one cell, in the row of its first line
    row_blocks: list[list[_Block]] = [[b for ln in group for b in ln.blocks] for group in rows]
    groups: set[int] = set()  # header cells over several columns (with text beneath them)
    if n_head:
        hcells = _header_cells(region.header, pitch)
        leaves = {id(c) for c in _leaves(hcells, region.header)}
        for hc in hcells:
            for b in hc.blocks[1:]:
                r = region.header.index(_line_of(b, region.header))
                row_blocks[r] = [x for x in row_blocks[r] if x is not b]
            row_blocks[hc.row] = [x for x in row_blocks[hc.row] if x is not hc.blocks[0]]
            joined = _Block([g for b in hc.blocks for g in b.glyphs], hc.x0, hc.x1)
            row_blocks[hc.row].append(joined)
            if id(hc) not in leaves:
                groups.add(id(joined))
    cells, hgroup = [], []
    for r, blocks in enumerate(row_blocks):
        buckets: list[list[Glyph]] = [[] for _ in cols]
        for blk in blocks:
            for g in blk.glyphs:
                buckets[col_of(g.cx)].append(g)
        top, bottom = bands[r]
        cells.append([Cell(_layout(buckets[c]), region.page, (a, bottom, b, top), buckets[c], METHOD)
                      for c, (a, b) in enumerate(cols)])
        # only the top header line partitions all columns among its groups (预算数 | 决算数)
        hgroup.append(_merges(blocks, cols, [b for b in blocks if id(b) in groups] if r == 0 and n_head else None))
    _group_spans(row_blocks[:n_head], groups, cols, hgroup)
    vjoin = [[False] * len(cols) for _ in rows]
    bbox = (region.x0, region.bottom, region.x1, region.top)
    return Grid(region.page, bbox, cols, cells, hgroup, vjoin, n_header=n_head or None)


def _group_spans(header_blocks: list[list[_Block]], groups: set[int], cols: list[tuple[float, float]],
                 hgroup: list[list[int]]) -> None:
    """Spread each group header over the columns it is centred on (in hgroup).

    Shanghai's 三公 table prints “三公”经费预算数 over 合计 | 出国 | 接待 | 公务用车购置及运行费,
    itself over 小计 | 购置费 | 运行费, beside 机关运行经费预算数 under no group: with no rule
    between columns, a header's glyphs stand in one or two of its columns, and other headers
    stand level with or below it whether or not it is theirs (a producer centres a header in
    its cell vertically or not). What places it is that it is centred over its columns: its
    span is the narrowest run of columns, around its glyphs, whose middle is its middle, with
    header text beneath it on both sides of that middle and none beside it on its line, that
    holds a lower group's span whole or not at all. Lines are taken bottom up, so a lower
    group's span is settled first. A top line of two or more groups is `_merges`'s."""
    settled: list[tuple[int, int]] = []
    for r in reversed(range(len(header_blocks))):
        blocks = header_blocks[r]
        heads = [b for b in blocks if id(b) in groups]
        if not (r == 0 and len(heads) >= 2):
            below = [b for line in header_blocks[r + 1:] for b in line]
            for head in heads:
                span = _centred_span(head, cols, below, [b for b in blocks if b is not head], settled)
                if span is not None:
                    for c in range(span[0], span[1] + 1):
                        hgroup[r][c] = span[0]
        starts = hgroup[r]
        settled += [(c, max(i for i, s in enumerate(starts) if s == c)) for c in sorted(set(starts))
                    if starts.count(c) > 1]


def _centred_span(block: _Block, cols: list[tuple[float, float]], below: list[_Block], beside: list[_Block],
                  settled: list[tuple[int, int]], tolerance: float = 3.0) -> tuple[int, int] | None:
    hit = sorted({c for g in block.glyphs for c, (a, z) in enumerate(cols) if a <= g.cx <= z})
    if not hit:
        return None
    options = []
    for lo in range(hit[0] + 1):
        for hi in range(max(hit[-1], lo + 1), len(cols)):
            x0, x1 = cols[lo][0], cols[hi][1]
            if abs((x0 + x1) / 2 - block.cx) > tolerance or any(x0 <= b.cx <= x1 for b in beside):
                continue
            under = [b for b in below if x0 <= b.cx <= x1]
            if not (any(b.cx < block.cx for b in under) and any(b.cx > block.cx for b in under)):
                continue
            if any(not (b < lo or a > hi) and not (lo <= a and b <= hi) for a, b in settled):
                continue  # it would cut a lower group's span
            options.append((hi - lo, lo, hi))
    return min(options)[1:] if options else None


def _merges(blocks: list[_Block], cols: list[tuple[float, float]], groups: list[_Block] | None) -> list[int]:
    """hgroup of one row: columns joined by a block that crosses their boundary.

    On the top header line, when it holds two or more group headers (预算数 | 决算数,
    each over six columns, or 收入 | 支出), every column no other text on the line
    names belongs to the nearest group header."""
    start = list(range(len(cols)))
    spans = []
    for b in blocks:  # the columns its glyphs stand in (their centres, as cell text is placed)
        hit = sorted({c for g in b.glyphs for c, (a, z) in enumerate(cols) if a <= g.cx <= z})
        if len(hit) >= 2 or (groups and b in groups and hit):
            spans.append([hit[0], hit[-1], b])
    if groups and len(groups) >= 2:
        centres = [(c0 + c1) / 2 for c0, c1 in cols]
        peers = [s for s in spans if s[2] in groups]
        others = [b for b in blocks if b not in groups]
        for c in range(len(cols)):
            if any(lo <= c <= hi for lo, hi, _ in spans) or _covered(others, cols[c]):
                continue
            owner = min(peers, key=lambda s: abs(s[2].cx - centres[c]))
            owner[0], owner[1] = min(owner[0], c), max(owner[1], c)
    for lo, hi, _ in sorted(spans, key=lambda s: s[0]):
        for c in range(lo, hi + 1):
            start[c] = start[lo]
    return start


def _covered(blocks: list[_Block], col: tuple[float, float]) -> bool:
    return any(min(col[1], b.x1) - max(col[0], b.x0) > 0.5 for b in blocks)


# ------------------------------------------------------------------ tables


def derive_table(facts: PageFacts, page_no: int, title_y0: float, stop_y: float | None,
                 max_pages: int = 6, code: str | None = None) -> list[Grid]:
    """The grids of a table without vertical rules whose title ends at title_y0 on page_no:
    one per page, the first below the title, then continuation pages while no rule closes it.
    A continuation page may repeat the title (`code`'s) above the repeated header: it goes on below it."""
    regions = []
    region = _region(facts, page_no, title_y0, stop_y)
    while region is not None and (region.header or region.body):
        regions.append(region)
        nxt = region.page + 1
        if (stop_y is not None and region.page == page_no) or nxt > len(facts.doc.pages) or len(regions) >= max_pages:
            break
        # The table goes on where the next page starts with rows of the same width before
        # any title (a rule under the last row of a page does not end it: Word draws one).
        page = facts.doc.pages[nxt - 1]
        if not page.glyphs:
            break  # no usable text layer (image-only or garbled): nothing is read from it
        titles = sorted(((ln, match_title(ln.text)) for ln in page.lines if match_title(ln.text)),
                        key=lambda t: -t[0].y1)
        start = None
        if titles and code is not None and titles[0][1] == code:
            start = titles[0][0].y0  # the title printed again with the header (print titles)
            titles = titles[1:]
        # rows with no rule at all continue only a table no rule closed on the page before
        span = None if regions[-1].closed else (regions[0].x0, regions[0].x1)
        region = _region(facts, nxt, start, max(t[0].y1 for t in titles) if titles else None, span)
        if region is None or not region.body or abs(region.x0 - regions[0].x0) > 25 or abs(region.x1 - regions[0].x1) > 25:
            break
    if not regions:
        return []
    header = regions[0].header
    body = [ln for r in regions for ln in r.body]
    pitch = regions[0].row_pitch()
    cols = _columns(header, body, regions[0].x0, regions[0].x1, pitch)
    if len(cols) < 2:
        return []
    wrap_gap = next((g for g in map(_wrap_gap, (r.body for r in regions)) if g is not None), None)
    return [_grid(r, cols, i == 0, pitch, wrap_gap) for i, r in enumerate(regions)]
