"""Every accounting identity of TABLES.md, instantiated on one document's cells.

The identities are declared with their tables (disclosures.tables: each
table's ``identities``, cross-table ones with the table on their left); this
module only instantiates them: a declared identity's binders (``_BINDERS``)
say which rows, columns and lines of a document it is about, and its
templates give the terms, the check name and the texts.

`identity_instances(cells, doc)` returns one row per instance (INSTANCE_COLUMNS).
The rows carry both sides of the identity and the arithmetic needed to judge
it (``difference``, ``tolerance``, ``excess``); whether an instance passes is
decided by Great Expectations on the ``excess`` column (gx_runner.py), never
here.

Check names
-----------
``<scope>.<rule>[<instance>]``; the part before ``[`` (column ``rule``) is
the same in every document, the bracket names the row / column the instance
is about. Scopes:

- ``公开0N`` - identities inside one table:
  ``公开01.本年收入合计=Σ收入``, ``公开01.总计(收)=总计(支)``,
  ``公开03.row_sum[2060199]``, ``公开02.类=Σ款[206/本年收入合计]``,
  ``公开05.款=Σ项[20601/基本支出]``, ``公开03.合计=Σ类[基本支出]``,
  ``公开04.本年支出合计=Σ支出类别[一般公共预算财政拨款]``,
  ``公开06.类=Σ款[301]``, ``公开06.人员经费合计=301+303``,
  ``公开07.年末=年初+本年收入-本年支出小计[212]``,
  ``公开09.合计=出国+公务用车+接待[决算数]``,
  ``公开10.政府采购合计=货物+工程+服务``.
- ``cross_table`` - identities between tables (``table_code`` is None):
  ``cross_table.公开02合计=公开01本年收入合计``,
  ``cross_table.公开03类=公开01支出类别[206]``,
  ``cross_table.公开05合计=公开04一般公共预算``,
  ``cross_table.公开06人员经费+公用经费=公开05基本支出`` …
- ``narrative`` - a figure of the 情况说明 against the table it restates
  (see narrative.py): ``narrative.amount[公开05/合计/基本支出]``,
  ``narrative.percent[…]``, ``narrative.change[…]``,
  ``narrative.compare[…]``, ``narrative.sum[…]``, ``narrative.unmatched[…]``.
- ``domain`` - ``domain.公开05≤公开03[206/基本支出]`` (instances) and the
  cell / document expectations of expectations/cells.json and
  documents.json (``domain.function_code_format`` …).
- ``table_present.公开0N`` - the document lists the table and it is there.

A second instance of the same name in one document gets ``#2``, ``#3``.

Families: row_sum | hierarchy | total | cross_table | sangong | procurement |
narrative | domain.

Severity: ``error`` for the identities written in TABLES.md; ``warn`` for
identities the template implies but TABLES.md does not state (公开04
category lines = 公开05/07/08 类 rows, 公开02 合计 columns = 公开01 income
lines, 公开07/08 hierarchy, 公开08 合计 = 公开04), for domain inequalities,
for instances that cannot be computed because a table the document lists is
absent, and as narrative.py documents.

Tolerance: 0.01 in the printed unit per summed term (terms actually printed,
at least one), at most 0.05. The printed unit of an instance is the table's
(``doc['tables'][t]['printed_unit']``, else ``doc['unit']``); a cross-table
instance uses 万元 if any of its tables is in 万元. ``excess`` is
``max(|difference| - tolerance, 0)`` for an equality (``kind`` eq);
``max(difference - tolerance, 0)`` for lhs ≤ rhs (le); ``max(difference +
0.01, 0)`` for lhs < rhs (lt); ``max(0.01 - difference, 0)`` for lhs > rhs
(gt). ``excess`` is null when the instance cannot be computed. The suite
expects it non-null and 0.

Missing cells are zeros; an identity none of whose cells is printed is not
instantiated.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

import pandas as pd

from disclosures.tables import BY_CODE, TABLES, Identity, Table
from disclosures.tables.subjects import CODE_VOCABULARIES, FUNCTION_CLASSES, function_class_of_name

from .docview import DocView

INSTANCE_COLUMNS = [
    "document_id",
    "check_name",
    "rule",
    "family",
    "table_code",
    "row_key",
    "column_key",
    "lhs",
    "rhs",
    "difference",
    "n_terms",
    "tolerance",
    "kind",
    "excess",
    "severity",
    "page",
    "unit",
    "description",
    "lhs_desc",
    "rhs_desc",
    "note",
]

Term = tuple  # (table, row, col, sign)


def _fmt_term(t: Term) -> str:
    table, row, col, sign = t
    return ("−" if sign < 0 else "") + f"{row}.{col}"


def compute_excess(kind: str, difference: float | None, tolerance: float) -> float | None:
    """The amount by which an instance breaks its identity (0 = holds)."""
    if difference is None or (isinstance(difference, float) and math.isnan(difference)):
        return None
    if kind == "eq":
        e = abs(difference) - tolerance
    elif kind == "le":
        e = difference - tolerance
    elif kind == "lt":
        e = difference + 0.01
    elif kind == "gt":
        e = 0.01 - difference
    else:  # pragma: no cover - programming error
        raise ValueError(kind)
    return round(max(e, 0.0), 6)


class InstanceBuilder:
    """Collects instance rows for one document."""

    def __init__(self, view: DocView):
        self.v = view
        self.rows: list[dict] = []
        self._names: Counter = Counter()

    # ------------------------------------------------------------ emitting
    def emit(self, *, family: str, rule: str, inst: str | None, table_code: str | None,
             row_key: str | None, column_key: str | None, lhs: float | None, rhs: float | None,
             n_terms: int, tolerance: float, kind: str, severity: str, page: int | None,
             unit: str, description: str, lhs_desc: str, rhs_desc: str, note: str = "") -> None:
        name = rule + (f"[{inst}]" if inst else "")
        self._names[name] += 1
        if self._names[name] > 1:
            name = f"{name}#{self._names[name]}"
        if lhs is None or rhs is None:
            diff = None
        else:
            diff = round(lhs - rhs, 6)
        self.rows.append({
            "document_id": self.v.document_id,
            "check_name": name,
            "rule": rule,
            "family": family,
            "table_code": table_code,
            "row_key": row_key,
            "column_key": column_key,
            "lhs": lhs,
            "rhs": rhs,
            "difference": diff,
            "n_terms": int(n_terms),
            "tolerance": round(float(tolerance), 6),
            "kind": kind,
            "excess": compute_excess(kind, diff, tolerance),
            "severity": severity,
            "page": page,
            "unit": unit,
            "description": description,
            "lhs_desc": lhs_desc,
            "rhs_desc": rhs_desc,
            "note": note,
        })

    def identity(self, *, family: str, rule: str, inst: str | None = None, table_code: str | None,
                 lhs: list[Term], rhs: list[Term], description: str, lhs_desc: str | None = None,
                 rhs_desc: str | None = None, spec: bool = True, kind: str = "eq",
                 row_key: str | None = None, column_key: str | None = None,
                 severity: str | None = None) -> None:
        v = self.v
        tables = {t[0] for t in lhs + rhs}
        severity = severity or ("error" if spec else "warn")
        lhs_desc = lhs_desc or " + ".join(_fmt_term(t) for t in lhs)
        rhs_desc = rhs_desc or " + ".join(_fmt_term(t) for t in rhs)
        def cannot_check(page_of: Term, why: str) -> None:
            self.emit(family=family, rule=rule, inst=inst, table_code=table_code, row_key=row_key,
                      column_key=column_key, lhs=None, rhs=None, n_terms=1, tolerance=0.01,
                      kind=kind, severity="warn", page=v.page(*page_of[:3]), unit=v.unit_for(tables),
                      description=description, lhs_desc=lhs_desc, rhs_desc=rhs_desc, note=f"cannot check: {why}")

        unusable = [t for t in sorted(tables) if not v.usable(t)]
        if unusable:
            if not all(v.missing(t) for t in unusable):
                return
            others = [t for t in lhs + rhs if t[0] not in unusable and v.get(*t[:3])]
            if others:
                cannot_check(others[0], ", ".join(f"{t} listed by the document but {v.status(t)}" for t in unusable))
            return
        present_l = [t for t in lhs if v.get(*t[:3]) is not None]
        present_r = [t for t in rhs if v.get(*t[:3]) is not None]
        if not present_l and not present_r:
            return
        unread = sorted({t[0] for t in lhs + rhs if v.unread(*t[:3])})
        if unread:
            cannot_check((present_l or present_r)[0],
                         f"{', '.join(unread)} read only in part (a row or column of it not found, or a page "
                         "it may continue on has no usable text layer)")
            return
        unit = v.unit_for(tables)
        div = v.divisor(unit)
        lv = round(sum(t[3] * v.get(*t[:3]) for t in present_l) / div, 6)
        rv = round(sum(t[3] * v.get(*t[:3]) for t in present_r) / div, 6)
        n_terms = max(len(present_l), len(present_r), 1)
        step = v.step(tables)
        tol = round(min(step * n_terms, 5 * step), 6)
        first = (present_l or present_r)[0]
        self.emit(family=family, rule=rule, inst=inst, table_code=table_code, row_key=row_key,
                  column_key=column_key, lhs=lv, rhs=rv, n_terms=n_terms, tolerance=tol, kind=kind,
                  severity=severity, page=v.page(*first[:3]), unit=unit, description=description,
                  lhs_desc=lhs_desc, rhs_desc=rhs_desc, note=v.ocr_note(present_l + present_r))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=INSTANCE_COLUMNS)

    # ----------------------------------------------------------- helpers
    def _row_desc(self, table: str, row: str) -> str:
        lab = self.v.label(table, row)
        return f"{row} {lab}" if lab and lab != row else row

    # ------------------------------------------------ declared identities
    def declared(self, table: Table, ident: Identity) -> None:
        """Every instance of one declared identity in this document."""
        v = self.v
        for cond, what in ident.guards:
            if not _guard_holds(v, table.code, cond, what):
                return
        aliases = {name: next((r for r in v.table_rows(table.code) if r.startswith(prefix)), default)
                   for name, (prefix, default) in table.row_aliases.items()}
        bindings = [aliases]
        for binder, options in ident.each or ():
            bindings = [{**b, **more} for b in bindings for more in _BINDERS[binder](self, table, b, **options)]
        # a check about one table carries its code; one between tables or about a domain carries none
        table_code = None if ident.rule.startswith(("cross_table.", "domain.")) else table.code
        for b in bindings:
            b = _with_joins(b)
            fill = lambda text: None if text is None else text.format(**b)  # noqa: E731
            self.identity(family=ident.family, rule=ident.rule, inst=fill(ident.inst), table_code=table_code,
                          lhs=declared_terms(table.code, ident.lhs, b), rhs=declared_terms(table.code, ident.rhs, b),
                          description=fill(ident.description), lhs_desc=fill(ident.lhs_desc),
                          rhs_desc=fill(ident.rhs_desc), spec=ident.spec, kind=ident.kind,
                          row_key=fill(ident.row_key), column_key=fill(ident.column_key))

    def _category_rows(self, table: str, col: str) -> dict[str, str]:
        """类 code → row key of a summary table's category line (公开01/04)."""
        out = {}
        for r in self.v.table_rows(table):
            if col in self.v.cols_of(table, r):
                code = function_class_of_name(r)
                if code and code not in out:
                    out[code] = r
        return out

    def _columns(self, table: Table) -> list[str]:
        """The declared columns, then any other column the document printed."""
        v, T = self.v, table.code
        columns = list(table.column_keys)
        for r in v.table_rows(T):
            for c in v.cols_of(T, r):
                if c not in columns:
                    columns.append(c)
        return columns

    # -------------------------------------------------------------- domain
    def table_present(self) -> None:
        v = self.v
        for t, info in sorted(v.tables.items()):
            table = BY_CODE.get(t)
            if table is None:
                continue
            ok = 1.0 if v.usable(t) else 0.0
            self.emit(family="domain", rule=f"table_present.{t}", inst=None, table_code=t, row_key=None,
                      column_key=None, lhs=ok, rhs=1.0, n_terms=1, tolerance=0.0, kind="eq",
                      severity=table.missing_severity, page=None, unit="",
                      description=f"{t} is in the document (status {v.status(t)})",
                      lhs_desc="present", rhs_desc="expected",
                      note="" if ok else f"{t} listed by the document but {v.status(t)}")

    def build_all(self) -> None:
        for table in TABLES:
            for ident in table.identities:
                self.declared(table, ident)
        self.table_present()


