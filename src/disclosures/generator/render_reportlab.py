"""Producer `reportlab`: a PDF drawn directly, ruled tables as vector lines.

It uses reportlab's built-in CID font STSong-Light (UniGB-UCS2-H encoding),
which is referenced, not embedded: files stay a few kilobytes, no system
font is needed (CI has none), and because the encoding is a Unicode CMap
both pdfium and camelot's pdfminer-derived parser map the text back to
Unicode without a ToUnicode table.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak

from .document import Cell as TableCell
from .document import Cover, Document, Heading, PageBreak, Para, TableBlock, Toc

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _ps(name: str, size: float, align=TA_LEFT, lead: float | None = None, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=lead or size * 1.3, alignment=align, **kw)


STYLES = {
    "cover": _ps("cover", 26, TA_CENTER, 40),
    "cover2": _ps("cover2", 22, TA_CENTER, 34),
    "date": _ps("date", 14, TA_CENTER),
    "h0": _ps("h0", 18, TA_CENTER, 30, spaceAfter=12),
    "h1": _ps("h1", 16, TA_CENTER, 26, spaceBefore=6, spaceAfter=10),
    "h2": _ps("h2", 12, TA_LEFT, 20, spaceBefore=6, spaceAfter=4),
    "h3": _ps("h3", 11, TA_LEFT, 18, firstLineIndent=22),
    "body": _ps("body", 10.5, TA_LEFT, 18, firstLineIndent=21),
    "plain": _ps("plain", 10.5, TA_LEFT, 18),
    "toc1": _ps("toc1", 11, TA_LEFT, 20),
    "toc2": _ps("toc2", 10.5, TA_LEFT, 18, leftIndent=21),
    "title": _ps("title", 15, TA_CENTER, 22, spaceAfter=2),
    "label": _ps("label", 9, TA_RIGHT),
    "note": _ps("note", 8.5, TA_LEFT, 12, spaceBefore=3),
}


def _page_number(canvas, doc):
    if doc.page > 1:
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(canvas._pagesize[0] / 2, 28, str(doc.page - 1))


def _template() -> tuple[BaseDocTemplate, dict[str, float]]:
    margin = 50
    widths = {}
    templates = []
    for name, size in (("portrait", A4), ("landscape", landscape(A4))):
        frame = Frame(margin, margin, size[0] - 2 * margin, size[1] - 2 * margin, 0, 0, 0, 0, id=name)
        widths[name] = frame._width
        templates.append(PageTemplate(name, [frame], onPage=_page_number, pagesize=size))
    return templates, widths


def _cell_flowable(text: str, width: float, size: float, align: str):
    """Plain strings draw fastest; wrap only what does not fit its column."""
    if not text or pdfmetrics.stringWidth(text, FONT, size) <= width - 4:
        return text
    return Paragraph(escape(text), _ps(f"cell-{align}", size, _ALIGN[align], size * 1.2))


def _table(block: TableBlock, frame_width: float, font_size: float, repeat: bool) -> Table:
    scale = frame_width / sum(block.widths)
    colw = [w * scale for w in block.widths]
    top = []
    n = block.ncols
    if block.title_in_table:  # the title and the 部门名称/年度/单位 line as merged rows of the table
        top = [[TableCell(block.title, colspan=n), *[None] * (n - 1)],
               [TableCell("", colspan=n), *[None] * (n - 1)]]
    elif block.sheet_head:  # a spreadsheet's head: title, label and meta rows, meta items in cells of their own
        meta = []
        items = block.sheet_meta()
        for i, (text, span) in enumerate(items):
            align = "left" if i == 0 else "right" if i == len(items) - 1 else "center"
            meta += [TableCell(text, colspan=span, align=align), *[None] * (span - 1)]
        top = [[TableCell(block.title, colspan=n), *[None] * (n - 1)],
               [TableCell(block.label, colspan=n, align="right"), *[None] * (n - 1)], meta]
    grid = top + block.header + block.body
    data, cmds = [], [("FONT", (0, 0), (-1, -1), FONT, font_size),
                      ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                      ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                      ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    if top:
        cmds += [("FONT", (0, 0), (-1, 0), FONT, 13), ("TOPPADDING", (0, 0), (-1, 0), 4),
                 ("BOTTOMPADDING", (0, 0), (-1, 0), 6)]
        if len(top) > 2:
            cmds.append(("FONT", (0, 1), (-1, len(top) - 1), FONT, 9))
    if block.rules == "three-line":
        # 三线表: a heavy rule above the header, a thin one under it, a heavy one under the last row
        first, last_head = len(top), len(top) + len(block.header) - 1
        cmds += [("LINEABOVE", (0, first), (-1, first), 1.0, "black"),
                 ("LINEBELOW", (0, -1), (-1, -1), 1.0, "black")]
        if block.header:
            cmds.append(("LINEBELOW", (0, last_head), (-1, last_head), 0.5, "black"))
    elif block.header_joins_body:
        # no rule under the last header row: it shares its ruled row with the first body row
        joined = len(top) + len(block.header) - 1
        cmds += [("BOX", (0, 0), (-1, -1), 0.5, "black"), ("INNERGRID", (0, 0), (-1, joined), 0.5, "black"),
                 ("INNERGRID", (0, joined + 1), (-1, -1), 0.5, "black")]
    else:
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    for r, row in enumerate(grid):
        out = []
        for c, cell in enumerate(row):
            if cell is None:
                out.append("")
                continue
            width = sum(colw[c:c + cell.colspan])
            if block.title_in_table and r == 1:
                out.append(_meta(block, width - 4))
            elif cell.key and pdfmetrics.stringWidth(cell.text, FONT, font_size) > width - 4:
                # a figure never wraps: it is set smaller until it fits its column
                fit = pdfmetrics.stringWidth(cell.text, FONT, font_size) / (width - 4)
                cmds.append(("FONT", (c, r), (c, r), FONT, int(font_size / fit * 2) / 2))
                out.append(cell.text)
            else:
                out.append(_cell_flowable(cell.text, width, 13 if r < 1 and top else 9 if r < len(top) else font_size,
                                          cell.align))
            if cell.align != "center":
                cmds.append(("ALIGN", (c, r), (c, r), cell.align.upper()))
            else:
                cmds.append(("ALIGN", (c, r), (c, r), "CENTER"))
            if cell.colspan > 1 or cell.rowspan > 1:
                cmds.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        data.append(out)
    rows = len(top) + len(block.header) if repeat else 0
    return _GridTable(data, colWidths=colw, style=TableStyle(cmds), repeatRows=rows, hAlign="CENTER")


class _Anchor(Flowable):
    """Draws nothing; marks where a table block starts."""

    def wrap(self, avail_width, avail_height):
        return 0, 0.01

    def draw(self):
        pass


class _GridTable(Table):
    """A ruled table; its split pieces keep the class, so the page of every row can be traced."""


def _meta(block: TableBlock, width: float) -> Table:
    items = list(block.meta)
    if block.label_inline and block.label:
        items.insert(-1, block.label)
    aligns = ["LEFT"] + ["CENTER"] * (len(items) - 2) + ["RIGHT"] if len(items) > 1 else ["CENTER"]
    t = Table([items], colWidths=[width / len(items)] * len(items))
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                           *[("ALIGN", (i, 0), (i, 0), a) for i, a in enumerate(aligns)]]))
    return t


def flowables(doc: Document, widths: dict[str, float]) -> list:
    out, orient = [], "portrait"
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            want = "landscape" if block.landscape else "portrait"
            out += [NextPageTemplate(want), RLPageBreak()]
            orient = want
        elif isinstance(block, Cover):
            out += [Spacer(1, 180), Paragraph(escape(block.department), STYLES["cover"]), Spacer(1, 30),
                    Paragraph(escape(block.title), STYLES["cover2"]), Spacer(1, 300),
                    Paragraph(escape(block.date), STYLES["date"])]
        elif isinstance(block, Heading):
            out.append(Paragraph(escape(block.text), STYLES[f"h{block.level}"]))
            if block.text == "第三部分 情况说明" or block.mark == "narrative":
                out[-1]._mark = "narrative"
        elif isinstance(block, Toc):
            out += [Paragraph(escape(t), STYLES["toc1" if lvl == 1 else "toc2"]) for t, lvl in block.entries]
        elif isinstance(block, Para):
            out.append(Paragraph(escape(block.text), STYLES["body" if block.indent else "plain"]))
        elif isinstance(block, TableBlock):
            width = widths[orient]
            start = len(out)
            out.append(_Anchor())  # carries the table's mark (page of its start)
            in_frame = block.title_in_table or block.sheet_head
            if not in_frame:
                out.append(Paragraph(escape(block.title), STYLES["title"]))
            if block.label and not block.label_inline and not block.sheet_head:
                out.append(Paragraph(escape(block.label), STYLES["label"]))
            if not in_frame:
                out.append(_meta(block, width))
            if block.unit_line:
                out.append(Paragraph(escape(block.unit_line), STYLES["label"]))
            out.append(Spacer(1, 3))
            out[start]._mark = block.code or "appendix"
            # split pieces of the table lose attributes; a title row inside the table repeats with the header
            out[start]._header_rows = len(block.header) + block.head_rows
            size = doc.style.font_size - (0.5 if block.ncols >= 12 else 0)
            out.append(_table(block, width, size, doc.style.repeat_header))
            if block.note:
                out.append(Paragraph(escape(block.note), STYLES["note"]))
            if block.empty:
                out.append(Paragraph(escape(block.empty_text), STYLES["note"]))
    return out


class _Doc(BaseDocTemplate):
    """Remembers the page each marked flowable (a table title, the narrative) lands on."""

    def __init__(self, *args, repeat_header: bool = True, **kw):
        super().__init__(*args, **kw)
        self.marks: dict[str, int] = {}
        self.row_pages: dict[str, list[int]] = {}  # table code -> page of each grid row
        self._current, self._header, self._repeat = None, 0, repeat_header

    def afterFlowable(self, flowable):
        mark = getattr(flowable, "_mark", None)
        if mark and mark not in self.marks:
            self.marks[mark] = self.page
            self._current = mark if mark.startswith(("公开", "预算")) else None
            self._header = getattr(flowable, "_header_rows", 0)
        if isinstance(flowable, _GridTable) and self._current:
            pages = self.row_pages.setdefault(self._current, [])
            rows = len(flowable._cellvalues)
            if pages and self._repeat:
                rows -= self._header  # a continuation piece starts with the repeated header
            pages.extend([self.page] * rows)


def render(doc: Document, path) -> tuple[int, dict[str, list[int]], dict[str, list[int]]]:
    """Write the PDF; returns its page count, the pages each table occupies and the
    page of each body row of each table."""
    templates, widths = _template()
    pdf = _Doc(str(path), pagesize=A4, title=f"{doc.ledger.department}{doc.ledger.year}年度部门决算",
               author=doc.ledger.department, creator="disclosures.generator reportlab",
               invariant=True,  # same input, same bytes: sample document_ids stay stable
               repeat_header=doc.style.repeat_header)
    pdf.addPageTemplates(templates)
    pdf.build(flowables(doc, widths))
    starts = sorted((page, code) for code, page in pdf.marks.items() if code and code != "narrative")
    end = pdf.marks.get("narrative", pdf.page + 1)
    pages = {}
    for n, (page, code) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else end
        pages[code] = list(range(page, max(page + 1, stop)))
    header = {t.code: len(t.header) + t.head_rows for t in doc.tables}
    body_pages = {code: rows[header.get(code, 0):] for code, rows in pdf.row_pages.items() if code in header}
    return pdf.page, pages, body_pages
