"""Where a page picture's text is, as pieces each inside one table cell (parse/ocr.py reads them).

The text detector looks at a shrunken page and sees ink, not a table: its boxes
join a figure to its neighbour across a rule, reach into the next cell, lose a
thin stroke at a line's end and miss a lone narrow figure. Read as they are,
characters land in the wrong cell. Here the boxes are widened over what they
lost, cut at the table's rules and at wide white, shrunk to their ink with a
margin of white, and the characters no box holds get boxes of their own; every
piece then lies inside one cell. All in pixels of the deskewed page.
"""

from __future__ import annotations

import numpy as np

from disclosures.parse.imagegrid import H_RULE_PT, table_walls


def text_boxes(found, ink: np.ndarray, scale: float) -> list[tuple[int, ...]]:
    """Where the page's text is: the detector's boxes `found` (x0, y0, x1, y1 in pixels) as
    pieces to read (x0, y0, x1, y1, then the ink's top and bottom), each cut at
    the vertical rules that cross it. The detector sees ink, not a table's rules, and joins
    a figure to its neighbour across a rule when they sit close (`299.4430206` from 299.44 |
    30206); read whole, such a box's characters are placed by the recogniser's estimate and
    the last digit of a figure can land past its cell's rule (`125.0` | `0`). Cut at the
    rules, every piece lies inside one cell, so every character it reads is in that cell.
    Then each piece is shrunk to its ink (_tight) and cut at wide white (_at_gaps); characters
    the detector missed get boxes of their own (_missed)."""
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
