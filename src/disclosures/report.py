"""A city-and-year comparison as one static HTML file (no scripts, opens offline).

    disclosures report --warehouse data/demo.snapshot.duckdb --out report.html
"""

from __future__ import annotations

import html
from pathlib import Path

import duckdb
import pandas as pd

MARTS = [
    "dim_documents", "dim_departments", "dim_function_subjects", "dim_economic_subjects",
    "mart_department_totals", "mart_expenditure_by_function", "mart_function_share", "mart_sangong", "mart_procurement",
]


def export_marts(con: duckdb.DuckDBPyConnection, out: Path, formats: tuple[str, ...] = ("parquet", "csv")) -> list[Path]:
    """Every mart and dimension, plus the core fact table, as Parquet and/or CSV files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in [*MARTS, "fact_amounts", "check_results", "documents"]:
        for fmt in formats:
            path = out / f"{name}.{fmt}"
            options = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
            # Table names are this module's own; the path is the user's, so it is a parameter, never
            # pasted into the SQL (a quote in a folder name would end the literal, the rest run as SQL).
            con.execute(f"COPY (SELECT * FROM {name}) TO ? {options}", [str(path)])
            written.append(path)
    return written


def default_scope(con: duckdb.DuckDBPyConnection) -> tuple[str | None, int | None]:
    """The region with the most loaded documents, and its latest year."""
    row = con.execute(
        "SELECT region, max(fiscal_year) FROM dim_documents WHERE region IS NOT NULL GROUP BY region ORDER BY count(*) DESC, region LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _bars(labels: list[str], values: list[float], unit: str, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG."""
    if not values:
        return ""
    top = max(max(values), 1e-9)
    row_h, label_w = 22, 230
    h = row_h * len(values) + 10
    parts = [f'<svg width="{width}" height="{h}" role="img" xmlns="http://www.w3.org/2000/svg" font-size="12">']
    for i, (label, v) in enumerate(zip(labels, values)):
        y = 5 + i * row_h
        w = (width - label_w - 90) * (v / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{html.escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="#3b6ea5"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}">{v:,.2f} {unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p><em>no rows</em></p>"
    return frame.to_html(index=False, na_rep="", float_format=lambda v: f"{v:,.2f}", border=0, classes="t")


def render_report(con: duckdb.DuckDBPyConnection, region: str | None = None, year: int | None = None) -> str:
    if region is None or year is None:
        r, y = default_scope(con)
        region, year = region or r, year or y
    params = [region, year]
    totals = con.execute(
        """SELECT department AS 部门, expenditure_wan AS 支出合计_万元, round(basic_yuan/10000, 2) AS 基本支出_万元,
                  round(project_yuan/10000, 2) AS 项目支出_万元, round(personnel_yuan/10000, 2) AS 人员经费_万元,
                  round(public_yuan/10000, 2) AS 公用经费_万元, expenditure_change_pct AS 同比_pct,
                  share_of_region_pct AS 占全市_pct, rank_in_region AS 排名, flagged AS 未通过校验
           FROM mart_department_totals WHERE region = ? AND fiscal_year = ? ORDER BY rank_in_region""",
        params,
    ).df()
    functions = con.execute(
        """SELECT function_code AS 代码, any_value(function_name) AS 功能分类, round(sum(total_yuan)/10000, 2) AS 支出_万元,
                  count(*) AS 部门数
           FROM mart_expenditure_by_function WHERE region = ? AND fiscal_year = ? GROUP BY 1 ORDER BY 3 DESC""",
        params,
    ).df()
    sangong = con.execute(
        """SELECT department AS 部门, item AS 项目, round(budget_yuan/10000, 2) AS 预算_万元, round(actual_yuan/10000, 2) AS 决算_万元
           FROM mart_sangong WHERE region = ? AND fiscal_year = ? ORDER BY 1, 2""",
        params,
    ).df()
    failures = con.execute(
        """SELECT d.department AS 部门, c.check_name AS 校验, c.details AS 说明, c.page AS 页
           FROM check_results c JOIN dim_documents d USING (document_id)
           WHERE d.region = ? AND d.fiscal_year = ? AND NOT c.passed AND c.severity = 'error' ORDER BY 1, 2""",
        params,
    ).df()
    sources = con.execute(
        "SELECT department AS 部门, file_name AS 文件, source_url AS 来源 FROM dim_documents WHERE region = ? AND fiscal_year = ? ORDER BY 1",
        params,
    ).df()
    chart_dept = _bars(list(totals["部门"]), [float(v or 0) for v in totals["支出合计_万元"]], "万元")
    chart_func = _bars([f"{c} {n}" for c, n in zip(functions["代码"], functions["功能分类"])], [float(v or 0) for v in functions["支出_万元"]], "万元")
    title = f"{region} {year}年度 部门决算比较"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
table.t {{ border-collapse: collapse; margin: .5em 0 1.5em; font-size: 13px; }}
table.t th, table.t td {{ border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }}
table.t th:first-child, table.t td:first-child {{ text-align: left; }}
h2 {{ border-bottom: 2px solid #3b6ea5; padding-bottom: 2px; }}
.note {{ color: #666; font-size: 13px; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="note">{len(totals)} departments. Figures as printed in each department's final-accounts disclosure, in 万元.
Departments whose documents failed an error-severity check are marked in 未通过校验; their figures are shown as printed, never corrected.</p>
<h2>支出合计 by department</h2>{chart_dept}{_table(totals)}
<h2>支出 by function class (类), all departments</h2>{chart_func}{_table(functions)}
<h2>"三公"经费: budget and actual</h2>{_table(sangong)}
<h2>Failed checks</h2>{_table(failures)}
<h2>Sources</h2>{_table(sources)}
</body></html>
"""
