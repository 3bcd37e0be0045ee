"""Load throughput, validation cost and analyst-query latency on a large synthetic warehouse.

    python bench/warehouse.py [--documents 2000] [--out FILE]  (default: bench-warehouse.duckdb in the temp dir)

2,000 department-years are generated in bulk from the generator's ledgers
(20 regions × 50 departments × 2 years; cells as the truth files state them,
no PDF rendering), validated through the GX suites in batches as the
pipeline does, then published one document per transaction by the same
writer the pipeline uses; each department-year also gets a budget built from
its final account (for mart_budget_execution), with claims about the year before (for
mart_budget_prior_year). Then each analyst query of the
README runs 7 times against the result; the median is reported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd

from disclosures.frames import CELL_COLUMNS, CHECK_COLUMNS, CHECK_KEY_COLUMNS, TABLE_STATUS_COLUMNS
from disclosures.generator.departments import PROFILES
from disclosures.generator.ledger import random_ledger
from disclosures.generator.truth import truth
from disclosures.validate import validate
from disclosures.warehouse.writer import connect, publish_document, refresh_marts

REGIONS = [f"{name}市" for name in "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"]
QUERIES = {
    "department totals, one region-year": "SELECT department, expenditure_wan, rank_in_region, share_of_region_pct FROM mart_department_totals WHERE region = '甲市' AND fiscal_year = 2024 ORDER BY rank_in_region",
    "expenditure by function, one region-year": "SELECT department, function_code, function_name, total_wan, pages FROM mart_expenditure_by_function WHERE region = '甲市' AND fiscal_year = 2024 ORDER BY department, function_code",
    "function share and rank, all regions": "SELECT region, function_code, department, share_of_region_pct, rank_in_region FROM mart_function_share WHERE fiscal_year = 2024 AND rank_in_region <= 3",
    "三公 budget vs actual, all": "SELECT region, department, item, budget_yuan, actual_yuan FROM mart_sangong WHERE fiscal_year = 2024 AND actual_yuan > budget_yuan",
    "year-over-year, all departments": "SELECT region, department, expenditure_change_pct FROM mart_department_totals WHERE fiscal_year = 2024 ORDER BY expenditure_change_pct DESC LIMIT 20",
    "budget against actual, one region-year": "SELECT department, budget_scope, measure, item, budget_yuan, actual_yuan, execution_rate_pct FROM mart_budget_execution WHERE region = '甲市' AND fiscal_year = 2024 ORDER BY department, measure, item",
    "budget overruns, all regions": "SELECT region, department, item, execution_rate_pct FROM mart_budget_execution WHERE fiscal_year = 2024 AND measure = 'function_class' AND execution_rate_pct > 100",
    "budget claims on last year, one region-year": "SELECT department, table_code, row_key, column_key, stated, computed, verdict FROM mart_budget_prior_year WHERE region = '甲市' AND fiscal_year = 2024 ORDER BY department, table_code, row_key, column_key",
    "budget claims on last year that differ, all": "SELECT region, department, table_code, row_key, column_key, stated, computed FROM mart_budget_prior_year WHERE verdict = 'differs'",
    "one figure back to its page": "SELECT d.file_name, f.page, f.printed, f.x0, f.y0 FROM fact_amounts f JOIN documents d USING (document_id) WHERE d.department = '甲市财政局' AND f.table_code = '公开03' AND f.row_key = '合计' AND f.column_key = '本年支出合计'",
}


def synthetic_documents(n: int) -> list[tuple[dict, pd.DataFrame, pd.DataFrame]]:
    slugs = list(PROFILES)
    out = []
    per_region = max(1, n // (2 * len(REGIONS)))
    for r, region in enumerate(REGIONS):
        for k in range(per_region):
            slug = slugs[k % len(slugs)]
            prior = None
            for year in (2023, 2024):
                if len(out) >= n:
                    return out
                led = random_ledger(seed=r * 1000 + k, department=slug, region=region, year=year, prior=prior)
                prior = led
                name = led.department if k < len(slugs) else f"{led.department}（{k // len(slugs)}）"
                doc_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/{year}").hex * 2
                cells = pd.DataFrame(truth(led))
                cells["amount"] = cells["amount"].astype(float)
                cells["document_id"] = doc_id
                cells["method"] = "synthetic"
                cells = cells.reindex(columns=CELL_COLUMNS)
                tables = pd.DataFrame(
                    [(doc_id, t, "absent" if t in led.absent else "present", None, None, "万元", "") for t in sorted({c for c, *_ in led.cells} | led.absent)],
                    columns=TABLE_STATUS_COLUMNS,
                )
                doc = {
                    "document_id": doc_id, "department": name, "region": region, "fiscal_year": year,
                    "report_kind": "final", "source_url": "synthetic", "page_count": 20, "status": "loaded",
                    "unit": "万元", "file_name": f"{name}{year}.pdf",
                }
                out.append((doc, cells, tables))
    return out


def synthetic_budget(doc: dict, cells: pd.DataFrame, share: float) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """A 部门预算 for a final account's department and year: its totals, classes and 三公 at a share of
    what was spent, in the budget's keys (BUDGETS.md), so that mart_budget_execution has pairs to join."""
    doc_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{doc['department']}/{doc['fiscal_year']}/budget").hex * 2
    f = cells.set_index(["table_code", "row_key", "column_key"])["amount"]
    rows = [("预算01", "支出总计", "支出", f.get(("公开01", "本年支出合计", "支出"), 0.0))]
    rows += [("预算03", r, "合计" if c == "本年支出合计" else c, a) for (t, r, c), a in f.items()
             if t == "公开03" and (len(r) == 3 or r == "合计")]
    rows += [("预算09", "预算数", c, a) for (t, r, c), a in f.items() if t == "公开09" and r == "决算数"]
    budget = pd.DataFrame(rows, columns=["table_code", "row_key", "column_key", "amount"])
    budget["amount"] = (budget["amount"].astype(float) * share).round(2)
    budget["document_id"], budget["unit"], budget["page"], budget["method"] = doc_id, "元", 9, "synthetic"
    tables = pd.DataFrame([(doc_id, t, "present", None, None, "元", "") for t in ("预算01", "预算03", "预算09")],
                          columns=TABLE_STATUS_COLUMNS)
    meta = {**doc, "document_id": doc_id, "report_kind": "budget", "budget_scope": "department",
            "file_name": f"{doc['department']}{doc['fiscal_year']}预算.pdf"}
    return meta, budget.reindex(columns=CELL_COLUMNS), tables


