"""One disclosure PDF → its document row, its tables' status and its canonical cells.

The text layer (pdfium) finds what the document is and where each standard
table's title stands; camelot then reads only those pages' rules. Nothing here
knows about Dagster or DuckDB: `parse_document` is a plain function.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from disclosures.catalog import match_title
from disclosures.tables import BUDGET_TEMPLATES, Table, tables_of, template_tables
from disclosures.frames import CELL_COLUMNS, TABLE_STATUS_COLUMNS
from disclosures.normalize import norm_text
from disclosures.parse.grid import Grid, read_grids
from disclosures.parse.ocr_pages import OCR_READS, confidence, describe, method, ocr_pages, pictures
from disclosures.parse.tables import Seen, not_read, table_cells
from disclosures.parse.textgrid import PageFacts, derive_table
from disclosures.pdfdoc import Page, PdfDocument, RejectedDocument, open_pdf, page_quality

UNIT_SCALE = {"万元": 10000, "元": 1}


@dataclass
class ParsedDocument:
    document: dict  # one `documents` row (WAREHOUSE.md) plus unit, reason
    cells: pd.DataFrame  # CELL_COLUMNS
    tables: pd.DataFrame  # TABLE_STATUS_COLUMNS
    narrative_by_page: dict[int, str] = field(default_factory=dict)  # the 情况说明 pages' text
    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # by stage: where the time goes (the benchmark's)

    @property
    def narrative(self) -> str:
        return "\n".join(self.narrative_by_page.values())


def parse_document(path: str | Path, source_url: str | None = None, hints: dict | None = None) -> ParsedDocument:
    """Parse one PDF. Never raises for a bad document: the row says what was wrong.

    A damaged file can make pdfium, pikepdf or camelot raise anything; that costs
    this document only, and its reason names the stage and the error's class."""
    path = Path(path)
    hints = hints or {}
    if not path.is_file():
        return _rejected(path, source_url, "file not found", hints)
    at = _Stage("opening the PDF")
    try:
        doc = open_pdf(path)
    except RejectedDocument as exc:
        return _rejected(path, source_url, str(exc), hints)
    except OSError as exc:
        return _rejected(path, source_url, f"cannot read file: {exc.strerror or type(exc).__name__}", hints)
    except Exception as exc:  # noqa: BLE001 - any library error on a damaged file
        return _rejected(path, source_url, at.failed(exc), hints)
    try:
        parsed = _parse_opened(doc, source_url or str(path), hints, at)
    except Exception as exc:  # noqa: BLE001
        return parse_failed(path, source_url, hints, at.failed(exc), status="unreadable")
    at.enter("done")
    parsed.seconds = at.seconds
    return parsed


class _Stage:
    """Where parsing is, so a failure says which step a damaged file broke; and how long each step took."""

    def __init__(self, name: str):
        self.name = name
        self.seconds: dict[str, float] = {}
        self._since = time.perf_counter()

    def enter(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[self.name] = self.seconds.get(self.name, 0.0) + now - self._since
        self.name, self._since = name, now

    def failed(self, exc: BaseException) -> str:
        # The class and a message without object addresses: the same file gives the same reason every run.
        msg = re.sub(r"\s+at 0x[0-9a-fA-F]+", "", str(exc)).strip()
        return f"{self.name} failed: {type(exc).__name__}" + (f": {msg[:160]}" if msg else "")


def parse_failed(path, source_url, hints: dict, reason: str, status: str = "rejected") -> ParsedDocument:
    """The document row of a file the parser gave up on (its limits, a crash): nothing lands."""
    parsed = _rejected(Path(path), source_url, reason, hints or {})
    parsed.document["status"] = status
    return parsed


def _empty_cells() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in CELL_COLUMNS})


