"""From a located table's grids to canonical cells (TABLES.md keys).

Columns are mapped by their header text, never by position; rows by function
or economic code, or by their normalised label. What a table's keys and header
words are is its declaration's (disclosures.tables); here is only how each
layout (a declaration's `reader`) is read. Each function takes the
table's grids in page order (the first on the title page, then continuation
pages) and returns raw cell dicts: row_key, column_key, value (in the printed
unit), printed text, row label, page and box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from disclosures.normalize import (
    is_code, is_enumerated, label_key, norm_text, parse_amount, without_lost_enumeration,
)
from disclosures.parse.grid import Cell, Grid, _layout
from disclosures.tables import BY_CODE, Table, known_labels


@dataclass
class RawCell:
    row_key: str
    column_key: str
    value: float
    printed: str
    row_label: str
    cell: Cell
    unit: str | None = None  # a count's unit; None for money


@dataclass
class Seen:
    """The row and column keys a reader found printed, figures or not (a blank cell is zero;
    a key not found was not read, which is not the same). `tracked`: the reader reports them."""

    rows: set[str] = field(default_factory=set)
    columns: set[str] = field(default_factory=set)
    tracked: bool = False


def not_read(table: Table, seen: Seen) -> list[str]:
    """The declared required rows and columns the reader did not find, as `row 合计` / `column 事业收入`."""
    if not seen.tracked:
        return []
    return ([f"row {r}" for r in table.required_rows if r not in seen.rows]
            + [f"column {c}" for c in table.required_columns if c not in seen.columns])


# ---------------------------------------------------------------- headers

_COLUMN_NUMBERS = re.compile(r"^\d{1,2}$")


def _is_column_number_row(row: list[Cell]) -> bool:
    """The 栏次 row (`栏次 | 1 | 2 | …`), which carries no amounts."""
    texts = [norm_text(c.text) for c in row if norm_text(c.text)]
    if not texts:
        return False
    if any(t == "栏次" for t in texts):
        return True
    nums = [int(t) for t in texts if _COLUMN_NUMBERS.match(t)]
    return len(nums) == len(texts) and len(nums) >= 2 and nums == sorted(nums) and nums[0] <= 2


def header_paths(grid: Grid, n_header: int) -> list[list[str]]:
    """For each column, the normalised texts of the merged header cells above it.

    A header cell merged over several rows (no rule beneath it) is read as one
    cell: its wrapped text can straddle the hidden row boundary (`上` / `级补助收入`).
    """
    paths = []
    for c in range(len(grid.col_bounds)):
        segs: list[str] = []
        r = 0
        while r < n_header:
            if _is_column_number_row(grid.rows[r]):
                r += 1
                continue
            glyphs = []
            while True:
                start = grid.hgroup[r][c]
                merged = grid.merged_row(r)[start]
                glyphs.extend(merged.glyphs if merged is not None else [])
                if r + 1 < n_header and grid.vjoin[r][c]:
                    r += 1
                    continue
                break
            text = norm_text(_layout(glyphs))
            if text and (not segs or segs[-1] != text):
                segs.append(text)
            r += 1
        paths.append(segs)
    return paths


def _join(grids: list[Grid], wrapped: bool = False) -> tuple[Grid, list[list[Cell | None]]]:
    """All rows of a table, continuation pages' cells moved into the first page's columns.

    With `wrapped` (a declaration's `labels_wrap_across_pages`: Jiangsu 2017's 收支预算总表),
    a continuation page whose first row prints no amount, only text under labels of
    the previous page's last row, holds that row's wrapped labels (`当年收入` / `小计`,
    `社会保障和就` / `业支出`): its text is appended to them.

    Not camelot's `TableList.stack_contiguous`: it joins only tables with equal column
    counts and its stacked table keeps the first page's number, while every cell here
    keeps the page it is printed on (lineage), and a continuation page whose header is
    not repeated may split or merge columns differently."""
    base = grids[0]
    rows: list[list[Cell | None]] = [base.merged_row(r) for r in range(len(base.rows))]
    for grid in grids[1:]:
        mapping = [_closest_column(base.col_bounds, b) for b in grid.col_bounds]
        for r in range(len(grid.rows)):
            row = grid.merged_row(r)
            out: list[Cell | None] = [None] * len(base.col_bounds)
            for c, cell in enumerate(row):
                target = mapping[c]
                if target is None or cell is None:
                    continue
                if out[target] is None:
                    out[target] = cell
                elif cell.text:
                    prev = out[target]
                    out[target] = Cell(prev.text + cell.text, prev.page, prev.box, method=prev.method)
            if wrapped and r == 0 and rows and _continues_labels(rows[-1], out):
                rows[-1] = [prev if cell is None or not cell.text else
                            Cell(prev.text + cell.text, prev.page, prev.box, method=prev.method)
                            for prev, cell in zip(rows[-1], out)]
                continue
            rows.append(out)
    return base, rows


# what a repeated header row prints in its label columns: never the tail of a wrapped label
_HEADER_LABELS = {"项目", "项目名称", "收入", "支出", "本年收入", "本年支出", "功能分类", "支出用途", "科目名称"}


def _continues_labels(prev: list[Cell | None], row: list[Cell | None]) -> bool:
    """A row printing text only where the previous row prints a label (not an amount), no amount,
    and no text opening an item of its own (`二十、粮油物资储备支出` under `十九、住房保障支出`
    is the next category, whose amount is blank)."""
    texts = [(p, c) for p, c in zip(prev, row) if c is not None and norm_text(c.text)]
    return bool(texts) and all(
        p is not None and norm_text(p.text) and parse_amount(p.text) is None and parse_amount(c.text) is None
        and norm_text(c.text) not in _HEADER_LABELS and not is_enumerated(c.text)
        for p, c in texts)


def _closest_column(cols: list[tuple[float, float]], bounds: tuple[float, float]) -> int | None:
    # a continuation column spanning several of the first page's (a label cell without the
    # rules between them) holds what is printed from its left: the leftmost it covers
    covered = [i for i, (left, right) in enumerate(cols)
               if min(right, bounds[1]) - max(left, bounds[0]) > 0.5 * (right - left)]
    if len(covered) > 1:
        return covered[0]
    best, best_overlap = None, 0.0
    for i, (left, right) in enumerate(cols):
        overlap = min(right, bounds[1]) - max(left, bounds[0])
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def _text(cell: Cell | None) -> str:
    return cell.text if cell is not None else ""


def _amount_cell(row_label: str, row_key: str, column_key: str, cell: Cell | None, unit=None) -> RawCell | None:
    if cell is None:
        return None
    value = parse_amount(cell.text)
    if value is None:
        return None
    return RawCell(row_key, column_key, value, norm_text(cell.text), row_label, cell, unit)


def _match(text: str, synonyms: list[tuple[str, tuple[str, ...]]]) -> str | None:
    """The key whose synonyms equal, then are contained in, the text."""
    for key, words in synonyms:
        if text in words:
            return key
    for key, words in synonyms:
        if any(w in text for w in words):
            return key
    return None


# ------------------------------------------------------- function-code tables

_LABEL_HEADER_WORDS = ("科目", "编码", "代码", "功能分类")


def _column_keys(paths: list[list[str]], synonyms) -> dict[int, str]:
    keys = {}
    for c, segs in enumerate(paths):
        if not segs:
            continue
        # Match the full path first (本年支出 + 小计), then the deepest segment.
        joined = "".join(s for s in segs if s not in ("项目",))
        key = _match(joined, synonyms) if joined else None
        if key is None:
            key = _match(segs[-1], synonyms)
        if key is not None and key not in keys.values():
            keys[c] = key
    return keys


def _first_data_row(rows, is_data) -> int:
    for i, row in enumerate(rows):
        if is_data(row):
            return i
    return len(rows)


def _split_shared_row(grid: Grid) -> Grid:
    """A ruled grid whose last header row shares its ruled row with 合计 (no rule under 类 款 项,
    nor under the column headers above the figures), with that row split in two: the header
    lines above, 合计 and its figures below.

    Only the rows before the first function code are looked at, and a row is split only when
    a cell's last line is 合计 or an amount under header text in the same cell. What goes below
    is every line on the total's band (the height of those last lines), whatever its text: a
    合计 centred over the label columns may be cut by the rule between 项 and 科目名称, leaving
    `合` in one cell and `计` in the next, neither of them read as 合计 on its own."""
    from disclosures.pdfdoc import _lines

    for r, row in enumerate(grid.rows):
        if any(is_code(norm_text(c.text)) for c in row):
            return grid
        cell_lines = [_lines(c.glyphs) for c in row]
        lows = []
        for lines in cell_lines:
            last = norm_text(lines[-1].text) if lines else ""
            if last in ("合计", "总计") or (parse_amount(last) is not None and "." in last):
                lows.append((lines[-1], len(lines) > 1))
        if not any(shared for _, shared in lows):
            continue
        bottom, top = min(ln.y0 for ln, _ in lows), max(ln.y1 for ln, _ in lows)

        def on_band(ln) -> bool:
            return bottom <= (ln.y0 + ln.y1) / 2 <= top

        split = [([ln for ln in lines if not on_band(ln)], [ln for ln in lines if on_band(ln)])
                 for lines in cell_lines]

        def part(cell: Cell, lines) -> Cell:
            glyphs = [g for ln in lines for g in ln.glyphs]
            return Cell(_layout(glyphs), cell.page, cell.box, glyphs, cell.method)

        upper = [part(c, up) for c, (up, _) in zip(row, split)]
        lower = [part(c, low) for c, (_, low) in zip(row, split)]
        return replace(grid, rows=[*grid.rows[:r], upper, lower, *grid.rows[r + 1:]],
                       hgroup=[*grid.hgroup[:r + 1], *grid.hgroup[r:]],
                       vjoin=[*grid.vjoin[:r], [False] * len(row), *grid.vjoin[r:]], n_header=r + 1)
    return grid


# header words of the label columns (项目 / 科目编码 / 类 款 项 / 科目名称 / 栏次)
_LABEL_HEADS = {"项目", "科目编码", "科目代码", "科目名称", "功能分类科目编码", "类", "款", "项", "栏次"}


def _label_text(cell: Cell | None) -> str:
    """A label cell's text without the header words a row it shares with the header holds."""
    lines = [ln for ln in _text(cell).split("\n") if norm_text(ln) not in _LABEL_HEADS]
    return norm_text("".join(lines))


