"""Producer `libreoffice-writer`: a flat ODF text document (.fodt) for soffice to print.

Flat ODT rather than HTML because it controls what a Word/WPS export has:
landscape pages for wide tables (master pages), merged header cells
(number-columns/rows-spanned), header rows repeated on continuation pages
(table-header-rows) or not, tab-aligned 部门名称/年度/单位 lines and page
numbers in the footer.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .document import Cover, Document, Heading, PageBreak, Para, TableBlock, Toc

FONT = "Noto Serif CJK SC"
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"'
)
PAGE = {"Portrait": (21.0, 29.7), "Landscape": (29.7, 21.0)}
MARGIN = 1.8  # cm
# paragraph styles: name -> (size pt, align, extra paragraph properties)
PARA = {
    "Cover": (26, "center", 'fo:margin-top="6cm" fo:margin-bottom="1cm"'),
    "Cover2": (22, "center", 'fo:margin-bottom="9cm"'),
    "Date": (14, "center", ""),
    "H0": (18, "center", 'fo:margin-bottom="0.4cm"'),
    "H1": (16, "center", 'fo:margin-top="0.2cm" fo:margin-bottom="0.35cm"'),
    "H2": (12, "start", 'fo:margin-top="0.2cm" fo:margin-bottom="0.1cm"'),
    "H3": (11, "start", 'fo:text-indent="0.74cm"'),
    "Body": (10.5, "justify", 'fo:text-indent="0.74cm" fo:line-height="150%"'),
    "Plain": (10.5, "start", 'fo:line-height="150%"'),
    "Toc1": (11, "start", 'fo:line-height="160%"'),
    "Toc2": (10.5, "start", 'fo:margin-left="0.74cm" fo:line-height="160%"'),
    "Title": (15, "center", 'fo:margin-bottom="0.1cm"'),
    "Label": (9, "end", ""),
    "MetaPortrait": (9, "start", 'fo:margin-bottom="0.15cm"'),
    "MetaLandscape": (9, "start", 'fo:margin-bottom="0.15cm"'),
    "Note": (8.5, "start", 'fo:margin-top="0.1cm"'),
    "Footer": (9, "center", ""),
}


class _Styles:
    """Collects the automatic styles a document needs (page-break variants, tables)."""

    def __init__(self, cell_size: float):
        self.cell_size = cell_size
        self.extra: list[str] = []
        self.breaks: set[tuple[str, str]] = set()
        self.smalls: dict[str, str] = {}

    def small(self, align: str, size: float) -> str:
        """A cell paragraph style in a smaller size (a figure too wide for its column)."""
        name = f"Cell_{align}_{size:g}".replace(".", "_")
        if name not in self.smalls:
            self.smalls[name] = _pstyle(name, size, align, 'fo:line-height="115%"')
        return name

    def para(self, base: str, master: str | None) -> str:
        if not master:
            return base
        self.breaks.add((base, master))
        return f"{base}_{master}"

    def xml(self) -> str:
        out = []
        for name, (size, align, extra) in PARA.items():
            out.append(_pstyle(name, size, align, extra))
        for base, master in sorted(self.breaks):
            size, align, extra = PARA[base]
            out.append(_pstyle(f"{base}_{master}", size, align, extra, master))
        for align in ("start", "center", "end"):
            out.append(_pstyle(f"Cell_{align}", self.cell_size, align, 'fo:line-height="115%"'))
        # Top-aligned with room below, as Word lays out table cells by default. It also keeps
        # pdfminer-based parsers right: LibreOffice writes Descent 0 for its embedded CJK font, so
        # they box each glyph about one em below where it is drawn, and centred text in a tight
        # row lands in the row beneath.
        pad = ('fo:padding-left="0.05cm" fo:padding-right="0.05cm" fo:padding-top="0.03cm" '
               'fo:padding-bottom="0.12cm" style:vertical-align="top"')
        out.append(
            '<style:style style:name="Cb" style:family="table-cell"><style:table-cell-properties '
            f'fo:border="0.5pt solid #000000" {pad}/></style:style>')
        # 三线表 cells: no rule, or only a rule above / below (heavy outer rules, thin header rule)
        for name, sides in (("Cbx", "bottom"), ("Cbt", "top")):  # ruled, but for one side
            out.append(f'<style:style style:name="{name}" style:family="table-cell"><style:table-cell-properties '
                       f'fo:border="0.5pt solid #000000" fo:border-{sides}="none" {pad}/></style:style>')
        for name, top, bottom in (("Cn", None, None), ("Ct", "1pt", None), ("Cd", None, "0.5pt"),
                                  ("Cdd", None, "1pt"), ("Ctd", "1pt", "0.5pt"), ("Ctdd", "1pt", "1pt")):
            borders = (f'fo:border-top="{top} solid #000000" ' if top else 'fo:border-top="none" ') + (
                f'fo:border-bottom="{bottom} solid #000000" ' if bottom else 'fo:border-bottom="none" ')
            out.append(f'<style:style style:name="{name}" style:family="table-cell"><style:table-cell-properties '
                       f'{borders}fo:border-left="none" fo:border-right="none" {pad}/></style:style>')
        out += self.extra
        out += self.smalls.values()
        # rows are kept whole on one page, as the figures' truth is read per printed row
        out.append('<style:style style:name="Rk" style:family="table-row">'
                   '<style:table-row-properties fo:keep-together="always"/></style:style>')
        for name, (w, h) in PAGE.items():
            orient = name.lower()
            out.append(
                f'<style:page-layout style:name="pl{name}"><style:page-layout-properties fo:page-width="{w}cm" '
                f'fo:page-height="{h}cm" style:print-orientation="{orient}" fo:margin-top="{MARGIN}cm" '
                f'fo:margin-bottom="1.2cm" fo:margin-left="{MARGIN}cm" fo:margin-right="{MARGIN}cm"/>'
                '<style:footer-style><style:header-footer-properties fo:min-height="0.6cm"/></style:footer-style>'
                '</style:page-layout>')
        return "".join(out)


def _pstyle(name, size, align, extra, master=None) -> str:
    mp = f' style:master-page-name="{master}"' if master else ""
    page_number = ' style:page-number="auto"' if master else ""
    tabs = ""
    if name.startswith("Meta"):  # 部门名称 left, 年度 centred, 单位 right, as Word users tab them
        width = PAGE[name[4:]][0] - 2 * MARGIN
        tabs = (f'<style:tab-stops><style:tab-stop style:position="{width / 2:.2f}cm" style:type="center"/>'
                f'<style:tab-stop style:position="{width:.2f}cm" style:type="right"/></style:tab-stops>')
    return (f'<style:style style:name="{name}" style:family="paragraph"{mp}>'
            f'<style:paragraph-properties fo:text-align="{align}" {extra}{page_number}>{tabs}'
            f'</style:paragraph-properties><style:text-properties fo:font-size="{size}pt" '
            f'style:font-size-asian="{size}pt"/></style:style>')


def _p(style: str, text: str) -> str:
    return f'<text:p text:style-name="{style}">{escape(text)}</text:p>'


def _table(block: TableBlock, n: int, styles: _Styles, width_cm: float, repeat: bool) -> str:
    scale = width_cm / sum(block.widths)
    name = f"T{n}"
    styles.extra.append(f'<style:style style:name="{name}" style:family="table"><style:table-properties '
                        f'style:width="{width_cm:.2f}cm" table:align="center"/></style:style>')
    cols = []
    for i, w in enumerate(block.widths):
        styles.extra.append(f'<style:style style:name="{name}c{i}" style:family="table-column">'
                            f'<style:table-column-properties style:column-width="{w * scale:.3f}cm"/></style:style>')
        cols.append(f'<table:table-column table:style-name="{name}c{i}"/>')
    align = {"left": "start", "center": "center", "right": "end"}
    n_head, n_rows = len(block.header), len(block.header) + len(block.body)

    def cell_style(r: int, cell) -> str:
        if block.rules != "three-line":
            if block.header_joins_body and r + cell.rowspan - 1 == n_head - 1:
                return "Cbx"  # no rule under the last header row ...
            if block.header_joins_body and r == n_head:
                return "Cbt"  # ... nor above the first body row: they share one ruled row
            return "Cb"
        last = r + cell.rowspan - 1
        top = r == 0
        bottom = "dd" if last == n_rows - 1 else ("d" if n_head and last == n_head - 1 else "")
        return "C" + ("t" if top else "") + bottom if (top or bottom) else "Cn"

    widths_pt = [w * scale / 2.54 * 72 for w in block.widths]

    def row_xml(row, r: int) -> str:
        cells = []
        for col, cell in enumerate(row):
            if cell is None:
                cells.append("<table:covered-table-cell/>")
                continue
            span = ""
            if cell.colspan > 1:
                span += f' table:number-columns-spanned="{cell.colspan}"'
            if cell.rowspan > 1:
                span += f' table:number-rows-spanned="{cell.rowspan}"'
            para = _p("Cell_" + align[cell.align], cell.text)
            width_pt = widths_pt[col] if cell.colspan == 1 else sum(widths_pt[col:col + cell.colspan])
            need = len(cell.text) * 0.56 * styles.cell_size  # digits and separators: about half an em
            if cell.key and need > width_pt - 6:
                # a figure never wraps: it is set smaller until it fits its column
                size = int(styles.cell_size * (width_pt - 6) / need * 2) / 2
                para = _p(styles.small(align[cell.align], size), cell.text)
            cells.append(f'<table:table-cell table:style-name="{cell_style(r, cell)}" office:value-type="string"{span}>'
                         f'{para}</table:table-cell>')
        return f'<table:table-row table:style-name="Rk">{"".join(cells)}</table:table-row>'

    head = ""
    whole = f' table:number-columns-spanned="{block.ncols}"'
    covered = "<table:covered-table-cell/>" * (block.ncols - 1)
    if block.sheet_head:  # a spreadsheet's head inside the frame: title, label, meta items in cells of their own
        items = block.sheet_meta()
        meta = []
        for i, (text, n_span) in enumerate(items):
            al = "start" if i == 0 else "end" if i == len(items) - 1 else "center"
            span = f' table:number-columns-spanned="{n_span}"' if n_span > 1 else ""
            meta.append(f'<table:table-cell table:style-name="Cb" office:value-type="string"{span}>'
                        f'{_p("Cell_" + al, text)}</table:table-cell>' + "<table:covered-table-cell/>" * (n_span - 1))
        head = (f'<table:table-row><table:table-cell table:style-name="Cb" office:value-type="string"{whole}>'
                f'{_p("Title", block.title)}</table:table-cell>{covered}</table:table-row>'
                f'<table:table-row><table:table-cell table:style-name="Cb" office:value-type="string"{whole}>'
                f'{_p("Cell_end", block.label)}</table:table-cell>{covered}</table:table-row>'
                f'<table:table-row>{"".join(meta)}</table:table-row>')
    elif block.title_in_table:  # the title and the 部门名称/年度/单位 line as merged rows of the table
        meta = list(block.meta)
        if block.label_inline and block.label:
            meta.insert(-1, block.label)
        span = f' table:number-columns-spanned="{block.ncols}"'
        covered = "<table:covered-table-cell/>" * (block.ncols - 1)
        line = '<text:s text:c="6"/>'.join(escape(m) for m in meta)
        head = (f'<table:table-row><table:table-cell table:style-name="Cb" office:value-type="string"{span}>'
                f'{_p("Title", block.title)}</table:table-cell>{covered}</table:table-row>'
                f'<table:table-row><table:table-cell table:style-name="Cb" office:value-type="string"{span}>'
                f'<text:p text:style-name="Cell_center">{line}</text:p></table:table-cell>{covered}</table:table-row>')
    head += "".join(row_xml(row, r) for r, row in enumerate(block.header))
    if repeat and head:
        head = f"<table:table-header-rows>{head}</table:table-header-rows>"
    body = "".join(row_xml(row, n_head + r) for r, row in enumerate(block.body))
    return f'<table:table table:name="{name}" table:style-name="{name}">{"".join(cols)}{head}{body}</table:table>'


def fodt(doc: Document) -> str:
    """The flat ODT text of the whole document."""
    styles = _Styles(doc.style.font_size)
    out, master, orient, ntab = [], "Portrait", "Portrait", 0

    def para(base: str, text: str) -> None:
        nonlocal master
        out.append(_p(styles.para(base, master), text))
        master = None

    for block in doc.blocks:
        if isinstance(block, PageBreak):
            orient = "Landscape" if block.landscape else "Portrait"
            master = orient
        elif isinstance(block, Cover):
            para("Cover", block.department)
            para("Cover2", block.title)
            para("Date", block.date)
        elif isinstance(block, Heading):
            para(f"H{block.level}", block.text)
        elif isinstance(block, Toc):
            for text, level in block.entries:
                para(f"Toc{level}", text)
        elif isinstance(block, Para):
            para("Body" if block.indent else "Plain", block.text)
        elif isinstance(block, TableBlock):
            width = PAGE[orient][0] - 2 * MARGIN
            if block.sheet_head:
                para("Label", "")  # a table first on its page takes the page style from a paragraph
            elif block.title_in_table:
                # a table first on its page takes the page style from an (empty) label line
                para("Label", block.label if block.label and not block.label_inline else "")
            else:
                para("Title", block.title)
                if block.label and not block.label_inline:
                    para("Label", block.label)
                meta = list(block.meta)
                if block.label_inline and block.label:
                    meta.insert(-1, block.label)
                if len(meta) == 3:
                    line = f"{escape(meta[0])}<text:tab/>{escape(meta[1])}<text:tab/>{escape(meta[2])}"
                else:
                    line = "<text:s text:c=\"4\"/>".join(escape(m) for m in meta)
                out.append(f'<text:p text:style-name="{styles.para("Meta" + orient, master)}">{line}</text:p>')
                master = None
            if block.unit_line:
                para("Label", block.unit_line)
            ntab += 1
            out.append(_table(block, ntab, styles, width, doc.style.repeat_header))
            if block.note:
                para("Note", block.note)
            if block.empty:
                para("Note", block.empty_text)
    masters = "".join(
        f'<style:master-page style:name="{name}" style:page-layout-name="pl{name}"><style:footer>'
        f'<text:p text:style-name="Footer"><text:page-number text:select-page="current"/></text:p>'
        f'</style:footer></style:master-page>' for name in PAGE)
    title = quoteattr(f"{doc.ledger.department}{doc.ledger.year}年度部门决算")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
        f'office:mimetype="application/vnd.oasis.opendocument.text">'
        f'<office:meta><dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">{title[1:-1]}</dc:title></office:meta>'
        f'<office:font-face-decls><style:font-face style:name="{FONT}" svg:font-family="&apos;{FONT}&apos;" '
        f'style:font-family-generic="roman"/></office:font-face-decls>'
        f'<office:styles><style:default-style style:family="paragraph"><style:text-properties '
        f'style:font-name="{FONT}" style:font-name-asian="{FONT}" fo:font-size="10.5pt" '
        f'style:font-size-asian="10.5pt" fo:language="zh" fo:country="CN" style:language-asian="zh" '
        f'style:country-asian="CN"/></style:default-style></office:styles>'
        f'<office:automatic-styles>{styles.xml()}</office:automatic-styles>'
        f'<office:master-styles>{masters}</office:master-styles>'
        f'<office:body><office:text>{"".join(out)}</office:text></office:body></office:document>'
    )


def write_source(doc: Document, path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(fodt(doc))
