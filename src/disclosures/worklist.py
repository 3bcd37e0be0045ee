"""The reviewer's worklist: the warehouse's failed checks as discrepancies, not rows.

One misread or misprinted figure fails every identity it enters; a table the
parser did not read fails every identity that needs it. Listing each failed
row makes one problem look like forty. The rules below group the failures of
one document into items, each headed by one check with its consequences
under it; every rule can be said in a sentence and is printed with its item:

1. **A table not read** (unreadable, read only in part, or printed and not one
   cell landed): every failure of the document that names such a table is one
   item.
2. **Cannot check** warnings with the same reason are one item.
3. **A side read as 0.00** (one side of an identity is zero, the other not: a
   required row or column was not read): one item per document and table.
4. **The same difference** (to the cent, in the same unit) within a document is
   one item: one wrong figure shifts every identity it enters by as much.
5. Anything else is an item of its own.

Items from rules 1-3, and a document not loaded or a required table not
found, look like parser problems; the rest are likely the bureau's own errors.
An item is open while any of its failures has no verdict or a `parser_error`
one (a parser error is ours to fix); `bureau_error` settles it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

FAMILY_ORDER = (
    "document", "table_present", "row_sum", "hierarchy", "sangong", "procurement",
    "total", "cross_table", "narrative", "domain", "unknown",
)
# Families whose lhs/rhs are not amounts (a table's presence, a plausibility count).
NOT_AMOUNTS = {"document", "table_present", "domain"}
PARSER, BUREAU = "parser", "bureau"


@dataclass
class Item:
    document_id: str
    members: pd.DataFrame  # the failures, head first
    kind: str  # PARSER | BUREAU
    why: str  # the rule that grouped (or classified) it, said for this item

    @property
    def head(self) -> pd.Series:
        return self.members.iloc[0]

    @property
    def check_name(self) -> str:
        return str(self.head["check_name"])

    @property
    def open(self) -> bool:
        return bool(self.members["disposition"].ne("bureau_error").any())

    @property
    def severity(self) -> str:
        return "error" if self.members["severity"].eq("error").any() else "warn"


def failed_checks(con: duckdb.DuckDBPyConnection, document_id: str | None = None) -> pd.DataFrame:
    """Every failed check the warehouse holds, with its document and the verdict in force."""
    where = "AND c.document_id = ?" if document_id else ""
    return con.execute(
        f"""SELECT c.document_id, c.table_code, c.check_name, c.severity, c.details, c.lhs, c.rhs, c.difference,
                   c.page, coalesce(c.family, 'unknown') AS family, c.row_key, c.column_key, c.unit,
                   c.disposition, c.disposition_note, c.reviewer,
                   d.file_name, d.department, d.region, d.fiscal_year, d.report_kind,
                   d.status AS document_status, d.raw_path
            FROM check_results c JOIN documents d USING (document_id)
            WHERE NOT c.passed {where}
            ORDER BY d.file_name, c.document_id, c.check_name""",
        [document_id] if document_id else [],
    ).df()


def unread_tables(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Tables found but not read: unreadable, partial, or printed with no cell landed."""
    return con.execute(
        """SELECT t.document_id, t.table_code, t.status, t.detail, count(f.amount) AS cells
           FROM document_tables t
           LEFT JOIN fact_amounts f ON f.document_id = t.document_id AND f.table_code = t.table_code
           GROUP BY ALL
           HAVING t.status IN ('partial', 'unreadable') OR (t.status = 'present' AND count(f.amount) = 0)"""
    ).df()