def code_table(table: Table, grids: list[Grid], seen: Seen) -> list[RawCell]:
    """Rows by function code (类/款/项) and 合计 (公开02, 03, 05, 07, 08)."""
    if grids and grids[0].n_header is None:
        grids = [_split_shared_row(grids[0]), *grids[1:]]
    base, rows = _join(grids)
    synonyms = table.column_synonyms()

    # Header rows end where the first row labelled by a code or 合计 begins; the label is
    # what the row prints before its first amount (a merged 合计 may sit over any label column).
    # The last header row may share its ruled row with 合计 (no rule under 类 款 项): its
    # header words are not part of the label.
    def is_data(row):
        lead = []
        for cell in row:
            t = norm_text(_text(cell))
            if parse_amount(t) is not None and not is_code(t):
                break
            lead.append(_label_text(cell))
        words = "".join(t for t in lead if not t.isdigit())
        return any(is_code(t) for t in lead) or words in ("合计", "总计")

    n_header = base.n_header or _first_data_row([base.merged_row(r) for r in range(len(base.rows))], is_data)
    paths = header_paths(base, n_header)
    # Label columns (科目编码, 科目名称, 项目) never hold amounts, whatever sits below them.
    paths = [[] if any(w in s for s in segs for w in _LABEL_HEADER_WORDS) else segs for segs in paths]
    keys = _column_keys(paths, synonyms)
    if not keys:
        return []
    seen.tracked = True
    seen.columns.update(keys.values())
    first_amount = min(keys)
    out: list[RawCell] = []
    last_lei, last_kuan = "", ""
    for row in rows[n_header:]:
        if _is_column_number_row([c for c in row if c is not None]):
            continue
        labels = [_label_text(c) for c in row[:first_amount]]
        digits = [norm_text(t) for t in labels if norm_text(t).isdigit()]
        # split 类 | 款 columns from a spreadsheet can drop a part's leading zero (`301 | 2` for 30102)
        digits = digits[:1] + [d.zfill(2) if len(d) == 1 else d for d in digits[1:]]
        names = [t for t in labels if t and not norm_text(t).isdigit()]
        name = "".join(norm_text(t) for t in names)
        code = "".join(digits)
        if len(code) == 2:
            # Split 类/款/项 columns may print only this row's own part (`11`, `01`).
            parent = last_lei if row_depth(labels) <= 2 else last_kuan
            code = parent + code if parent else ""
        if code and len(code) in (3, 5, 7):
            if len(code) == 3:
                last_lei, last_kuan = code, ""
            elif len(code) == 5:
                last_lei, last_kuan = code[:3], code
            row_key = code
        elif label_key(name) in ("合计", "总计"):
            row_key = "合计"
        else:
            continue
        seen.rows.add(row_key)
        for c, column_key in keys.items():
            cell = _amount_cell(name, row_key, column_key, row[c])
            if cell is not None:
                out.append(cell)
    return out