def prior_year_claims(budget: pd.DataFrame, last: pd.DataFrame | None) -> pd.DataFrame:
    """The narrative's changes on last year for a budget's 预算01 and 预算09 figures, as the validator
    records them (narrative.prior_year, cannot check): true against last year's budget, but for the
    first claim of one budget in ten (so mart_budget_prior_year has some that differ); the first
    year's against a budget not loaded."""
    now = budget[budget.table_code.isin(["预算01", "预算09"])]
    before = last.set_index(["table_code", "row_key", "column_key"])["amount"] if last is not None else pd.Series(dtype=float)
    rows = []
    for i, (t, r, c, a) in enumerate(now[["table_code", "row_key", "column_key", "amount"]].itertuples(index=False)):
        wrong = i == 0 and int(budget.document_id.iloc[0][:2], 16) % 10 == 0  # one budget in ten
        change = round((a - before.get((t, r, c), 0.0)) / 10000, 2) + (1.0 if wrong else 0.0)
        rows.append({"document_id": budget.document_id.iloc[0], "table_code": t, "check_name": f"narrative.prior_year[{i}]",
                     "passed": False, "severity": "warn", "details": "cannot check: last year's budget is not in the document",
                     "lhs": change, "page": 3, "family": "narrative", "row_key": r, "column_key": c, "unit": "万元"})
    return pd.DataFrame(rows, columns=[*CHECK_COLUMNS, *CHECK_KEY_COLUMNS])


def _query_latencies(con) -> dict[str, float]:
    latencies = {}
    for name, sql in QUERIES.items():
        times = []
        for _ in range(7):
            t = time.perf_counter()
            con.execute(sql).fetchall()
            times.append((time.perf_counter() - t) * 1000)
        latencies[name] = round(statistics.median(times), 1)
    return latencies


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=2000)
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "bench-warehouse.duckdb"))
    ap.add_argument("--queries-only", action="store_true",
                    help="re-time the queries on the warehouse already at --out (after a marts change)")
    args = ap.parse_args()
    if args.queries_only:
        con = connect(args.out)
        refresh_marts(con)
        n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        latencies = _query_latencies(con)
        con.close()
        return {"documents": n, "query_median_ms": latencies}
    Path(args.out).unlink(missing_ok=True)

    t = time.perf_counter()
    docs = synthetic_documents(args.documents)
    generated = time.perf_counter() - t

    # Validation as the pipeline runs it: GX loaded once, documents in batches.
    validate(docs[0][1], [{"document_id": docs[0][0]["document_id"], "unit": "万元", "fiscal_year": 2023}])
    t = time.perf_counter()
    checks = []
    for i in range(0, len(docs), 200):
        chunk = docs[i : i + 200]
        cells = pd.concat([c for _, c, _ in chunk], ignore_index=True)
        meta = [{"document_id": d["document_id"], "unit": "万元", "fiscal_year": d["fiscal_year"], "tables": tb} for d, _, tb in chunk]
        checks.append(validate(cells, meta))
    checks = pd.concat(checks, ignore_index=True)
    validated = time.perf_counter() - t

    by_doc = dict(tuple(checks.groupby("document_id")))
    con = connect(args.out)
    t = time.perf_counter()
    rows = 0
    for doc, cells, tables in docs:
        publish_document(con, doc, cells, tables, by_doc.get(doc["document_id"], checks.iloc[0:0]), [], "bench", "bench")
        rows += len(cells)
    loaded = time.perf_counter() - t
    # every final account gets its department's budget, whose narrative states changes on the year
    # before (published, not counted in the load rate)
    budgets = [synthetic_budget(d, c, 1.05 + (i % 7) / 20) for i, (d, c, _) in enumerate(docs)]
    last_year = {}
    for doc, cells, tables in budgets:
        who = (doc["region"], doc["department"])
        claims = prior_year_claims(cells, last_year.get(who))
        last_year[who] = cells
        publish_document(con, doc, cells, tables, claims, [], "bench", "bench")
    refresh_marts(con)

    latencies = _query_latencies(con)
    con.close()
    return {
        "documents": len(docs),
        "budgets": len(budgets),
        "cells": rows,
        "checks": len(checks),
        "generate_s": round(generated, 1),
        "validation_ms_per_document": round(1000 * validated / len(docs), 1),
        "load_documents_per_s": round(len(docs) / loaded, 1),
        "load_cells_per_s": round(rows / loaded),
        "query_median_ms": latencies,
        "warehouse_mb": round(Path(args.out).stat().st_size / 2**20, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=2, ensure_ascii=False))