def group(failed: pd.DataFrame, unread: pd.DataFrame) -> list[Item]:
    """The failures as items, by the rules in this module's docstring, document by document."""
    items: list[Item] = []
    rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    for doc_id, rows in failed.groupby("document_id", sort=False):
        left = rows.assign(_rank=rows["family"].map(rank).fillna(len(rank))).sort_values(["_rank", "check_name"])
        left = left.drop(columns="_rank")

        tables = unread[unread["document_id"] == doc_id]
        if not tables.empty:
            codes = list(tables["table_code"])
            names = left["table_code"].isin(codes) | left["check_name"].map(lambda n: any(c in n for c in codes))
            if names.any():
                what = "; ".join(f"{t.table_code} {_unread_why(t)}" for t in tables.itertuples())
                items.append(Item(doc_id, left[names], PARSER, f"tables not read ({what}): every failure naming them"))
                left = left[~names]

        cannot = left["details"].fillna("").str.split("cannot check:", n=1).str[1].fillna("").str.strip()
        for reason, g in left[cannot.ne("")].groupby(cannot[cannot.ne("")], sort=False):
            items.append(Item(doc_id, g, PARSER, f"cannot check: {reason}"))
        left = left[cannot.eq("")]

        amounts = left[~left["family"].isin(NOT_AMOUNTS) & left["difference"].notna() & left["difference"].ne(0)]
        zero_side = amounts[(amounts["lhs"].eq(0) ^ amounts["rhs"].eq(0))]
        for table, g in zero_side.groupby(zero_side["table_code"].fillna("cross-table"), sort=False):
            items.append(Item(doc_id, g, PARSER, f"{table}: one side read as 0.00 (a required row or column not read?)"))
        amounts = amounts.drop(zero_side.index)
        key = amounts["difference"].abs().round(2).astype(str) + " " + amounts["unit"].fillna("")
        for k, g in amounts.groupby(key, sort=False):
            why = f"the same difference, {_num(abs(g['difference'].iloc[0]))} {g['unit'].iloc[0] or ''}".rstrip()
            items.append(Item(doc_id, g, BUREAU, why + (": one figure behind them all" if len(g) > 1 else "")))
        left = left.drop(zero_side.index).drop(amounts.index)

        for _, r in left.iterrows():
            parser_like = r["family"] in ("document", "table_present")
            why = {"document": "the document was not loaded", "table_present": "a table not found: not printed, or its title not recognised"}
            items.append(Item(doc_id, left.loc[[r.name]], PARSER if parser_like else BUREAU,
                              why.get(r["family"], "on its own")))
    return items


def item_of(items: list[Item], document_id: str, check_name: str) -> Item | None:
    """The item a failed check belongs to (as its head or as a consequence)."""
    for item in items:
        if item.document_id == document_id and check_name in set(item.members["check_name"]):
            return item
    return None


def _unread_why(t) -> str:
    if t.status == "present":
        return "printed, no cell read"
    return f"{t.status}" + (f" ({t.detail})" if isinstance(t.detail, str) and t.detail and len(t.detail) < 80 else "")


def _num(v) -> str:
    return "" if v is None or pd.isna(v) else f"{float(v):,.2f}"


# ---------------------------------------------------------------- rendering


def document_title(r: pd.Series) -> str:
    """A document the way a reviewer tells it apart: department, year, kind, file name, id."""
    year = "" if pd.isna(r["fiscal_year"]) else str(int(r["fiscal_year"]))
    parts = [r["department"] or "(department not read)", year, r["report_kind"] or "", f"`{r['file_name']}`",
             f"id `{r['document_id'][:12]}`"]
    return " · ".join(p for p in parts if p)


def _verdict(r: pd.Series) -> str:
    if not isinstance(r["disposition"], str):
        return "**open**"
    note = f": {r['disposition_note']}" if isinstance(r["disposition_note"], str) and r["disposition_note"] else ""
    return f"{r['disposition']} ({r['reviewer']}){note}"


def _line(r: pd.Series) -> str:
    sides = ""
    if r["family"] not in NOT_AMOUNTS and (pd.notna(r["lhs"]) or pd.notna(r["rhs"])):
        sides = f" · lhs {_num(r['lhs'])} · rhs {_num(r['rhs'])}"
        if pd.notna(r["difference"]):
            sides += f" · difference **{_num(r['difference'])}** {r['unit'] or ''}"
    page = f" · p. {int(r['page'])}" if pd.notna(r["page"]) else ""
    return f"`{r['check_name']}` · {r['severity']} · {r['family']}{page}{sides} · {_verdict(r)}"


def _details(text) -> str:
    # One line of markdown: table pipes and line breaks in a quote would break the list.
    return str(text).replace("\n", " ").replace("|", "/") if isinstance(text, str) and text else ""


def render_item(item: Item, crops: list[tuple[str, str]] | None = None) -> str:
    head = item.head
    lines = [f"- {_line(head)}", f"  - {_details(head['details'])}"]
    for caption, uri in crops or []:
        lines.append(f"  - {caption}:<br/>![{caption}]({uri})")
    lines.append(f"  - grouped: {item.why}")
    if len(item.members) > 1:
        lines.append(f"  - consequences ({len(item.members) - 1}):")
        for _, r in item.members.iloc[1:].iterrows():
            lines.append(f"    - {_line(r)}: {_details(r['details'])}")
    lines.append(f"  - triage: document `{head['file_name']}` (or `{item.document_id[:12]}`), check `{item.check_name}`")
    return "\n".join(lines)