def row_depth(labels: list[str]) -> int:
    """Which split code column (1 类, 2 款, 3 项) the last printed code part sits in."""
    depth = 0
    for i, t in enumerate(labels[:3]):
        if norm_text(t).isdigit():
            depth = i + 1
    return depth


# ------------------------------------------------------------ two-sided tables

def summary_table(table: Table, grids: list[Grid], seen: Seen) -> list[RawCell]:
    """An income side and an expenditure side, each 项目 | (行次) | amounts (公开01, 公开04).

    A side prints one amount column, keyed by the declaration's side key; the
    `mapped_side` may print several, mapped by header to the declared columns."""
    base, rows = _join(grids, wrapped=table.layout.get("labels_wrap_across_pages", False))

    header_words = {"项目", "收入", "支出", "栏次", "金额", "决算数"} | set(table.layout.get("header_words", ()))

    def is_header(row):
        texts = {norm_text(_text(c)) for c in row}
        return bool(texts & header_words) and not any(
            parse_amount(_text(c)) is not None and not _COLUMN_NUMBERS.match(norm_text(_text(c))) for c in row
        )

    n_header = base.n_header  # a three-line table's header rule says where the header ends
    if n_header is None:
        n_header = 0
        while n_header < len(base.rows) and (
            is_header(base.merged_row(n_header)) or _is_column_number_row(base.rows[n_header])
        ):
            n_header += 1
    paths = header_paths(base, n_header)
    label_headers = table.layout.get("label_headers", ("项目",))
    label_cols = [c for c, segs in enumerate(paths) if segs and segs[-1] in label_headers]
    if len(label_cols) < 2:
        return []
    side_keys = table.layout["side_keys"]
    sides = [(label_cols[0], label_cols[1], side_keys[0]), (label_cols[1], len(paths), side_keys[1])]
    if len(label_cols) > 2:
        # Jiangsu prints three blocks: income, expenditure by function, by use (支出用途);
        # a block is on the side its header names
        ends = label_cols[1:] + [len(paths)]
        sides = [(c, end, side_keys[0] if any("收入" in s for s in paths[c]) else side_keys[1])
                 for c, end in zip(label_cols, ends)]
    out: list[RawCell] = []
    seen.tracked = True
    for side, (start, end, side_key) in enumerate(sides):
        amount_cols = [c for c in range(start + 1, end) if not any("行次" in s for s in paths[c])]
        if side_key == side_keys[1] and side >= table.layout.get("mapped_side", len(sides)) and len(amount_cols) > 1:
            keys = _column_keys([paths[c] for c in amount_cols], table.column_synonyms())
            col_keys = {amount_cols[i]: k for i, k in keys.items()}
        else:
            col_keys = {amount_cols[-1]: side_key} if amount_cols else {}
        seen.columns.update(col_keys.values())
        parent = None
        for row in rows[n_header:]:
            label = label_key(_text(row[start]))
            if not label or label == "栏次":
                continue
            label = without_lost_enumeration(label, known_labels())
            label = table.row_synonyms.get(label, label)
            if label in table.sub_lines:
                parent = label
            elif parent and label in table.sub_lines[parent]:
                label = f"{parent}/{label}"
            elif label == "总计":
                parent = None
            seen.rows.add(label)
            row_keys = col_keys
            if col_keys and all(row[c] is None for c in col_keys) and end < len(row) and row[end] is None:
                # a total line's label merged across the next block (Jiangsu's 当年支出小计 over 功能分类
                # and 支出用途): its amount is the first one printed after it
                after = [c for c in range(end + 1, len(row)) if row[c] is not None and c not in label_cols]
                row_keys = {after[0]: next(iter(col_keys.values()))} if after else {}
            for c, key in row_keys.items():
                cell = _amount_cell(norm_text(_text(row[start])), label, key, row[c])
                if cell is not None:
                    out.append(cell)
    return out