def _rejected(path: Path, source_url, reason: str, hints: dict) -> ParsedDocument:
    from disclosures.pdfdoc import sha256_file

    # A file that cannot be read has no bytes to hash; its path identifies it instead.
    sha = sha256_file(path) if path.is_file() else hashlib.sha256(f"unreadable:{path}".encode()).hexdigest()
    row = {
        "document_id": sha,
        "department": hints.get("department"),
        "region": hints.get("region"),
        "fiscal_year": hints.get("fiscal_year"),
        "report_kind": "unknown",
        "source_url": source_url or str(path),
        "page_count": None,
        "status": "rejected",
        "reason": reason,
        "unit": None,
        "file_name": path.name,
    }
    return ParsedDocument(row, _empty_cells(), pd.DataFrame(columns=TABLE_STATUS_COLUMNS), problems=[reason])


# ----------------------------------------------------------------- metadata

_DEPT_LINE = re.compile(r"(?:部门|单位|预算主管部门)名称?[:：](.+?)(?:\d{4}年|金额单位|单位[:：]|$)")
_YEAR = re.compile(r"(20\d{2})年度?")


def _department(doc: PdfDocument) -> str | None:
    for page in doc.pages[: min(len(doc.pages), 40)]:
        for line in page.lines:
            m = _DEPT_LINE.search(norm_text(line.text))
            if m and m.group(1):
                return m.group(1)
    # Shanghai covers print the name, then `2024年度部门决算`.
    cover = norm_text("".join(line.text for line in doc.pages[0].lines))
    m = re.match(r"(.+?)(20\d{2})年度?(?:部门|单位)?(?:决算|预算)", cover)
    return m.group(1) if m else None


# a budget names its department beside 编制单位 / 预算单位 / 部门 (BUDGETS.md), the name possibly left blank
_BUDGET_DEPT_LINE = re.compile(r"(?:编制单位|编制部门|预算单位|预算主管部门|^部门)[:：](?!单位)(.+?)(?:单位[:：]|\d{4}年|$)")


def _budget_department(doc: PdfDocument) -> str | None:
    for page in doc.pages[: min(len(doc.pages), 40)]:
        for line in page.lines:
            m = _BUDGET_DEPT_LINE.search(norm_text(line.text))
            if m:
                return m.group(1)
    return None


def _report_kind(doc: PdfDocument) -> str:
    head = norm_text("".join(p.text for p in doc.pages[:2]))
    final = head.find("决算")
    budget = head.find("预算")
    if final < 0 and budget < 0:
        return "unknown"
    if final < 0:
        return "budget"
    if budget < 0:
        return "final"
    # The cover names the kind first; a budget's cover never says 决算.
    cover = norm_text(doc.pages[0].text)
    if "决算" in cover:
        return "final"
    if "预算" in cover:
        return "budget"
    return "final" if final < budget else "budget"


def _fiscal_year(doc: PdfDocument, every_page: bool = False) -> int | None:
    """The first year printed on the first pages (a budget of tables only may print it only in
    one title further on: `2019年政府采购预算表`)."""
    for page in doc.pages if every_page else doc.pages[:3]:
        m = _YEAR.search(norm_text(page.text))
        if m:
            return int(m.group(1))
    return None


_REGION = re.compile(r"^(?:中共)?((?:[^省市]{2,7}省)?(?:[^市县区]{1,7}市)?(?:[^市县区]{1,7}(?:区|县))?)")


def region_from_name(department: str | None) -> str | None:
    """The city or county a department's name places it in (上海市普陀区, 晋城市)."""
    if not department:
        return None
    m = _REGION.match(department)
    region = m.group(1) if m else ""
    return region or None


# ------------------------------------------------------------------- tables

_UNIT = re.compile(r"单位[:：]?(万元|元)")
_AMOUNT = re.compile(r"\d\.\d\d(?!\d)")
# a budget whose tables are a separate file (江苏省政协办公厅 2019: `2019年度部门预算公开表附后`)
_TABLES_ELSEWHERE = re.compile(r"公开表附后|附件[:：].{0,40}公开表$")
_NO_DATA = "本表无数据"
_NARRATIVE_START = re.compile(r"情况说明$|决算情况说明$|部门决算情况说明")


@dataclass
class _Located:
    code: str
    page: int
    y: float
    title: str
    y0: float = 0.0  # the title line's bottom
    grids: list[Grid] = field(default_factory=list)
    unit: str | None = None
    no_data: bool = False