# ------------------------------------------------------------ binders
# What a declared identity's instances are (Identity.each): each binder yields the
# bindings of its instances, given the table and the bindings made so far.

def _over(b: InstanceBuilder, table: Table, bound: dict, **values):
    ((name, options),) = values.items()
    return [{name: x} for x in options]


def _rows(b: InstanceBuilder, table: Table, bound: dict, with_columns=(), no_sub_lines=False, pairs=None,
          printed=None):
    """Every row the table prints (with one of `with_columns`; not a parent/line sub-line)."""
    v, T = b.v, table.code
    out = []
    for r in v.table_rows(T):
        if with_columns and not v.cols_of(T, r) & set(with_columns):
            continue
        if no_sub_lines and "/" in r:
            continue
        for a, c in pairs or [(None, None)]:
            binding = {"row": r, "row_desc": b._row_desc(T, r), "a": a, "b": c}
            if printed and v.get(T, *printed.format(**binding).rsplit(".", 1)) is None:
                continue
            out.append(binding)
    return out


def _lines(b: InstanceBuilder, table: Table, bound: dict, column=None, with_columns=(), fixed=(), exclude=(),
           prefix=None, nonempty=False):
    """The lines a total sums: the fixed ones, then every other line printed on its side."""
    v, T = b.v, table.code
    side = set(with_columns or (column,))
    excluded = {e.format(**bound) for e in exclude}
    printed = [r for r in v.table_rows(T) if v.cols_of(T, r) & side]
    printed = [r for r in printed if r.startswith(prefix)] if prefix else [r for r in printed if "/" not in r]
    lines = list(fixed) + [r for r in printed if r not in fixed and r not in excluded]
    if nonempty and not lines:
        return []
    return [{"lines": lines, "n": len(lines)}]


