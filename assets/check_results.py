"""check_results: every check run on every document the warehouse holds, and the checks a reviewer watches.

The asset checks read what was persisted (check_results with the verdicts in
force), not one batch's frame: after any ingest, however small, and after
every verdict they describe the whole warehouse. Green means no open error in
it. Each family of identities is a check of its own; `open_failures` carries
the worklist (worklist.py) with a crop of every printed figure.
"""


import pandas as pd
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetChecksDefinition,
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
)
from dagster_duckdb import DuckDBResource

from disclosures.assets.triage import check_dispositions
from disclosures.assets.warehouse import own_warehouse, published_documents
from disclosures.warehouse.writer import reading
from disclosures.worklist import Item, failed_checks, figure_crops, group, render, summary, unread_tables

# family → (severity of its Dagster check, what it covers)
CHECK_FAMILIES = {
    "document": (AssetCheckSeverity.ERROR, "the file is a readable final-accounts disclosure"),
    "table_present": (AssetCheckSeverity.WARN, "every required table is printed"),
    "row_sum": (AssetCheckSeverity.ERROR, "per-row sums: totals equal their parts"),
    "hierarchy": (AssetCheckSeverity.ERROR, "类 = Σ款, 款 = Σ项, 合计 = Σ类"),
    "total": (AssetCheckSeverity.ERROR, "summary-table totals"),
    "cross_table": (AssetCheckSeverity.ERROR, "the same figure agrees across tables"),
    "sangong": (AssetCheckSeverity.ERROR, "三公 sums"),
    "procurement": (AssetCheckSeverity.ERROR, "公开10 procurement sums"),
    "narrative": (AssetCheckSeverity.ERROR, "the 情况说明 restates the tables' figures"),
    "domain": (AssetCheckSeverity.WARN, "codes, names, signs, year and unit are plausible"),
}


@asset(group_name="warehouse", kinds={"duckdb"}, deps=[published_documents])
def check_results(context: AssetExecutionContext, warehouse: DuckDBResource) -> MaterializeResult:
    """One row per check run on a document, with the verdict in force (warehouse/schema.sql)."""
    with reading(own_warehouse(context, warehouse)) as con:
        failed, items = _load(con)
        total = con.execute("SELECT count(*) FROM checks").fetchone()[0] if con is not None else 0
    return MaterializeResult(
        metadata={
            "checks": int(total),
            **_counts(failed),
            "documents_with_open_items": MetadataValue.md(_summary_md(items)),
        }
    )


def _load(con) -> tuple[pd.DataFrame, list[Item]]:
    if con is None:
        return pd.DataFrame(columns=["severity", "disposition", "family", "document_id"]), []
    failed = failed_checks(con)
    return failed, group(failed, unread_tables(con))


def _open(failed: pd.DataFrame) -> pd.DataFrame:
    # A parser_error verdict keeps a failure open: it is ours to fix, and a re-parse clears it.
    return failed[failed["disposition"].ne("bureau_error")]


def _counts(failed: pd.DataFrame) -> dict:
    still = _open(failed)
    return {
        "open_errors": int(still["severity"].eq("error").sum()),
        "open_warnings": int(still["severity"].eq("warn").sum()),
        "settled_as_bureau_errors": int(len(failed) - len(still)),
        "marked_parser_errors": int(failed["disposition"].eq("parser_error").sum()),
        "documents_with_open_errors": int(still.loc[still["severity"].eq("error"), "document_id"].nunique()),
    }


def _summary_md(items: list[Item]) -> str:
    frame = summary(items)
    return frame.to_markdown(index=False) if not frame.empty else "no open items"


def _result(failed: pd.DataFrame, worklist: str, severity: AssetCheckSeverity, extra: dict | None = None) -> AssetCheckResult:
    counts = _counts(failed)
    return AssetCheckResult(
        passed=counts["open_errors"] == 0,
        severity=severity,
        metadata={**counts, **(extra or {}), "worklist": MetadataValue.md(worklist)},
    )


@asset_check(
    asset=check_results,
    additional_deps=[check_dispositions],
    description="No open error in the warehouse: the worklist of every failure not settled, with the printed figures",
)
def open_failures(context: AssetCheckExecutionContext, warehouse: DuckDBResource) -> AssetCheckResult:
    with reading(warehouse.database) as con:
        failed, items = _load(con)
        crops = figure_crops(con, items) if con is not None else {}
    return _result(failed, render(items, crops), AssetCheckSeverity.ERROR,
                   {"documents": MetadataValue.md(_summary_md(items))})


def family_check(family: str, severity: AssetCheckSeverity, description: str) -> AssetChecksDefinition:
    @asset_check(asset=check_results, name=family, additional_deps=[check_dispositions], description=description)
    def _family(context: AssetCheckExecutionContext, warehouse: DuckDBResource) -> AssetCheckResult:
        with reading(warehouse.database) as con:
            failed, items = _load(con)
        mine = [it for it in items if it.members["family"].eq(family).any()]
        # The items are whole (their consequences in other families included); the counts are this family's.
        return _result(failed[failed["family"] == family], render(mine), severity)

    return _family


CHECKS = [open_failures, *(family_check(f, sev, desc) for f, (sev, desc) in CHECK_FAMILIES.items())]