def _titles(doc: PdfDocument) -> list[_Located]:
    found = []
    for page in doc.pages:
        hits = []
        lines = page.lines
        for i, line in enumerate(lines):
            code = match_title(line.text)
            if code:
                hits.append(_Located(code, page.number, line.y1, line.text, line.y0))
                continue
            # a long title (department name and year before it) wraps onto a second line
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if nxt is not None and line.y0 - nxt.y1 < 0.6 * (line.y1 - line.y0) and not match_title(nxt.text):
                code = match_title(line.text + nxt.text)
                if code and len(norm_text(nxt.text)) < len(norm_text(line.text)):
                    hits.append(_Located(code, page.number, line.y1, line.text + nxt.text, nxt.y0))
        # A contents page lists many titles and holds none of the tables (no amount on it);
        # Jiangsu prints up to three short tables on one page.
        if len({h.code for h in hits}) >= 3 and not _AMOUNT.search(page.text):
            continue
        found.extend(hits)
    return found


def _attach(doc: PdfDocument, located: list[_Located], grids: dict[int, list[Grid]]) -> None:
    """Give each title the grids below it, and continuation pages' grids that line up."""
    events = [(t.page, -t.y, 0, t) for t in located]
    for page, gs in grids.items():
        events.extend((page, -g.top, 1, g) for g in gs)
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    current: _Located | None = None
    for page, _, kind, item in events:
        if kind == 0:
            # A title repeated at the top of the next page (print titles) continues the table.
            repeated = (
                current is not None
                and current.code == item.code
                and current.grids
                and item.page == current.grids[-1].page + 1
            )
            if not repeated:
                current = item
            continue
        if current is None:
            continue
        if current.grids and item.page != current.grids[-1].page:
            first = current.grids[0]
            aligned = abs(first.bbox[0] - item.bbox[0]) < 25 and abs(first.bbox[2] - item.bbox[2]) < 25
            if item.page != current.grids[-1].page + 1 or not aligned:
                current = None
                continue
        elif not current.grids and item.page > current.page + 1:
            current = None
            continue
        current.grids.append(item)


def _derive_ruleless(doc: PdfDocument, located: list[_Located], rules: dict | None = None) -> None:
    """Tables lattice found no grid for: a three-line table's grid from its rules and text.

    Only a title with no grid under it is tried, so a ruled table is never read twice."""
    with_grid = {t.code for t in located if t.grids}
    todo = [t for t in located if not t.grids and t.code not in with_grid]
    if not todo:
        return
    facts = PageFacts(doc, rules)  # (an OCR'd page's rules come from its picture)
    try:
        for t in todo:
            if t.code in with_grid:
                continue
            below = [o.y for o in located if o.page == t.page and o.y < t.y0]
            t.grids = derive_table(facts, t.page, t.y0, max(below) if below else None, code=t.code)
            if t.grids:
                with_grid.add(t.code)
    finally:
        facts.close()


def _table_unit(doc: PdfDocument, t: _Located) -> str | None:
    """The unit the table's own unit line states (above it, or in the head inside its frame); None without one."""
    for caption in t.grids[0].captions if t.grids else []:
        m = _UNIT.search(norm_text(caption.text))
        if m:
            return m.group(1)
    page = doc.pages[t.page - 1]
    top_of_grid = t.grids[0].top if t.grids and t.grids[0].page == t.page else -1
    for line in page.lines:
        if top_of_grid - 2 <= line.y1 <= t.y + 40:
            m = _UNIT.search(norm_text(line.text))
            if m:
                return m.group(1)
    if t.grids and t.grids[0].page == t.page + 1:
        # a title at the foot of a page, its table (and unit line) at the head of the next
        first = t.grids[0]
        for line in doc.pages[first.page - 1].lines:
            if first.top - 2 <= line.y1 <= first.top + 60:
                m = _UNIT.search(norm_text(line.text))
                if m:
                    return m.group(1)
    return None