def _codes(b: InstanceBuilder, table: Table, lengths) -> list[str]:
    return [r for r in b.v.table_rows(table.code) if r.isdigit() and len(r) in lengths]


def _hierarchy(b: InstanceBuilder, table: Table, bound: dict, parent: int, child: int, columns=None):
    """Each parent code with its printed children, column by column."""
    T = table.code
    vocabulary = CODE_VOCABULARIES.get(table.rows, ({}, ()))[0]
    codes = _codes(b, table, (parent, child))
    out = []
    for p in [c for c in codes if len(c) == parent]:
        children = [c for c in codes if len(c) == child and c.startswith(p)]
        if not children:
            continue
        for col in columns or b._columns(table):
            out.append({"parent": p, "children": children, "n": len(children), "col": col,
                        "parent_desc": b._row_desc(T, p), "parent_name": vocabulary.get(p, b.v.label(T, p))})
    return out


def _classes(b: InstanceBuilder, table: Table, bound: dict):
    """The 类 rows, column by column (合计 = Σ类)."""
    classes = _codes(b, table, (3,))
    if not classes:
        return []
    return [{"classes": classes, "n": len(classes), "col": col} for col in b._columns(table)]


def _class_lines(b: InstanceBuilder, table: Table, bound: dict, summary: str, column: str, coded_only=False):
    """Each 类 the table or the summary table prints, with the summary's category line for it.

    `coded_only`: none when the table prints no 类 (a template printing it as one row of totals)."""
    lines = b._category_rows(summary, column)
    classes = _codes(b, table, (3,))
    if coded_only and not classes:
        return []
    return [{"code": code, "line": lines.get(code, FUNCTION_CLASSES.get(code, code)),
             "class_name": FUNCTION_CLASSES.get(code, "")}
            for code in sorted(set(lines) | set(classes))]