def render(items: list[Item], crops: dict[int, list[tuple[str, str]]] | None = None, limit: int = 200) -> str:
    """The open items, likely bureau errors first, then likely parser problems; by document within each."""
    crops = crops or {}
    out, shown = [], 0
    for kind, title in ((BUREAU, "Likely bureau errors"), (PARSER, "Likely parser problems (or not a disclosure)")):
        mine = [(i, it) for i, it in enumerate(items) if it.kind == kind and it.open]
        errors = sum(it.severity == "error" for _, it in mine)
        out.append(f"## {title}: {len(mine)} open items, {errors} with errors\n")
        by_doc: dict[str, list] = {}
        for i, it in mine:
            by_doc.setdefault(it.document_id, []).append((i, it))
        for doc_items in sorted(by_doc.values(), key=lambda v: (-sum(it.severity == "error" for _, it in v), v[0][1].head["file_name"])):
            out.append(f"### {document_title(doc_items[0][1].head)}\n")
            for i, it in doc_items:
                if shown >= limit:
                    break
                out.append(render_item(it, crops.get(i)))
                shown += 1
            out.append("")
    if shown >= limit:
        out.append(f"…the first {limit} items only: `disclosures triage list` prints them all")
    settled = [it for it in items if not it.open]
    if settled:
        out.append(f"\nSettled as bureau errors: {len(settled)} items ({sum(len(it.members) for it in settled)} failures).")
    return "\n".join(out)


def summary(items: list[Item]) -> pd.DataFrame:
    """One row per document with open items: what a reviewer scans first."""
    rows = []
    for it in items:
        h = it.head
        rows.append(dict(document=f"{h['department'] or h['file_name']} {'' if pd.isna(h['fiscal_year']) else int(h['fiscal_year'])}",
                         file=h["file_name"], id=it.document_id[:12], kind=it.kind, open=it.open,
                         error=it.severity == "error", failures=len(it.members)))
    if not rows:
        return pd.DataFrame(columns=["document", "file", "id", "open items", "bureau", "parser", "failures"])
    f = pd.DataFrame(rows)
    f = f[f["open"]]
    return (f.assign(bureau=f["kind"].eq(BUREAU), parser=f["kind"].eq(PARSER))
             .groupby(["document", "file", "id"], as_index=False)
             .agg(**{"open items": ("open", "size"), "bureau": ("bureau", "sum"), "parser": ("parser", "sum"),
                     "failures": ("failures", "sum")})
             .sort_values(["open items"], ascending=False))


def figure_crops(con: duckdb.DuckDBPyConnection, items: list[Item], limit: int = 30) -> dict[int, list[tuple[str, str]]]:
    """Page crops of the first `limit` open items' heads: the landed cell's box when the
    identity names one, else the quoted sentence or the printed figure found on the page."""
    from disclosures.pagecrop import figure_crop

    out: dict[int, list[tuple[str, str]]] = {}
    for i, item in enumerate(items):
        if len(out) >= limit:
            break
        h = item.head
        if not item.open or pd.isna(h["page"]) or not isinstance(h["raw_path"], str):
            continue
        page, box = int(h["page"]), None
        if h["family"] != "narrative" and isinstance(h["row_key"], str) and isinstance(h["column_key"], str):
            cell = con.execute(
                "SELECT page, x0, y0, x1, y1 FROM fact_amounts WHERE document_id = ? AND table_code = ? AND row_key = ? AND column_key = ?",
                [item.document_id, h["table_code"], h["row_key"], h["column_key"]],
            ).fetchone()
            if cell and cell[1] is not None:
                page, box = int(cell[0]), tuple(float(v) for v in cell[1:])
        needles = []
        quote = _QUOTE.search(str(h["details"]))
        if quote:
            needles.append(quote.group(1).strip("…"))
        if pd.notna(h["lhs"]):
            needles += [f"{float(h['lhs']):.2f}", f"{float(h['lhs']):,.2f}"]
        uri = figure_crop(h["raw_path"], page, box, needles)
        if uri:
            out[i] = [(f"p. {page} as printed", uri)]
    return out


_QUOTE = re.compile(r"«(.+?)»")
