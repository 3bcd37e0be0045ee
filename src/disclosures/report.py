"""A city-and-year comparison as one static HTML file (no scripts, opens offline).

    disclosures report --warehouse data/demo.snapshot.duckdb --out report.html
"""

from __future__ import annotations

import html
import duckdb
import pandas as pd

class ScopeError(ValueError):
    """A region or year the warehouse holds no document of; the message is one line."""


def scope(con: duckdb.DuckDBPyConnection, regions: list[str] | None = None,
          years: list[int] | None = None) -> tuple[list[str], list[int]]:
    """The regions and years asked for, checked against every document held (loaded or not);
    nothing asked means all of them."""
    known_regions = [r for (r,) in con.execute(
        "SELECT DISTINCT region FROM documents WHERE region IS NOT NULL ORDER BY 1").fetchall()]
    known_years = [y for (y,) in con.execute(
        "SELECT DISTINCT fiscal_year FROM documents WHERE fiscal_year IS NOT NULL ORDER BY 1").fetchall()]
    unknown = [r for r in regions or [] if r not in known_regions]
    if unknown:
        raise ScopeError(f"no documents of region {', '.join(unknown)} in the warehouse; "
                         f"its regions: {', '.join(known_regions) or 'none'}")
    missing = [y for y in years or [] if y not in known_years]
    if missing:
        raise ScopeError(f"no documents of year {', '.join(map(str, missing))} in the warehouse; "
                         f"its years: {', '.join(map(str, known_years)) or 'none'}")
    return list(dict.fromkeys(regions or known_regions)), sorted(set(years or known_years))


EMPTY = "—"


def _cell(value) -> str:
    """A value as the page prints it: missing is a dash, money has separators; never nan, never True."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return EMPTY
    if isinstance(value, bool):
        raise TypeError("a flag reaches the page as words (flagged/passed), not as a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _bars(labels: list[str], values: list[float | None], unit: str, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG; a missing value gets its label and a dash, no bar."""
    if not values:
        return ""
    shown = [v for v in values if v is not None and not pd.isna(v)]
    top = max([*shown, 1e-9])
    row_h, label_w = 22, 260
    h = row_h * len(values) + 10
    parts = [f'<svg width="{width}" height="{h}" role="img" xmlns="http://www.w3.org/2000/svg" font-size="12">']
    for i, (label, v) in enumerate(zip(labels, values)):
        y = 5 + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{html.escape(label)}</text>')
        if v is None or pd.isna(v):
            parts.append(f'<text x="{label_w + 4}" y="{y + 14}">{EMPTY}</text>')
            continue
        w = max(0.0, (width - label_w - 90) * (float(v) / top))
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="#3b6ea5"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}">{float(v):,.2f} {unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p><em>none</em></p>"
    cells = frame.map(_cell)
    cells.columns = [str(c) for c in cells.columns]
    return cells.to_html(index=False, border=0, classes="t", escape=True)


def _in_scope(con, sql: str, regions: list[str], years: list[int]) -> pd.DataFrame:
    return con.execute(sql, [regions, years]).df()


def _by_year(frame: pd.DataFrame, index: list[str], value: str, years: list[int]) -> pd.DataFrame:
    """One row per `index`, one column per year: the same department (or function) side by side."""
    if frame.empty:
        return pd.DataFrame(columns=[*index, *years])
    wide = frame.pivot(index=index, columns="fiscal_year", values=value).reindex(columns=years)
    return wide.reset_index()