def _printed_column(b: InstanceBuilder, table: Table, bound: dict, rows, default):
    """The column the given rows are printed in (a one-column table's header may vary)."""
    cols = [c for r in rows for c in b.v.cols_of(table.code, r)]
    return [{"col": cols[0] if cols else default}]


def _unpack(b: InstanceBuilder, table: Table, bound: dict, names):
    """A bound tuple (`over` a list of pairs) split into named bindings; a list part is counted as `n`."""
    (source,) = [k for k in bound if isinstance(bound[k], tuple) and len(bound[k]) == len(names)][-1:]
    out = {}
    for name, value in zip(names, bound[source]):
        out[name] = list(value) if isinstance(value, tuple) else value
        if isinstance(value, tuple):
            out["n"] = len(value)
    return [out]


def _nested(b: InstanceBuilder, table: Table, bound: dict, parent_depth: int, child_depth: int):
    """Lines keyed by a path (大类/专项/经济科目/…): each line of one depth with its lines of a deeper one.

    Depth 0 is the table's 合计; a line's depth is its number of path parts."""
    rows = [r for r in b.v.table_rows(table.code) if r != "合计"]
    depth = lambda r: r.count("/") + 1  # noqa: E731
    parents = ["合计"] if parent_depth == 0 else [r for r in rows if depth(r) == parent_depth]
    out = []
    for p in parents:
        children = [r for r in rows if depth(r) == child_depth and (parent_depth == 0 or r.startswith(p + "/"))]
        if children:
            out.append({"parent": p, "children": children, "n": len(children)})
    return out


