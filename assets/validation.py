"""validation: every identity of TABLES.md run through Great Expectations.

The checks are computed once for the whole batch; each family of identities
becomes one Dagster asset check, whose metadata lists the failing instances
(both sides, the difference, the page) so a reviewer can open the page.
"""


import time

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetExecutionContext, MetadataValue, Output, asset

from dagster_duckdb import DuckDBResource

from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.batch import ParsedBatch, validate_batch
from disclosures.warehouse.writer import dispositions

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


def _failing_table(failing: pd.DataFrame, documents: dict[str, dict]) -> str:
    """Failing instances, open errors first: both sides, the difference, the page, the verdict, the file."""
    order = failing.assign(
        _open=failing["disposition"].ne("bureau_error"), _error=failing["severity"].eq("error")
    ).sort_values(["_open", "_error"], ascending=False)
    rows = []
    for f in order.head(50).itertuples(index=False):
        doc = documents.get(f.document_id, {})
        page = "" if pd.isna(f.page) else int(f.page)
        where = f"{doc.get('raw_path', '')}#page={page}" if page != "" else doc.get("raw_path", "")
        rows.append(
            f"| {doc.get('department') or doc.get('file_name')} | {f.check_name} | {f.severity} | {_num(f.lhs)} "
            f"| {_num(f.rhs)} | {_num(f.difference)} | {page} | {_triage(f)} | `{where}` |"
        )
    head = (
        "| document | identity | severity | printed | expected | difference | page | triage | file |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    more = f"\n\n…and {len(failing) - 50} more in check_results" if len(failing) > 50 else ""
    return head + "\n".join(rows) + more


def _triage(f) -> str:
    if not isinstance(f.disposition, str):
        return "open"
    return f"{f.disposition}: {f.note}" if isinstance(f.note, str) and f.note else f.disposition


def _num(v) -> str:
    return "" if v is None or pd.isna(v) else f"{float(v):,.2f}"


@asset(
    group_name="validation",
    kinds={"great_expectations"},
    partitions_def=INGEST_BATCHES,
    check_specs=[AssetCheckSpec(name, asset="checked_documents", description=desc) for name, (_, desc) in CHECK_FAMILIES.items()],
)
def checked_documents(context: AssetExecutionContext, parsed_documents: ParsedBatch, warehouse: DuckDBResource):
    """One row per identity instance and document check, pass/fail decided by GX.

    A family's Dagster check fails while any failing instance is untriaged or
    marked a parser error; failures a reviewer accepted as the bureau's own
    error stay listed, with the reviewer's note, but no longer fail the check.
    """
    started = time.perf_counter()
    checks = validate_batch(parsed_documents)
    seconds = time.perf_counter() - started
    documents = {d["document_id"]: d for d in parsed_documents.documents}
    failed = checks[~checks["passed"].astype(bool)]
    yield Output(
        checks,
        metadata={
            "checks": len(checks),
            "failed_error": int((failed["severity"] == "error").sum()),
            "failed_warn": int((failed["severity"] == "warn").sum()),
            "seconds": round(seconds, 2),
        },
    )
    verdicts = dispositions(warehouse.database)
    failed = failed.merge(verdicts, on=["document_id", "check_name"], how="left")
    for family, (severity, _) in CHECK_FAMILIES.items():
        mine = checks[checks["family"] == family]
        bad = failed[failed["family"] == family]
        open_ = bad[bad["disposition"] != "bureau_error"]
        # ERROR while an open failure is error-severity, else WARN (warnings never page anyone).
        level = severity if (open_["severity"] == "error").any() else AssetCheckSeverity.WARN
        yield AssetCheckResult(
            check_name=family,
            passed=open_.empty,
            severity=level,
            metadata={
                "instances": len(mine),
                "failed": len(bad),
                "accepted_as_bureau_errors": len(bad) - len(open_),
                "documents_failing": int(open_["document_id"].nunique()),
                "failing": MetadataValue.md(_failing_table(bad, documents) if not bad.empty else "none"),
            },
        )