# ------------------------------------------------------ economic subjects

def basic_detail_table(table: Table, grids: list[Grid], seen: Seen) -> list[RawCell]:
    """Side-by-side groups of 科目代码 | 科目名称 | amount, read as one list (公开06)."""
    base, rows = _join(grids)
    totals = table.total_rows
    (column,) = table.columns

    def is_data(row):
        return any(is_code(_text(c)) for c in row) or any(label_key(_text(c)) in totals for c in row)

    n_header = base.n_header or _first_data_row(base.rows, is_data)
    paths = header_paths(base, n_header)
    kinds = []
    for segs in paths:
        last = segs[-1] if segs else ""
        if any(w in last for w in ("代码", "编码", "类", "款")):
            kinds.append("code")
        elif "名称" in last:
            kinds.append("name")
        elif any(w in last for w in column.synonyms):
            kinds.append("amount")
        else:
            kinds.append("")
    out: list[RawCell] = []
    seen.tracked = True
    if "amount" in kinds:
        seen.columns.add(column.key)
    # (group, row) -> (code parts, name, amount cell); the groups are read one after the
    # other, so a group whose rows continue the previous group's 类 (split 类/款 columns
    # printing only `01`) takes that 类.
    entries: dict[int, list[tuple[list[str], str, Cell | None]]] = {}
    for row in rows[n_header:]:
        code_parts, name, group = [], "", 0
        for c, kind in enumerate(kinds):
            text = _text(row[c])
            key = label_key(text)
            if key in totals:
                seen.rows.add(key)
                for cc in range(c + 1, len(row)):
                    cell = _amount_cell(key, key, column.key, row[cc])
                    if cell is not None:
                        out.append(cell)
                        break
                code_parts, name = [], ""
                continue
            if kind == "code" and norm_text(text).isdigit():
                code_parts.append(norm_text(text))
            elif kind == "name":
                name = norm_text(text)
            elif kind == "amount":
                entries.setdefault(group, []).append((code_parts, name, row[c]))
                group += 1
                code_parts, name = [], ""
    last_lei = ""
    for group in sorted(entries):
        for code_parts, name, amount in entries[group]:
            code = "".join(code_parts)
            if len(code) == 3:
                last_lei = code
            elif len(code) == 2 and last_lei:
                code = last_lei + code
            elif len(code) == 5:
                last_lei = code[:3]
            if len(code) in (3, 5):
                cell = _amount_cell(name, code, column.key, amount)
                if cell is not None:
                    out.append(cell)
    return out