_BINDERS = {"over": _over, "rows": _rows, "lines": _lines, "hierarchy": _hierarchy, "classes": _classes,
            "class_lines": _class_lines, "printed_column": _printed_column, "unpack": _unpack, "nested": _nested}


def _guard_holds(v: DocView, table: str, cond: str, what: str) -> bool:
    """One guard of a declared identity (Identity.guards) on this document."""
    if cond == "usable":
        return v.usable(what)
    if cond == "cells":
        return v.has_cells(what)
    t, _, cell = what.rpartition(":")
    row, col = cell.rsplit(".", 1)
    printed = v.get(t or table, row, col) is not None
    return printed if cond == "printed" else not printed


def _with_joins(binding: dict) -> dict:
    """A list binding `xs` can be written out as `{xs_comma}` or `{xs_plus}`."""
    out = dict(binding)
    for k, x in binding.items():
        if isinstance(x, list):
            out[f"{k}_comma"], out[f"{k}_plus"] = ", ".join(x), " + ".join(x)
    return out


def declared_terms(table: str, templates: tuple[str, ...], binding: dict) -> list[Term]:
    """Declared terms (`row.col`, `公开04:row.col`, `-…`, `for x in xs: …`) as (table, row, col, sign)."""
    out = []
    for template in templates:
        if template.startswith("for "):
            head, term = template[4:].split(":", 1)
            var, _, name = head.partition(" in ")
            texts = [term.strip().format(**{**binding, var.strip(): x}) for x in binding[name.strip()]]
        else:
            texts = [template.format(**binding)]
        for text in texts:
            sign = -1 if text.startswith("-") else 1
            text = text.lstrip("-")
            t, _, cell = text.rpartition(":") if ":" in text else ("", "", text)
            row, col = cell.rsplit(".", 1)
            out.append((t or table, row, col, sign))
    return out


def identity_instances(cells: pd.DataFrame, doc: dict) -> pd.DataFrame:
    """One row per identity instance found in one document (INSTANCE_COLUMNS).

    ``cells`` holds the document's cells (CELL_COLUMNS; other documents'
    rows are ignored when ``doc['document_id']`` is given). Includes the
    narrative instances when ``doc['narrative']`` holds the 情况说明 text.
    """
    view = DocView.build(cells, doc)
    builder = InstanceBuilder(view)
    builder.build_all()
    text = doc.get("narrative")
    if text and _is_budget(doc, view):
        from .budget_narrative import add_budget_narrative_instances

        add_budget_narrative_instances(builder, text, doc)
    elif text:
        from .narrative import add_narrative_instances, narrative_claims

        add_narrative_instances(builder, narrative_claims(text), doc)
    return builder.frame()


def _is_budget(doc: dict, view: DocView) -> bool:
    """A budget's narrative is read by its own phrases: the document says so, or its tables do."""
    if doc.get("report_kind"):
        return doc["report_kind"] == "budget"
    return any(BY_CODE[t].report_kind == "budget" for t in view.rows if t in BY_CODE)


def instances_for_documents(cells: pd.DataFrame, docs: Iterable[dict]) -> pd.DataFrame:
    """identity_instances for many documents, concatenated."""
    docs = list(docs)
    frames = []
    has_ids = len(cells) > 0 and "document_id" in cells.columns and cells["document_id"].notna().any()
    by_doc = {k: g for k, g in cells.groupby("document_id", sort=False)} if has_ids else {}
    for doc in docs:
        if has_ids:
            doc_cells = by_doc.get(doc.get("document_id"), cells.iloc[0:0])
        else:  # a hand-made frame without ids belongs to the one document given
            doc_cells = cells if len(docs) == 1 else cells.iloc[0:0]
        frames.append(identity_instances(doc_cells, doc))
    if not frames:
        return pd.DataFrame(columns=INSTANCE_COLUMNS)
    return pd.concat(frames, ignore_index=True)