def _no_data(doc: PdfDocument, t: _Located) -> bool:
    pages = {t.page} | {g.page for g in t.grids}
    return any(_NO_DATA in norm_text(doc.pages[p - 1].text) and p == t.page for p in pages)


_UNUSABLE = "image-only, garbled, or in fonts without metrics"


def _parse_opened(doc: PdfDocument, source_url: str, hints: dict, at: _Stage) -> ParsedDocument:
    at.enter("judging the text layer")
    assessed = {p.number: page_quality(p) for p in doc.pages}
    quality = {n: q for n, (q, _) in assessed.items()}
    bad_pages = [n for n, q in quality.items() if q != "ok"]
    # A cover holds too few characters for page_quality to tell a garbled layer: where other
    # pages are garbled and the first two pages' text names no kind (决算, 预算), they are too.
    cover = [n for n in (1, 2) if n <= doc.page_count and quality[n] == "ok"]
    first = norm_text("".join(doc.pages[n - 1].text for n in cover))
    if cover and "garbled" in quality.values() and "决算" not in first and "预算" not in first:
        for n in cover:
            quality[n], assessed[n] = "garbled", ("garbled", "the cover names no report kind, other pages are garbled")
        bad_pages = sorted(bad_pages + cover)
    at.enter("reading pages by OCR")
    # A page without a usable text layer is read from its picture; its text replaces the layer.
    ocred, ocr_problems = ocr_pages(doc, [n for n in bad_pages if quality[n] in OCR_READS])
    bad_pages = [n for n in bad_pages if n not in ocred]
    # From here on a page that is not ok, and was not OCR'd, has no text: its name, year or figures are never read.
    doc = replace(doc, pages=[ocred[p.number].page if p.number in ocred
                              else Page(p.number, p.width, p.height, []) if quality[p.number] != "ok" else p
                              for p in doc.pages])
    at.enter("reading the name, year and kind")
    kind = _report_kind(doc)
    department = hints.get("department") or _department(doc) or (_budget_department(doc) if kind == "budget" else None)
    row = {
        "document_id": doc.sha256,
        "department": department,
        # The name is specific (上海市普陀区…); a registry's hint covers names without a place.
        "region": region_from_name(department) or hints.get("region"),
        "fiscal_year": _fiscal_year(doc, every_page=kind == "budget") or hints.get("fiscal_year"),
        "report_kind": kind,
        "source_url": source_url,
        "page_count": doc.page_count,
        "status": "loaded",
        "reason": None,
        "unit": None,
        "file_name": doc.path.name,
    }
    problems: list[str] = [describe(*assessed[n], ocred[n]) for n in ocred] + ocr_problems
    for n in bad_pages:
        what = {"image-only": "image-only, no text layer",
                "garbled": f"garbled text layer ({assessed[n][1]})",
                "unplaced": f"text without positions ({assessed[n][1]})"}[quality[n]]
        problems.append(f"page {n}: {what}; nothing was read from it")
    if len(bad_pages) == doc.page_count:
        row.update(status="unreadable", reason=f"no page has a usable text layer ({_UNUSABLE}) or could be read by OCR")
        return ParsedDocument(row, _empty_cells(), pd.DataFrame(columns=TABLE_STATUS_COLUMNS), problems=problems)
    if department and "XX" in department.upper():
        row.update(status="template", reason=f"a template, not a department's document: placeholder name {department}")
        return ParsedDocument(row, _empty_cells(), pd.DataFrame(columns=TABLE_STATUS_COLUMNS), problems=problems)
    if kind == "unknown" and bad_pages:
        row.update(status="unreadable", reason=_unreadable_reason(bad_pages, "its kind (决算 or 预算) could not be read"))
        return ParsedDocument(row, _empty_cells(), pd.DataFrame(columns=TABLE_STATUS_COLUMNS), problems=problems)
    if kind not in ("final", "budget"):
        row.update(status="unsupported", reason=f"report kind {kind}: neither 决算 nor 预算; nothing landed")
        return ParsedDocument(row, _empty_cells(), pd.DataFrame(columns=TABLE_STATUS_COLUMNS), problems=problems)

    # a table printed as a picture pasted in (under its typed title, or title and all, over a typed
    # page number): the picture's part of the page is read by OCR before the tables are located.
    # Only a page holding no more text than a head is looked at (pictures), so born-digital pages
    # cost nothing here.
    pictured = pictures(doc, [n for n, q in quality.items() if q == "ok" and n not in ocred])
    if pictured:
        at.enter("reading pages by OCR")
        more, more_problems = ocr_pages(doc, sorted(pictured), pictured)
        ocred.update(more)
        for n, page in more.items():
            share = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in pictured[n]) / (page.page.width * page.page.height)
            problems.append(describe("pictured", f"a picture covering {share:.0%} of the page, no text layer over it", page))
        problems += more_problems
        doc = replace(doc, pages=[more[p.number].page if p.number in more else p for p in doc.pages])

    at.enter("locating the tables")
    # only this kind's titles: a budget's 支出预算总表 is no final-accounts table, and the reverse
    kind_codes = {t.code for t in tables_of(kind)}
    located = [t for t in _titles(doc) if (quality[t.page] == "ok" or t.page in ocred) and t.code in kind_codes]
    # a table runs from its title's page until the next title's page (a long 公开06 or 公开10 takes several)
    starts = sorted({t.page for t in located})
    table_pages = set()
    for t in located:
        nxt = next((p for p in starts if p > t.page), t.page + 3)
        table_pages.update(range(t.page, min(nxt, t.page + 6, doc.page_count) + 1))
    table_pages = sorted(table_pages)
    at.enter("reading the tables' rules (camelot)")
    grids = read_grids(doc, [p for p in table_pages if quality[p] == "ok" and p not in ocred])
    grids.update(ocred.grids([p for p in table_pages if p in ocred]))
    _attach(doc, located, grids)
    at.enter("deriving three-line tables")
    _derive_ruleless(doc, located, ocred.rules())
    at.enter("mapping cells to keys")

    # A title printed twice (say, on a cover of the tables section) keeps the one with a grid.
    by_code: dict[str, _Located] = {}
    for t in located:
        if t.code not in by_code or (t.grids and not by_code[t.code].grids):
            by_code[t.code] = t
    units = []
    for t in by_code.values():
        t.unit = _table_unit(doc, t)
        t.no_data = _no_data(doc, t)
        if t.unit:
            units.append(t.unit)
    # the unit most tables print, for the document row; a table's figures take only their own
    row["unit"] = Counter(units).most_common(1)[0][0] if units else None

    # A table whose title is not in the text layer may be printed on a page that has none
    # usable: before the narrative, such a page makes a missing table unreadable, not absent.
    last_grid_page = max((g.page for t in by_code.values() for g in t.grids), default=0)
    narrative_pages = _narrative_pages(doc, last_grid_page)
    section_end = narrative_pages[0] if narrative_pages else doc.page_count + 1
    # (with no table found at all, the narrative's heading found is the contents page's)
    hidden = [n for n in bad_pages if n < section_end] if by_code else bad_pages
    cell_rows, table_rows = [], []
    for spec in _listed_tables(kind, set(by_code)):
        t = by_code.get(spec.code)
        if t is None:
            if hidden:
                table_rows.append((doc.sha256, spec.code, "unreadable", None, None, None,
                                   f"no title found in the text layer; page(s) {_page_list(hidden)} "
                                   "have no usable text layer"))
            else:
                table_rows.append((doc.sha256, spec.code, "absent", None, None, None, "no title found"))
            continue
        unit = t.unit
        seen = Seen()
        raw = table_cells(spec.code, t.grids, seen) if t.grids else []
        pages = ",".join(str(p) for p in sorted({t.page} | {g.page for g in t.grids}))
        figures = _figure_pages(t.grids) or _figures_under_title(doc, t, located)
        missed = ", ".join(not_read(spec, seen))
        if raw and unit is None and any(rc.unit is None for rc in raw):
            # Money without a unit line is never given one: 元 read as 万元 is 10,000 times off. The
            # table is there (partial, read not at all), so what needs its figures cannot be checked.
            status, detail = "partial", "no unit line (单位：万元 or 元) above it or in its head: its figures were not read"
            problems.append(f"page {t.page}: {spec.code} prints no unit line; its {len(raw)} figures were not read")
            raw = []
        elif raw and missed:
            # a row or column of the template not found is not zero: checks needing it cannot check
            status, detail = "partial", f"{len(raw)} cells; not read: {missed}"
            problems.append(f"page {t.page}: {spec.code} {missed} not found in the table; its figures were not read")
        elif raw:
            status, detail = "present", f"{len(raw)} cells"
        elif figures and not t.no_data:
            # a frame holding figures that none of could be placed is the parser's miss, not an empty table
            # (nor a missing one: the table is there, what needs its figures cannot be checked)
            status, detail = "partial", f"its frame holds figures but none could be read (page {figures[0]})"
            problems.append(f"page {figures[0]}: {spec.code} holds figures the parser could not place in its rows and columns")
        elif t.no_data or t.grids:
            status, detail = "empty", "本表无数据" if t.no_data else "no figures printed"
        else:
            status, detail = "unreadable", "title found but no ruled table under it"
        after = max(g.page for g in t.grids) + 1 if t.grids else t.page + 1
        if after in hidden and status == "present":
            # what was read lands; identities needing a row not read become "cannot check"
            status = "partial"
            detail += f"; it may continue on page {after}, which has no usable text layer"
            problems.append(f"{spec.code} may continue on page {after}, which has no usable text layer: rows there were not read")
        table_rows.append((doc.sha256, spec.code, status, t.title, pages, unit, detail))
        scale = UNIT_SCALE.get(unit, 1)  # only counts land without a unit line
        for rc in raw:
            money = rc.unit is None
            x0, y0, x1, y1 = rc.cell.box
            cell_rows.append(
                (
                    doc.sha256,
                    spec.code,
                    rc.row_key,
                    rc.column_key,
                    round(rc.value * scale, 2) if money else rc.value,
                    "元" if money else rc.unit,
                    rc.printed,
                    rc.row_label,
                    rc.cell.page,
                    round(x0, 1),
                    round(y0, 1),
                    round(x1, 1),
                    round(y1, 1),
                    method(rc.cell, ocred),
                    confidence(rc.cell),
                )
            )
    cells = pd.DataFrame(cell_rows, columns=CELL_COLUMNS) if cell_rows else _empty_cells()
    # One figure per key: a repeated header line or a duplicated row must not land twice.
    dupes = cells.duplicated(["table_code", "row_key", "column_key"], keep="first")
    for _, d in cells[dupes].iterrows():
        problems.append(f"{d.table_code} {d.row_key}/{d.column_key} printed twice (page {d.page}); the first was kept")
    cells = cells[~dupes].reset_index(drop=True)
    tables = pd.DataFrame(table_rows, columns=TABLE_STATUS_COLUMNS)
    if cells.empty and hidden:
        row.update(status="unreadable", reason=_unreadable_reason(hidden, "no standard table could be read"))
    elif cells.empty:
        reason = "no standard table with figures was found"
        if any(_TABLES_ELSEWHERE.search(norm_text(line.text)) for p in doc.pages for line in p.lines):
            reason += "; the document says its tables are published separately (公开表附后 / 附件)"
        row.update(status="no_tables", reason=reason)
    if kind == "budget":
        narrative_pages = _budget_narrative_pages(doc, by_code.values())
    narrative = {p: _body_text(doc.pages[p - 1]) for p in narrative_pages}
    if kind == "budget":
        row["budget_scope"] = _budget_scope(doc, by_code.values())
    return ParsedDocument(row, cells, tables, narrative, problems)