# ------------------------------------------------------ column blocks (三公)


def sangong_table(table: Table, grids: list[Grid], seen: Seen) -> list[RawCell]:
    """Columns (预算数|决算数) × item, in either order of blocks (公开09); a block is a row. Or
    turned: the blocks printed as rows (their label before the first figure), the items as columns."""
    base, rows = _join(grids)
    blocks = table.layout["blocks"]
    items_synonyms = table.column_synonyms()

    def is_data(row):
        return not _is_column_number_row(row) and any(parse_amount(c.text) is not None for c in row)

    n_header = base.n_header or _first_data_row(base.rows, is_data)
    columns = []
    for c, segs in enumerate(header_paths(base, n_header)):
        kind = next((k for k in blocks for s in segs if k in s), None)
        items = [_drop(s, blocks) for s in segs if s not in blocks]
        item = None
        # the deepest header names the item; a name wrapped into segments (公务用车运行维 / 护费) is joined
        for k in range(1, len(items) + 1):
            item = _match("".join(items[-k:]), items_synonyms)
            if item:
                break
        if item is not None:
            columns.append((c, kind, item))
    body = [row for row in rows[n_header:] if not _is_column_number_row([x for x in row if x is not None])]
    out: list[RawCell] = []
    seen.tracked = True
    turned = not any(kind for _, kind, _ in columns)
    first = min((c for c, _, _ in columns), default=0)
    for row in body:
        label = norm_text("".join(_text(x) for x in row[:first]))
        row_kind = next((k for k in blocks if k in label), None) if turned else None
        for c, kind, item in columns:
            kind = row_kind if turned else kind
            if kind is None:
                continue
            seen.rows.add(kind)
            seen.columns.add(item)
            cell = _amount_cell(kind, kind, item, row[c])
            if cell is not None:
                out.append(cell)
    return out


