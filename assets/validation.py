"""validation: every identity of TABLES.md run through Great Expectations, for one batch.

The checks are computed once for the whole batch and published with its
documents. The Dagster asset checks a reviewer watches are not here: they read
what the warehouse holds across every batch (assets/check_results.py).
"""


import time

import pandas as pd
from dagster import AssetExecutionContext, Output, asset

from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.batch import ParsedBatch, validate_batch


@asset(
    group_name="validation",
    kinds={"great_expectations"},
    partitions_def=INGEST_BATCHES,
)
def checked_documents(context: AssetExecutionContext, parsed_documents: ParsedBatch) -> Output[pd.DataFrame]:
    """One row per identity instance and document check, pass/fail decided by GX."""
    started = time.perf_counter()
    checks = validate_batch(parsed_documents)
    seconds = time.perf_counter() - started
    failed = checks[~checks["passed"].astype(bool)]
    return Output(
        checks,
        metadata={
            "checks": len(checks),
            "failed_error": int((failed["severity"] == "error").sum()),
            "failed_warn": int((failed["severity"] == "warn").sum()),
            "seconds": round(seconds, 2),
            # this batch only; the warehouse's open failures are on check_results' checks
            "documents_failing": int(failed.loc[failed["severity"] == "error", "document_id"].nunique()),
        },
    )