def _departments(totals: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """支出合计 per department across the years, the change on the year before, and which years are flagged."""
    table = _by_year(totals, ["部门"], "expenditure_wan", years)
    change = _by_year(totals, ["部门"], "expenditure_change_pct", years)
    for y in years[1:]:
        table[f"同比 {y} %"] = change[y]
    table = table[["部门", *[c for y in years for c in (y, f"同比 {y} %") if c in table.columns]]]
    flagged = totals[totals["flagged"]].groupby("部门")["fiscal_year"].apply(lambda ys: sorted(set(ys)))
    table["校验"] = [
        f"flagged ({', '.join(map(str, flagged[d]))})" if d in flagged.index else "passed" for d in table["部门"]
    ]
    latest = years[-1]
    return table.sort_values(latest, ascending=False, na_position="last").rename(
        columns={y: f"{y} 支出合计 万元" for y in years})


def render_report(con: duckdb.DuckDBPyConnection, regions: list[str] | None = None, years: list[int] | None = None) -> str:
    """Departments compared across the years asked for, region by region, with every document that
    failed a check or did not load listed with its reasons. Raises ScopeError for a region or year
    the warehouse does not hold."""
    regions, years = scope(con, regions, years)
    where = "region IN (SELECT unnest($1)) AND fiscal_year IN (SELECT unnest($2))"
    final = f"document_id IN (SELECT document_id FROM dim_documents WHERE report_kind <> 'budget' AND {where})"
    overview = _in_scope(con, f"""
        SELECT region AS 地区, fiscal_year AS 年度,
               count(*) FILTER (WHERE status = 'loaded') AS 已加载,
               count(*) FILTER (WHERE document_id IN (SELECT document_id FROM dim_documents WHERE flagged)) AS 未通过校验,
               count(*) FILTER (WHERE status <> 'loaded') AS 未加载
        FROM documents WHERE {where} GROUP BY ALL ORDER BY 1, 2""", regions, years)
    totals = _in_scope(con, f"""
        SELECT region, department AS 部门, fiscal_year, expenditure_wan, expenditure_change_pct, flagged
        FROM mart_department_totals WHERE {final}""", regions, years)
    functions = _in_scope(con, f"""
        SELECT region, function_code AS 代码, any_value(function_name) AS 功能分类, fiscal_year,
               round(sum(total_yuan) / 10000, 2) AS total_wan
        FROM mart_expenditure_by_function WHERE {final} GROUP BY region, function_code, fiscal_year""", regions, years)
    sangong = _in_scope(con, f"""
        SELECT region, department AS 部门, fiscal_year AS 年度, item AS 项目,
               round(budget_yuan / 10000, 2) AS 预算_万元, round(actual_yuan / 10000, 2) AS 决算_万元
        FROM mart_sangong WHERE {final} ORDER BY 2, 3, 4""", regions, years)
    # a budget beside the final account of the same department and year (each budget document on its own)
    execution = _in_scope(con, f"""
        SELECT region, department AS 部门, fiscal_year AS 年度,
               CASE budget_scope WHEN 'unit' THEN '单位预算' ELSE '部门预算' END AS 预算,
               CASE measure WHEN 'total_expenditure' THEN '支出合计' WHEN 'basic' THEN '基本支出'
                            WHEN 'project' THEN '项目支出' ELSE '"三公"经费' END AS 项目,
               round(budget_yuan / 10000, 2) AS 预算_万元, round(actual_yuan / 10000, 2) AS 决算_万元,
               execution_rate_pct AS 执行率_pct, budget_page AS 预算页, final_page AS 决算页
        FROM mart_budget_execution
        WHERE {where} AND (measure IN ('total_expenditure', 'basic', 'project') OR (measure = 'sangong' AND item = '合计'))
        ORDER BY 2, 3, 4, CASE measure WHEN 'total_expenditure' THEN 1 WHEN 'basic' THEN 2 WHEN 'project' THEN 3 ELSE 4 END""",
                          regions, years)
    flagged = _in_scope(con, """
        SELECT d.file_name AS 文件, d.region AS 地区, d.department AS 部门, d.fiscal_year AS 年度,
               c.check_name AS 校验, c.details AS 说明, c.page AS 页
        FROM check_results c JOIN dim_documents d USING (document_id)
        WHERE d.region IN (SELECT unnest($1)) AND d.fiscal_year IN (SELECT unnest($2))
          AND NOT c.passed AND c.severity = 'error' AND c.disposition IS DISTINCT FROM 'bureau_error'
        ORDER BY 2, 3, 4, 5""", regions, years)
    # A file that did not load may not say where or when it is from: it is listed unless it
    # says it is from another region or year.
    not_loaded = _in_scope(con, """
        SELECT file_name AS 文件, status AS 状态, reason AS 原因, region AS 地区, department AS 部门, fiscal_year AS 年度
        FROM documents
        WHERE status <> 'loaded' AND (region IS NULL OR region IN (SELECT unnest($1)))
          AND (fiscal_year IS NULL OR fiscal_year IN (SELECT unnest($2)))
        ORDER BY 4 NULLS LAST, 6 NULLS LAST, 1""", regions, years)
    sources = _in_scope(con, f"""
        SELECT region AS 地区, fiscal_year AS 年度, department AS 部门, file_name AS 文件, source_url AS 来源
        FROM dim_documents WHERE {where} ORDER BY ALL""", regions, years)

    sections = []
    for region in regions:
        mine = totals[totals["region"] == region]
        depts = _departments(mine, years)
        labels, values = [], []
        for row in mine.sort_values(["部门", "fiscal_year"]).itertuples(index=False):
            labels.append(f"{row.部门} {row.fiscal_year}")
            values.append(row.expenditure_wan)
        funcs = functions[functions["region"] == region]
        by_function = _by_year(funcs, ["代码", "功能分类"], "total_wan", years).rename(
            columns={y: f"{y} 支出 万元" for y in years})
        sections.append(f"""<h2>{html.escape(region)}</h2>
<h3>支出合计 by department and year</h3>{_bars(labels, values, "万元")}{_table(depts)}
<h3>支出 by function class (类), all departments</h3>{_table(by_function)}
<h3>"三公"经费: budget and actual</h3>{_table(sangong[sangong["region"] == region].drop(columns="region"))}
<h3>Budget against actual: each budget document (部门预算, 单位预算) beside the final account</h3>
{_table(execution[execution["region"] == region].drop(columns="region"))}""")

    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else EMPTY
    title = f"部门决算比较: {'、'.join(regions) or EMPTY} · {span}"
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
<p class="note">Figures as printed in each department's final-accounts disclosure, in 万元, never corrected.
A department is <em>flagged</em> in a year when that year's document failed an error-severity check that no
reviewer accepted as the bureau's own error; its figures are shown all the same, and its failures are listed
below. {EMPTY} marks a figure the document does not give (or a change with no year before it).</p>
{_table(overview)}
{"".join(sections)}
<h2>Flagged documents: open failed checks</h2>{_table(flagged)}
<h2>Documents not loaded</h2>
<p class="note">Files that were ingested but whose figures did not land, with the reason. A file that does not
say which region or year it is from is listed in every report.</p>{_table(not_loaded)}
<h2>Sources</h2>{_table(sources)}
</body></html>
"""