def _drop(text: str, words: tuple[str, ...]) -> str:
    for w in words:
        text = text.replace(w, "")
    return text


# ---------------------------------------------------- statistics table

def statistics_table(table: Table, grids: list[Grid], seen: Seen) -> list[RawCell]:
    """Sections (政府采购 / 机关运行经费 / 国有资产占用, 公开10), one figure each line.

    Lines of a keyed section are money keyed section/line; the others are counts."""
    _, rows = _join(grids)
    (column,) = table.columns
    layout = table.layout
    value_col = None
    for row in rows:
        for c, cell in enumerate(row):
            if norm_text(_text(cell)) == column.key:
                value_col = c
    if value_col is None:
        value_col = len(rows[0]) - 1 if rows else 0
    out: list[RawCell] = []
    section = None
    for row in rows:
        label = without_lost_enumeration(label_key(_text(row[0])), known_labels())
        if not label or label in ("项目", "栏次"):
            continue
        for word, name in layout["sections"]:
            if word in label:
                section = name
        if parse_amount(_text(row[value_col])) is None:
            continue
        unit = None
        if section in layout["keyed_sections"]:
            key = f"{section}/{label}"
        else:
            key = re.sub(r"（(辆|台（套）|台套)）$", "", label)
            unit = next((u for w, u in layout["count_units"] if w in key), layout["default_count_unit"])
        cell = _amount_cell(norm_text(_text(row[0])), key, column.key, row[value_col], unit)
        if cell is not None:
            out.append(cell)
    return out


# ------------------------------------------------------ one row of totals

def one_row_table(table: Table, grids: list[Grid], seen: Seen) -> list[RawCell]:
    """A header over one row of amounts, keyed by the declaration's row key (预算09; Jiangsu's 预算03).

    Each column is mapped by its joined header path, so a 小计 or 合计 under a
    group header finds the group's key."""
    base, rows = _join(grids)

    def is_data(row):
        return not _is_column_number_row([c for c in row if c is not None]) and any(
            parse_amount(_text(c)) is not None for c in row)

    n_header = base.n_header or _first_data_row(rows, is_data)
    paths = header_paths(base, n_header)
    keys = _column_keys([[s for s in segs if s not in ("项目", "预算数")] or segs for segs in paths],
                        table.column_synonyms())
    if "total_only_beside" in table.layout:
        total, part_total, beside = table.layout["total_only_beside"]
        if not set(beside) & set(keys.values()) and part_total not in keys.values():
            keys = {c: part_total if k == total else k for c, k in keys.items()}
    row_key = table.layout["row_key"]
    seen.tracked = True
    seen.columns.update(keys.values())
    out: list[RawCell] = []
    for row in rows[n_header:]:
        if _is_column_number_row([c for c in row if c is not None]):
            continue
        seen.rows.add(row_key)
        for c, key in keys.items():
            cell = _amount_cell(row_key, row_key, key, row[c])
            if cell is not None:
                out.append(cell)
    return out


# ------------------------------------------------------ grouped label lines

def grouped_lines_table(table: Table, grids: list[Grid], seen: Seen) -> list[RawCell]:
    """Label lines in one amount column, grouped by a label printed beside them (Jiangsu's 预算02).

    The group's label is one cell merged down over its lines (its text may sit
    on any of them); the group's 小计 line is keyed by the group, a label merged
    across both label columns (收入总计, a group printed on one line) by itself,
    any other line by its own label. Amounts are the last column's."""
    _, rows = _join(grids)
    total_key = table.columns[0].key
    group_total = table.layout["group_total"]
    # the first column's merged blocks (no rule between their rows), page by page; a page
    # starting inside a block (no group printed yet) continues the last group
    group_of: dict[int, str] = {}
    offset, last = 0, ""
    for grid in grids:
        r = 0
        while r < len(grid.rows):
            start = r
            while r + 1 < len(grid.rows) and grid.vjoin[r][0]:
                r += 1
            text = label_key("".join(_text(rows[offset + i][0]) for i in range(start, r + 1)))
            text = text or (last if start == 0 else "")
            group_of.update({offset + i: text for i in range(start, r + 1)})
            last = text
            r += 1
        offset += len(grid.rows)
    out: list[RawCell] = []
    for i, row in enumerate(rows):
        if len(row) < 2:
            continue
        group = table.row_synonyms.get(group_of.get(i, label_key(_text(row[0]))), group_of.get(i, label_key(_text(row[0]))))
        line = label_key(_text(row[1])) if len(row) > 2 else ""
        if row[1] is None or not line:
            key = group
        elif line == group_total:
            key = group
        else:
            key = line
        if not key or key in ("项目名称", "项目", "金额"):
            continue
        seen.tracked = True
        seen.rows.add(key)
        seen.columns.add(total_key)
        cell = _amount_cell(label_key(_text(row[1])) or key, key, total_key, row[-1])
        if cell is not None:
            out.append(cell)
    return out


