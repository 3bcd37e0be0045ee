"""Every accounting identity of TABLES.md, instantiated on one document's cells.

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

from .catalogue import (
    CLOSING_04,
    COLUMNS_04,
    ECONOMIC_CLASSES,
    EXPENDITURE_NON_LINES_01,
    EXPENDITURE_NON_LINES_04,
    FUNCTION_CLASSES,
    FUNDS_04,
    INCOME_LINES_01,
    INCOME_NON_LINES_01,
    OPENING_04,
    PERSONNEL_CLASSES,
    PROCUREMENT_ROWS,
    PUBLIC_CLASSES,
    ROW_SUMS,
    TABLE_COLUMNS,
    TABLE_PRESENT_SEVERITY,
    USE_OF_BALANCE_01,
    function_class_of_name,
)
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
                         f"{', '.join(unread)} read only in part (a page it may continue on has no usable text layer)")
            return
        unit = v.unit_for(tables)
        div = v.divisor(unit)
        lv = round(sum(t[3] * v.get(*t[:3]) for t in present_l) / div, 6)
        rv = round(sum(t[3] * v.get(*t[:3]) for t in present_r) / div, 6)
        n_terms = max(len(present_l), len(present_r), 1)
        tol = min(0.01 * n_terms, 0.05)
        first = (present_l or present_r)[0]
        self.emit(family=family, rule=rule, inst=inst, table_code=table_code, row_key=row_key,
                  column_key=column_key, lhs=lv, rhs=rv, n_terms=n_terms, tolerance=tol, kind=kind,
                  severity=severity, page=v.page(*first[:3]), unit=unit, description=description,
                  lhs_desc=lhs_desc, rhs_desc=rhs_desc)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=INSTANCE_COLUMNS)

    # ----------------------------------------------------------- helpers
    def _row_desc(self, table: str, row: str) -> str:
        lab = self.v.label(table, row)
        return f"{row} {lab}" if lab and lab != row else row

    # ------------------------------------------------------------ tables
    def table_01(self) -> None:
        v, T = self.v, "公开01"
        if not v.usable(T):
            return
        rows = v.table_rows(T)
        income_rows = [r for r in rows if "收入" in v.cols_of(T, r)]
        exp_rows = [r for r in rows if "支出" in v.cols_of(T, r)]
        use_bal = next((r for r in income_rows if r.startswith("使用非财政拨款结余")), USE_OF_BALANCE_01)
        lines = list(INCOME_LINES_01) + [r for r in income_rows if r not in INCOME_LINES_01
                                         and r not in INCOME_NON_LINES_01 and r != use_bal and "/" not in r]
        self.identity(family="total", rule="公开01.本年收入合计=Σ收入", table_code=T,
                      row_key="本年收入合计", column_key="收入",
                      lhs=[(T, "本年收入合计", "收入", 1)], rhs=[(T, r, "收入", 1) for r in lines],
                      description=f"公开01 本年收入合计 = sum of the {len(lines)} income lines",
                      lhs_desc="本年收入合计", rhs_desc=f"sum of {len(lines)} income lines")
        self.identity(family="total", rule="公开01.总计(收)=本年收入合计+使用非财政拨款结余+年初结转和结余",
                      table_code=T, row_key="总计", column_key="收入",
                      lhs=[(T, "总计", "收入", 1)],
                      rhs=[(T, "本年收入合计", "收入", 1), (T, use_bal, "收入", 1), (T, "年初结转和结余", "收入", 1)],
                      description="公开01 总计(收入) = 本年收入合计 + 使用非财政拨款结余（含专用结余） + 年初结转和结余",
                      lhs_desc="总计(收入)", rhs_desc="本年收入合计 + 使用非财政拨款结余 + 年初结转和结余")
        cats = [r for r in exp_rows if r not in EXPENDITURE_NON_LINES_01 and "/" not in r]
        self.identity(family="total", rule="公开01.本年支出合计=Σ支出类别", table_code=T,
                      row_key="本年支出合计", column_key="支出",
                      lhs=[(T, "本年支出合计", "支出", 1)], rhs=[(T, r, "支出", 1) for r in cats],
                      description=f"公开01 本年支出合计 = sum of the category lines ({len(cats)} printed)",
                      lhs_desc="本年支出合计", rhs_desc=f"sum of {len(cats)} category lines")
        self.identity(family="total", rule="公开01.总计(支)=本年支出合计+结余分配+年末结转和结余",
                      table_code=T, row_key="总计", column_key="支出",
                      lhs=[(T, "总计", "支出", 1)],
                      rhs=[(T, "本年支出合计", "支出", 1), (T, "结余分配", "支出", 1), (T, "年末结转和结余", "支出", 1)],
                      description="公开01 总计(支出) = 本年支出合计 + 结余分配 + 年末结转和结余",
                      lhs_desc="总计(支出)", rhs_desc="本年支出合计 + 结余分配 + 年末结转和结余")
        self.identity(family="total", rule="公开01.总计(收)=总计(支)", table_code=T, row_key="总计",
                      lhs=[(T, "总计", "收入", 1)], rhs=[(T, "总计", "支出", 1)],
                      description="公开01 总计(收入) = 总计(支出)", lhs_desc="总计(收入)", rhs_desc="总计(支出)")

    def function_table(self, T: str) -> None:
        v = self.v
        if not v.usable(T) or not v.has_cells(T):
            return
        rows = v.table_rows(T)
        total_col, addends = ROW_SUMS[T]
        observed = []
        for r in rows:
            for c in v.cols_of(T, r):
                if c not in observed:
                    observed.append(c)
        columns = list(TABLE_COLUMNS[T]) + [c for c in observed if c not in TABLE_COLUMNS[T]]
        for r in rows:
            self.identity(family="row_sum", rule=f"{T}.row_sum", inst=r, table_code=T, row_key=r,
                          column_key=total_col,
                          lhs=[(T, r, total_col, 1)], rhs=[(T, r, c, 1) for c in addends],
                          description=f"{T} row {self._row_desc(T, r)}: {total_col} = {' + '.join(addends)}",
                          lhs_desc=total_col, rhs_desc=" + ".join(addends))
            if T == "公开07":
                self.identity(family="row_sum", rule="公开07.年末=年初+本年收入-本年支出小计", inst=r,
                              table_code=T, row_key=r, column_key="年末结转和结余",
                              lhs=[(T, r, "年末结转和结余", 1)],
                              rhs=[(T, r, "年初结转和结余", 1), (T, r, "本年收入", 1), (T, r, "本年支出小计", -1)],
                              description=f"公开07 row {self._row_desc(T, r)}: 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出小计",
                              lhs_desc="年末结转和结余", rhs_desc="年初结转和结余 + 本年收入 − 本年支出小计")
        spec = T in ("公开02", "公开03", "公开05")
        codes = [r for r in rows if r.isdigit() and len(r) in (3, 5, 7)]
        for parent_len, child_len, rule in ((3, 5, "类=Σ款"), (5, 7, "款=Σ项")):
            for p in [c for c in codes if len(c) == parent_len]:
                children = [c for c in codes if len(c) == child_len and c.startswith(p)]
                if not children:
                    continue
                for col in columns:
                    self.identity(family="hierarchy", rule=f"{T}.{rule}", inst=f"{p}/{col}", table_code=T,
                                  row_key=p, column_key=col, spec=spec,
                                  lhs=[(T, p, col, 1)], rhs=[(T, c, col, 1) for c in children],
                                  description=f"{T} {col}: {self._row_desc(T, p)} = sum of its {len(children)} "
                                              f"{'款' if child_len == 5 else '项'} ({', '.join(children)})",
                                  lhs_desc=p, rhs_desc=" + ".join(children))
        classes = [c for c in codes if len(c) == 3]
        if classes:
            for col in columns:
                self.identity(family="hierarchy", rule=f"{T}.合计=Σ类", inst=col, table_code=T, row_key="合计",
                              column_key=col, spec=spec,
                              lhs=[(T, "合计", col, 1)], rhs=[(T, c, col, 1) for c in classes],
                              description=f"{T} {col}: 合计 = sum of the {len(classes)} 类 rows ({', '.join(classes)})",
                              lhs_desc="合计", rhs_desc=" + ".join(classes))

    def table_04(self) -> None:
        v, T = self.v, "公开04"
        if not v.usable(T):
            return
        rows = v.table_rows(T)
        self.identity(family="total", rule="公开04.本年收入合计=Σ收入", table_code=T, row_key="本年收入合计",
                      column_key="收入", lhs=[(T, "本年收入合计", "收入", 1)], rhs=[(T, f, "收入", 1) for f in FUNDS_04],
                      description="公开04 本年收入合计 = 一般公共预算财政拨款 + 政府性基金预算财政拨款 + 国有资本经营预算财政拨款",
                      lhs_desc="本年收入合计", rhs_desc="sum of the 3 appropriation lines")
        subs = [r for r in rows if r.startswith(OPENING_04 + "/") and "收入" in v.cols_of(T, r)]
        if subs:
            self.identity(family="total", rule="公开04.年初结转和结余=Σ分项", table_code=T, row_key=OPENING_04,
                          column_key="收入", lhs=[(T, OPENING_04, "收入", 1)], rhs=[(T, r, "收入", 1) for r in subs],
                          description="公开04 年初财政拨款结转和结余 = sum of its sub-lines",
                          lhs_desc=OPENING_04, rhs_desc=" + ".join(subs))
        self.identity(family="total", rule="公开04.总计(收)=本年收入合计+年初结转和结余", table_code=T,
                      row_key="总计", column_key="收入", lhs=[(T, "总计", "收入", 1)],
                      rhs=[(T, "本年收入合计", "收入", 1), (T, OPENING_04, "收入", 1)],
                      description="公开04 总计(收入) = 本年收入合计 + 年初财政拨款结转和结余",
                      lhs_desc="总计(收入)", rhs_desc="本年收入合计 + 年初财政拨款结转和结余")
        exp_rows = [r for r in rows if v.cols_of(T, r) & set(COLUMNS_04)]
        cats = [r for r in exp_rows if r not in EXPENDITURE_NON_LINES_04 and "/" not in r]
        for r in exp_rows:
            if "/" in r:
                continue
            self.identity(family="row_sum", rule="公开04.row_sum", inst=r, table_code=T, row_key=r, column_key="合计",
                          lhs=[(T, r, "合计", 1)], rhs=[(T, r, f, 1) for f in FUNDS_04],
                          description=f"公开04 row {r}: 合计 = 一般公共预算财政拨款 + 政府性基金预算财政拨款 + 国有资本经营预算财政拨款",
                          lhs_desc="合计", rhs_desc="sum of the 3 appropriation columns")
        for c in COLUMNS_04:
            self.identity(family="total", rule="公开04.本年支出合计=Σ支出类别", inst=c, table_code=T,
                          row_key="本年支出合计", column_key=c,
                          lhs=[(T, "本年支出合计", c, 1)], rhs=[(T, r, c, 1) for r in cats],
                          description=f"公开04 {c}: 本年支出合计 = sum of the category lines ({len(cats)} printed)",
                          lhs_desc="本年支出合计", rhs_desc=f"sum of {len(cats)} category lines")
            self.identity(family="total", rule="公开04.总计(支)=本年支出合计+年末结转和结余", inst=c, table_code=T,
                          row_key="总计", column_key=c,
                          lhs=[(T, "总计", c, 1)], rhs=[(T, "本年支出合计", c, 1), (T, CLOSING_04, c, 1)],
                          description=f"公开04 {c}: 总计 = 本年支出合计 + 年末财政拨款结转和结余",
                          lhs_desc="总计", rhs_desc="本年支出合计 + 年末财政拨款结转和结余")
        self.identity(family="total", rule="公开04.总计(收)=总计(支)", table_code=T, row_key="总计",
                      lhs=[(T, "总计", "收入", 1)], rhs=[(T, "总计", "合计", 1)],
                      description="公开04 总计(收入) = 总计(支出).合计", lhs_desc="总计(收入)", rhs_desc="总计(支出).合计")

    def table_06(self) -> None:
        v, T = self.v, "公开06"
        if not v.usable(T) or not v.has_cells(T):
            return
        rows = v.table_rows(T)
        col = "决算数"
        codes = [r for r in rows if r.isdigit() and len(r) in (3, 5)]
        for p in [c for c in codes if len(c) == 3]:
            children = [c for c in codes if len(c) == 5 and c.startswith(p)]
            if not children:
                continue
            self.identity(family="hierarchy", rule="公开06.类=Σ款", inst=p, table_code=T, row_key=p, column_key=col,
                          lhs=[(T, p, col, 1)], rhs=[(T, c, col, 1) for c in children],
                          description=f"公开06 {p} {ECONOMIC_CLASSES.get(p, v.label(T, p))} = sum of its {len(children)} 款",
                          lhs_desc=p, rhs_desc=f"sum of {len(children)} 款")
        self.identity(family="total", rule="公开06.人员经费合计=301+303", table_code=T, row_key="人员经费合计",
                      column_key=col, lhs=[(T, "人员经费合计", col, 1)], rhs=[(T, c, col, 1) for c in PERSONNEL_CLASSES],
                      description="公开06 人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助",
                      lhs_desc="人员经费合计", rhs_desc="301 + 303")
        self.identity(family="total", rule="公开06.公用经费合计=302+307+309+310+311+312+313+399", table_code=T,
                      row_key="公用经费合计", column_key=col,
                      lhs=[(T, "公用经费合计", col, 1)], rhs=[(T, c, col, 1) for c in PUBLIC_CLASSES],
                      description="公开06 公用经费合计 = 302 + 307 + 309 + 310 + 311 + 312 + 313 + 399",
                      lhs_desc="公用经费合计", rhs_desc="302 + 307 + 309 + 310 + 311 + 312 + 313 + 399")

    def table_09(self) -> None:
        v, T = self.v, "公开09"
        if not v.usable(T):
            return
        for r in ("预算数", "决算数"):
            self.identity(family="sangong", rule="公开09.合计=出国+公务用车+接待", inst=r, table_code=T, row_key=r,
                          column_key="合计", lhs=[(T, r, "合计", 1)],
                          rhs=[(T, r, "因公出国（境）费", 1), (T, r, "公务用车购置及运行维护费", 1), (T, r, "公务接待费", 1)],
                          description=f"公开09 {r}: 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
                          lhs_desc="合计", rhs_desc="因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费")
            self.identity(family="sangong", rule="公开09.公务用车=购置+运行维护", inst=r, table_code=T, row_key=r,
                          column_key="公务用车购置及运行维护费", lhs=[(T, r, "公务用车购置及运行维护费", 1)],
                          rhs=[(T, r, "公务用车购置费", 1), (T, r, "公务用车运行维护费", 1)],
                          description=f"公开09 {r}: 公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费",
                          lhs_desc="公务用车购置及运行维护费", rhs_desc="公务用车购置费 + 公务用车运行维护费")

    def table_10(self) -> None:
        v, T = self.v, "公开10"
        if not v.usable(T):
            return
        cols = [c for r in PROCUREMENT_ROWS for c in v.cols_of(T, r)]
        col = cols[0] if cols else "统计数"
        self.identity(family="procurement", rule="公开10.政府采购合计=货物+工程+服务", table_code=T,
                      row_key="政府采购/合计", column_key=col,
                      lhs=[(T, PROCUREMENT_ROWS[0], col, 1)], rhs=[(T, r, col, 1) for r in PROCUREMENT_ROWS[1:]],
                      description="公开10 政府采购 合计 = 货物 + 工程 + 服务",
                      lhs_desc="政府采购/合计", rhs_desc="货物 + 工程 + 服务")

    # ------------------------------------------------------- cross tables
    def _category_rows(self, table: str, col: str) -> dict[str, str]:
        """类 code → row key of the summary table's category line (公开01/04)."""
        out = {}
        for r in self.v.table_rows(table):
            if col in self.v.cols_of(table, r):
                code = function_class_of_name(r)
                if code and code not in out:
                    out[code] = r
        return out

    def cross_tables(self) -> None:
        v = self.v
        X = "cross_table"
        self.identity(family=X, rule="cross_table.公开02合计=公开01本年收入合计", table_code=None,
                      lhs=[("公开02", "合计", "本年收入合计", 1)], rhs=[("公开01", "本年收入合计", "收入", 1)],
                      description="公开02 合计.本年收入合计 = 公开01 本年收入合计",
                      lhs_desc="公开02 合计.本年收入合计", rhs_desc="公开01 本年收入合计")
        self.identity(family=X, rule="cross_table.公开03合计=公开01本年支出合计", table_code=None,
                      lhs=[("公开03", "合计", "本年支出合计", 1)], rhs=[("公开01", "本年支出合计", "支出", 1)],
                      description="公开03 合计.本年支出合计 = 公开01 本年支出合计",
                      lhs_desc="公开03 合计.本年支出合计", rhs_desc="公开01 本年支出合计")
        # 公开03 类 rows = 公开01 category lines
        if v.usable("公开03") and v.usable("公开01"):
            cats01 = self._category_rows("公开01", "支出")
            classes03 = [r for r in v.table_rows("公开03") if r.isdigit() and len(r) == 3]
            for code in sorted(set(cats01) | set(classes03)):
                row01 = cats01.get(code, FUNCTION_CLASSES.get(code, code))
                self.identity(family=X, rule="cross_table.公开03类=公开01支出类别", inst=code, table_code=None,
                              row_key=code, column_key="本年支出合计",
                              lhs=[("公开03", code, "本年支出合计", 1)], rhs=[("公开01", row01, "支出", 1)],
                              description=f"公开03 {code} {FUNCTION_CLASSES.get(code, '')}.本年支出合计 = 公开01 {row01}",
                              lhs_desc=f"公开03 {code}.本年支出合计", rhs_desc=f"公开01 {row01}")
        # 公开01 appropriation income lines = 公开04 income lines
        for fund, spec in zip(FUNDS_04, (True, False, False)):
            self.identity(family=X, rule=f"cross_table.公开01{fund}收入=公开04收入", table_code=None, spec=spec,
                          row_key=fund, lhs=[("公开01", fund + "收入", "收入", 1)], rhs=[("公开04", fund, "收入", 1)],
                          description=f"公开01 {fund}收入 = 公开04 收入 {fund}",
                          lhs_desc=f"公开01 {fund}收入", rhs_desc=f"公开04 {fund}")
        # 公开02 合计 columns = 公开01 income lines (implied)
        self.identity(family=X, rule="cross_table.公开02合计=公开01收入行", inst="财政拨款收入", table_code=None,
                      spec=False, column_key="财政拨款收入",
                      lhs=[("公开02", "合计", "财政拨款收入", 1)],
                      rhs=[("公开01", f + "收入", "收入", 1) for f in FUNDS_04],
                      description="公开02 合计.财政拨款收入 = 公开01 三项财政拨款收入之和",
                      lhs_desc="公开02 合计.财政拨款收入", rhs_desc="公开01 一般公共预算 + 政府性基金 + 国有资本经营 财政拨款收入")
        for c in ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"):
            self.identity(family=X, rule="cross_table.公开02合计=公开01收入行", inst=c, table_code=None, spec=False,
                          column_key=c, lhs=[("公开02", "合计", c, 1)], rhs=[("公开01", c, "收入", 1)],
                          description=f"公开02 合计.{c} = 公开01 {c}", lhs_desc=f"公开02 合计.{c}", rhs_desc=f"公开01 {c}")
        # 公开05/07/08 合计 = 公开04 本年支出合计 by fund
        for T, col, fund, spec, short in (("公开05", "小计", FUNDS_04[0], True, "一般公共预算"),
                                          ("公开07", "本年支出小计", FUNDS_04[1], True, "政府性基金"),
                                          ("公开08", "合计", FUNDS_04[2], False, "国有资本经营")):
            self.identity(family=X, rule=f"cross_table.{T}合计=公开04{short}", table_code=None, spec=spec,
                          lhs=[(T, "合计", col, 1)], rhs=[("公开04", "本年支出合计", fund, 1)],
                          description=f"{T} 合计.{col} = 公开04 本年支出合计.{fund}",
                          lhs_desc=f"{T} 合计.{col}", rhs_desc=f"公开04 本年支出合计.{fund}")
            # 类 rows = 公开04 category lines (implied)
            if v.usable(T) and v.usable("公开04") and v.has_cells(T):
                cats04 = self._category_rows("公开04", fund)
                classes = [r for r in v.table_rows(T) if r.isdigit() and len(r) == 3]
                for code in sorted(set(cats04) | set(classes)):
                    row04 = cats04.get(code, FUNCTION_CLASSES.get(code, code))
                    self.identity(family=X, rule=f"cross_table.{T}类=公开04支出类别{short}", inst=code,
                                  table_code=None, spec=False, row_key=code, column_key=col,
                                  lhs=[(T, code, col, 1)], rhs=[("公开04", row04, fund, 1)],
                                  description=f"{T} {code}.{col} = 公开04 {row04}.{fund}",
                                  lhs_desc=f"{T} {code}.{col}", rhs_desc=f"公开04 {row04}.{fund}")
        self.identity(family=X, rule="cross_table.公开06人员经费+公用经费=公开05基本支出", table_code=None,
                      lhs=[("公开06", "人员经费合计", "决算数", 1), ("公开06", "公用经费合计", "决算数", 1)],
                      rhs=[("公开05", "合计", "基本支出", 1)],
                      description="公开06 人员经费合计 + 公用经费合计 = 公开05 合计.基本支出",
                      lhs_desc="公开06 人员经费合计 + 公用经费合计", rhs_desc="公开05 合计.基本支出")

    # -------------------------------------------------------------- domain
    def domain(self) -> None:
        v = self.v
        if v.usable("公开05") and v.usable("公开03") and v.has_cells("公开05") and v.has_cells("公开03"):
            for r in v.table_rows("公开05"):
                for c05, c03 in (("小计", "本年支出合计"), ("基本支出", "基本支出"), ("项目支出", "项目支出")):
                    if v.get("公开05", r, c05) is None:
                        continue
                    self.identity(family="domain", rule="domain.公开05≤公开03", inst=f"{r}/{c03}", table_code=None,
                                  row_key=r, column_key=c03, kind="le", spec=False,
                                  lhs=[("公开05", r, c05, 1)], rhs=[("公开03", r, c03, 1)],
                                  description=f"公开05 {r}.{c05} (general budget only) ≤ 公开03 {r}.{c03} (all funds)",
                                  lhs_desc=f"公开05 {r}.{c05}", rhs_desc=f"公开03 {r}.{c03}")
        for t, info in sorted(v.tables.items()):
            if t not in TABLE_PRESENT_SEVERITY:
                continue
            ok = 1.0 if v.usable(t) else 0.0
            self.emit(family="domain", rule=f"table_present.{t}", inst=None, table_code=t, row_key=None,
                      column_key=None, lhs=ok, rhs=1.0, n_terms=1, tolerance=0.0, kind="eq",
                      severity=TABLE_PRESENT_SEVERITY[t], page=None, unit="",
                      description=f"{t} is in the document (status {v.status(t)})",
                      lhs_desc="present", rhs_desc="expected",
                      note="" if ok else f"{t} listed by the document but {v.status(t)}")

    def build_all(self) -> None:
        self.table_01()
        for T in ("公开02", "公开03", "公开05", "公开07", "公开08"):
            self.function_table(T)
        self.table_04()
        self.table_06()
        self.table_09()
        self.table_10()
        self.cross_tables()
        self.domain()


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
    if text:
        from .narrative import add_narrative_instances, narrative_claims

        add_narrative_instances(builder, narrative_claims(text), doc)
    return builder.frame()


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