_FIGURE = re.compile(r"^-?[\d,]*\d\.\d{2}$")
_DECIMAL = re.compile(r"\d\.\d\d(?!\d)")


def _figure_pages(grids: list[Grid]) -> list[int]:
    """Pages on which the table's frame holds a money figure (a number with two decimals)."""
    return sorted({g.page for g in grids for row in g.rows for c in row if _FIGURE.match(norm_text(c.text))})


def _figures_under_title(doc: PdfDocument, t: _Located, located: list[_Located]) -> list[int]:
    """The title's page when money figures are printed under the title (before the next title on
    the page): a table there that no grid was read from is not empty."""
    below = [o.y for o in located if o.page == t.page and o.y < t.y0]
    floor = max(below) if below else -1
    lines = doc.pages[t.page - 1].lines
    # a line's text joins its glyphs without spaces: any number with two decimals is a figure
    return [t.page] if any(_DECIMAL.search(ln.text) for ln in lines if floor < ln.y1 < t.y0) else []


def _listed_tables(kind: str, found: set[str]) -> tuple[Table, ...]:
    """The tables a document of this kind should print: a budget's are its template's.

    A budget's template (BUDGETS.md) is the one whose tables cover most of the
    titles found (ties go to the first of BUDGET_TEMPLATES); a table found
    outside it is listed too, so no figure read is dropped."""
    if kind != "budget":
        return tables_of(kind)
    template = max(BUDGET_TEMPLATES, key=lambda t: (len(found & {x.code for x in template_tables(t)}),
                                                   -BUDGET_TEMPLATES.index(t)))
    listed = {t.code for t in template_tables(template)} | found
    return tuple(t for t in tables_of(kind) if t.code in listed)