# ------------------------------------------------------ procurement lines

def procurement_table(table: Table, grids: list[Grid], seen: Seen) -> list[RawCell]:
    """Procurement lines keyed by their path of printed levels (预算13).

    A blank 专项名称, 经济科目 or 采购物品名称 repeats the one above (also across a
    page break); a 大类 line (`一、货物A`) starts a category."""
    base, rows = _join(grids)
    layout = table.layout
    categories = layout["categories"]

    def is_data(row):
        return any(parse_amount(_text(c)) is not None for c in row)

    n_header = base.n_header or _first_data_row(rows, is_data)
    paths = header_paths(base, n_header)
    level_cols: dict[int, int] = {}
    for c, segs in enumerate(paths):
        joined = "".join(segs)
        for level, words in enumerate(layout["levels"]):
            if level not in level_cols.values() and any(w in joined for w in words):
                level_cols[c] = level
                break
    (column,) = table.columns
    # the amount column is the one headed 总计 (合计, 金额), not an empty border column beside it
    amount_cols = [c for c in range(len(paths)) if c not in level_cols
                   and any(w in "".join(paths[c]) for w in column.synonyms)]
    if not level_cols or not amount_cols:
        return []
    amount_col = amount_cols[-1]
    out: list[RawCell] = []
    path: list[str] = ["", "", "", "", ""]
    for row in rows[n_header:]:
        texts = {level: norm_text(_text(row[c])) for c, level in level_cols.items()}
        printed = "".join(texts.values())
        cell = row[amount_col]
        if not printed and cell is None:
            continue
        label = label_key(printed)
        category = next((k for k in categories if re.sub(r"[A-Za-z]$", "", label) == k), None)
        if label in ("合计", "总计"):
            key = "合计"
        elif category:
            path = [category, "", "", "", ""]
            key = category
        else:
            for level in range(1, 5):
                if texts.get(level):
                    path[level] = texts[level]
            if texts.get(3) or texts.get(4):  # an item line: what and how it is bought
                key = "/".join(path[:5])
            else:  # a subtotal line: a project under an economic subject
                path[3] = path[4] = ""
                key = "/".join(path[:3])
        seen.tracked = True
        seen.rows.add(key)
        seen.columns.add(column.key)
        raw = _amount_cell(label, key, column.key, cell)
        if raw is not None:
            out.append(raw)
    return out


READERS = {
    "summary": summary_table,
    "function_codes": code_table,
    "economic_groups": basic_detail_table,
    "blocks": sangong_table,
    "statistics": statistics_table,
    "one_row": one_row_table,
    "grouped_lines": grouped_lines_table,
    "procurement": procurement_table,
}


def table_cells(table_code: str, grids: list[Grid], seen: Seen | None = None) -> list[RawCell]:
    """The cells of one located table, read by the reader its declaration names; `seen`
    collects the row and column keys found printed (see `not_read`).

    Another template's layout of the table (`alt_readers`) is tried when the
    first reads nothing."""
    table = BY_CODE.get(table_code)
    if table is None:
        raise ValueError(f"unknown table {table_code}")
    seen = seen if seen is not None else Seen()
    for reader in (table.reader,) + table.alt_readers:
        attempt = Seen()
        cells = READERS[reader](table, grids, attempt)
        if cells or reader == table.reader:
            seen.rows, seen.columns, seen.tracked = attempt.rows, attempt.columns, attempt.tracked
        if cells:
            return cells
    return []
