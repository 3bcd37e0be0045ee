"""Producer `libreoffice-calc`: an .xlsx workbook, one sheet a table, printed by soffice.

This is the 'Excel export' route: each table on its own sheet with merged
header cells, thin borders, numbers as numeric cells with a number format,
landscape and fit-to-width for wide tables, repeated title rows; the cover,
contents, narrative and glossary are text sheets of wrapped merged cells.
Calc does not grow the height of wrapped merged cells, so row heights are
estimated from the text length.
"""

from __future__ import annotations

import math
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .document import Cover, Document, Heading, PageBreak, Para, TableBlock, Toc

FONT = "Noto Serif CJK SC"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_H = {"left": "left", "center": "center", "right": "right"}
PT_PER_WIDTH = 7.0  # points per column-width unit as LibreOffice prints it (measured)
TEXT_WIDTH = 72  # a text sheet's one column: fits A4 portrait at 100 %


def _lines(text: str, width_pt: float, size: float) -> int:
    # CJK glyphs are one em wide, ASCII about half
    em = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)
    return max(1, math.ceil(em * size / max(width_pt - 4, 1)))


def _wrap(text: str, width_pt: float, size: float) -> list[str]:
    lines, line, used = [], "", 0.0
    for ch in text:
        w = (1.0 if ord(ch) > 0x2E80 else 0.55) * size
        if used + w > width_pt and line:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def _setup(ws, landscape: bool, title_rows: str | None = None, width_units: float | None = None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if width_units:
        # a fixed print scale that fits the width: Calc's own fit-to-width costs ~1 s a workbook
        # (and it ignores fitToHeight=0 on sheets without merged cells)
        printable = (841.9 if landscape else 595.3) - 72
        ws.page_setup.scale = min(100, int(printable / (width_units * PT_PER_WIDTH) * 100) - 1)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.8
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.oddFooter.center.text = "&P"
    if title_rows:
        ws.print_title_rows = title_rows


class _TextSheet:
    """A sheet of paragraphs, each one merged row across a fixed width."""

    def __init__(self, wb: Workbook, name: str):
        self.ws = wb.create_sheet(name)
        self.ws.column_dimensions["A"].width = TEXT_WIDTH
        self.row = 1
        _setup(self.ws, False)

    def add(self, text: str, size: float = 10.5, align: str = "left", indent: bool = False, gap: float = 0) -> None:
        """One paragraph, broken into one row per printed line.

        Calc prints single-line cells in a first pass and wrapped cells in a second, so
        wrapped paragraphs would come after every heading in the text layer; a row per
        line (as people type text into a sheet) keeps the reading order."""
        if indent:
            text = "\u3000\u3000" + text  # two ideographic spaces: how Excel users indent a paragraph
        for i, line in enumerate(_wrap(text, TEXT_WIDTH * PT_PER_WIDTH - 8, size) or [""]):
            cell = self.ws.cell(self.row, 1, line)
            cell.font = Font(name=FONT, size=size)
            cell.alignment = Alignment(horizontal=align, vertical="center")
            self.ws.row_dimensions[self.row].height = size * 1.55 + (gap if i == 0 else 0)
            self.row += 1

    def page_break(self) -> None:
        from openpyxl.worksheet.pagebreak import Break

        self.ws.row_breaks.append(Break(id=self.row - 1))


def _number(text: str):
    """Printed text -> the numeric value Excel would hold, and the format that prints it back."""
    value = Decimal(text.replace(",", ""))
    decimals = len(text.split(".")[1]) if "." in text else 0  # 2 as a rule; Jiangsu budgets print 3990.4 or 80
    fmt = ("#,##0" if "," in text else "0") + ("." + "0" * decimals if decimals else "")
    return float(value), fmt


def _table_sheet(wb: Workbook, block: TableBlock, repeat: bool, size: float) -> None:
    name = block.code or "附件"
    ws = wb.create_sheet(name)
    ncols = block.ncols
    scale = (150 if block.landscape else 100) / sum(block.widths)
    for i, w in enumerate(block.widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = w * scale
    colpt = [w * scale * PT_PER_WIDTH for w in block.widths]
    r = 1

    def merged_line(text, font_size, align, height=None):
        nonlocal r
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        cell = ws.cell(r, 1, text)
        cell.font = Font(name=FONT, size=font_size)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = height or _lines(text, sum(colpt), font_size) * font_size * 1.5
        r += 1

    def spread_line(items: list[tuple[str, int]], valign: str, height: float):
        """Meta items in cells of their own, each over its columns: first left, last right, the rest centred."""
        nonlocal r
        col = 1
        for i, (item, span) in enumerate(items):
            if span > 1:
                ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + span - 1)
            c = ws.cell(r, col, item)
            c.font = Font(name=FONT, size=9)
            align = "left" if i == 0 else ("right" if i == len(items) - 1 else "center")
            c.alignment = Alignment(horizontal=align, vertical=valign)
            col += span
        ws.row_dimensions[r].height = height
        r += 1

    title_row = r
    if block.sheet_head:  # the whole head inside the frame: title, label, meta items in cells of their own
        merged_line(block.title, 15, "center", 30)
        merged_line(block.label, 9, "right", 16)
        spread_line(block.sheet_meta(), "top", 16)
        for rr in range(title_row, r):
            for cc in range(1, ncols + 1):
                ws.cell(rr, cc).border = BOX
    elif block.title_in_table:  # the label above, the title and meta line as bordered merged rows
        if block.label and not block.label_inline:
            merged_line(block.label, 9, "right", 14)
        title_row = r
        merged_line(block.title, 15, "center", 30)
        meta = list(block.meta)
        if block.label_inline and block.label:
            meta.insert(-1, block.label)
        merged_line("      ".join(meta), 9, "center", 16)
        for rr in (title_row, title_row + 1):
            for cc in range(1, ncols + 1):
                ws.cell(rr, cc).border = BOX
    else:
        merged_line(block.title, 15, "center", 30)
        if block.label and not block.label_inline:
            merged_line(block.label, 9, "right", 14)
    meta = list(block.meta)
    if block.label_inline and block.label:
        meta.insert(-1, block.label)
    if len(meta) > ncols:  # never print past the table's last column (Calc would add a page)
        meta = [meta[0], "  ".join(meta[1:])] if ncols > 1 else ["  ".join(meta)]
    if not (block.title_in_table or block.sheet_head):
        spread_line(list(zip(meta, _split(ncols, len(meta)))), "center", 15)
    if block.unit_line:
        merged_line(block.unit_line, 9, "right", 14)
    first_header = r
    n_head, n_rows = len(block.header), len(block.header) + len(block.body)
    for k, grid_row in enumerate(block.header + block.body):
        lines = 1
        for c, cell in enumerate(grid_row):
            target = ws.cell(r, c + 1)
            if block.rules == "three-line":  # 三线表: rules above and below the header, below the last row
                top = Side(style="medium", color="000000") if k == 0 else None
                bottom = (Side(style="medium", color="000000") if k == n_rows - 1
                          else THIN if n_head and k == n_head - 1 else None)
                target.border = Border(top=top, bottom=bottom)
            elif block.header_joins_body and k in (n_head - 1, n_head):
                # no rule between the last header row and the first body row: one ruled row
                target.border = Border(left=THIN, right=THIN, top=THIN if k == n_head - 1 else None,
                                       bottom=THIN if k == n_head else None)
            else:
                target.border = BOX
            if cell is None:
                continue
            if cell.key and cell.text:
                value, fmt = _number(cell.text)
                target.value, target.number_format = value, fmt
            else:
                target.value = cell.text or None
            target.font = Font(name=FONT, size=size)
            # top-aligned: LibreOffice writes Descent 0 for its embedded CJK font, so pdfminer-based
            # parsers (camelot/playa) box each glyph about one em below where it is drawn, and
            # centred or bottom-aligned text in a tight row lands one row low
            target.alignment = Alignment(horizontal=_H[cell.align], vertical="top", wrap_text=not cell.key,
                                         shrink_to_fit=bool(cell.key))
            if cell.colspan > 1 or cell.rowspan > 1:
                ws.merge_cells(start_row=r, start_column=c + 1, end_row=r + cell.rowspan - 1,
                               end_column=c + cell.colspan)
                if block.rules == "three-line" and k + cell.rowspan - 1 == n_head - 1 and k < n_head - 1:
                    # a header cell merged down to the header rule draws it at its own bottom
                    target.border = Border(top=target.border.top, bottom=THIN)
            if cell.rowspan == 1:
                lines = max(lines, _lines(cell.text, sum(colpt[c:c + cell.colspan]), size))
        ws.row_dimensions[r].height = lines * size * 1.35 + size * 0.7 + 2
        r += 1
    if block.note:
        merged_line(block.note, 8.5, "left")
    if block.empty:
        merged_line(block.empty_text, 8.5, "left")
    first_repeat = title_row if block.title_in_table or block.sheet_head else first_header
    title_rows = f"{first_repeat}:{first_header + len(block.header) - 1}" if repeat and block.header else None
    _setup(ws, block.landscape, title_rows, sum(block.widths) * scale)


def _split(n: int, k: int) -> list[int]:
    base, extra = divmod(n, k)
    return [base + (1 if i < extra else 0) for i in range(k)] if n >= k else [1] * k


def workbook(doc: Document) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    sheet = _TextSheet(wb, "封面")
    size = doc.style.font_size
    for block in doc.blocks:
        if isinstance(block, TableBlock):
            _table_sheet(wb, block, doc.style.repeat_header, size)
            sheet = None
            continue
        if isinstance(block, PageBreak):
            continue
        if sheet is None:
            sheet = _TextSheet(wb, "说明" if "说明" not in wb.sheetnames else f"文字{len(wb.sheetnames)}")
        if isinstance(block, Cover):
            sheet.add("", gap=120)
            sheet.add(block.department, 26, "center", gap=20)
            sheet.add(block.title, 22, "center", gap=200)
            sheet.add(block.date, 14, "center")
        elif isinstance(block, Heading):
            if block.level <= 1 and sheet.row > 1:
                sheet.page_break()
            align = "center" if block.level <= 1 else "left"
            sheet.add(block.text, {0: 18, 1: 16, 2: 12, 3: 11}[block.level], align, indent=block.level == 3, gap=6)
        elif isinstance(block, Toc):
            for text, level in block.entries:
                sheet.add(("\u3000\u3000" if level == 2 else "") + text, 11 if level == 1 else 10.5)
        elif isinstance(block, Para):
            sheet.add(block.text, 10.5, indent=block.indent)
    return wb


def write_source(doc: Document, path) -> None:
    workbook(doc).save(path)