def _page_list(pages: list[int]) -> str:
    return ", ".join(map(str, pages[:12])) + (f" and {len(pages) - 12} more" if len(pages) > 12 else "")


def _unreadable_reason(pages: list[int], what: str) -> str:
    return f"{what}: page(s) {_page_list(pages)} have no usable text layer ({_UNUSABLE}) and OCR could not read them"


def _budget_scope(doc: PdfDocument, located) -> str:
    """unit (单位预算: `预算单位…表`, `编制单位`) or department (部门预算): one department publishes both,
    each with its own figures, never to be added together."""
    titles = "".join(norm_text(t.title) for t in located)
    cover = norm_text(doc.pages[0].text) if doc.pages else ""
    return "unit" if "预算单位" in titles or "单位预算" in cover else "department"


# a printed page number on a line of its own: 18, - 18 -, 第18页, 第18页共40页, 18/40
_PAGE_NUMBER = re.compile(r"^第?[-—–]?\d{1,3}[-—–]?页?(?:(?:/|共)\d{1,3}页?)?$")


def _body_text(page: Page) -> str:
    """A narrative page's text without its printed page number (its first or last line, alone).

    The narrative is read with pages joined and whitespace dropped, so a page number left in
    glues itself to a figure that runs over the page break: 「本年支出272.2」 | 「18」 | 「5万元」
    read 272.2185万元, an error-severity failure the bureau did not make."""
    lines = [line.text for line in page.lines]
    if lines and _PAGE_NUMBER.match(norm_text(lines[-1])):
        lines.pop()
    if lines and _PAGE_NUMBER.match(norm_text(lines[0])):
        lines.pop(0)
    return "\n".join(lines)


def _budget_narrative_pages(doc: PdfDocument, located) -> list[int]:
    """A budget's narrative: every page holding no table and no contents (Shanghai prints its
    编制说明 before the tables and its 其他相关情况说明 after them)."""
    table_pages = {t.page for t in located} | {g.page for t in located for g in t.grids}
    return [p.number for p in doc.pages
            if p.number not in table_pages and p.lines and "目录" not in norm_text(p.text)[:40]]


def _narrative_pages(doc: PdfDocument, last_table_page: int) -> list[int]:
    """The 情况说明 pages: from its heading after the tables to the 名词解释 heading."""
    start = next((p.number for p in doc.pages if p.number > last_table_page and "情况说明" in norm_text(p.text)), None)
    if start is None:
        return []
    end = next((p.number for p in doc.pages if p.number >= start and "名词解释" in norm_text(p.text)), doc.page_count)
    return list(range(start, end + 1))
