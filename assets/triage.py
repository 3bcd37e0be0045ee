"""triage: the reviewers' verdicts (`check_dispositions`), one per run of the `triage` job.

Materializing this asset records one verdict: the Launchpad of the `triage` job
(or its "Materialize" button) asks for the document and the check as the
worklist prints them. The job then re-runs the checks on `check_results`, so
the verdict shows in them at once.
"""


from enum import Enum

from dagster import AssetExecutionContext, Config, Failure, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource
from pydantic import Field

from disclosures.assets.warehouse import own_warehouse
from disclosures.triage import Refused, mark
from disclosures.warehouse.reader import WarehouseBusy
from disclosures.warehouse.writer import reading


class Verdict(Enum):
    bureau_error = "bureau_error"  # the document's own error, accepted (with a note)
    parser_error = "parser_error"  # ours to fix: the check stays open until a re-parse clears it


class TriageConfig(Config):
    """A verdict on one worklist item (its check, and the failures that follow from it)."""

    document: str = Field(description="the document as the worklist prints it: its file name, or its id")
    check: str = Field(description="the item's check as the worklist prints it (`triage: … check …`)")
    verdict: Verdict = Field(default=Verdict.bureau_error, description="bureau_error or parser_error")
    note: str = Field(description="why: what the page shows")
    reviewer: str = Field(default="reviewer", description="who decided")


@asset(group_name="warehouse", kinds={"duckdb"}, pool="warehouse")
def check_dispositions(context: AssetExecutionContext, config: TriageConfig, warehouse: DuckDBResource) -> MaterializeResult:
    """Reviewers' verdicts on failed checks, append-only (the latest per check is in force)."""
    path = own_warehouse(context, warehouse)
    try:
        doc_id, settled = mark(path, config.document, config.check, config.verdict.value, config.note, config.reviewer)
    except (Refused, WarehouseBusy) as exc:
        # One line for the reviewer, who typed it; a stack trace would say nothing more.
        context.log.error(f"not recorded: {exc}")
        busy = {"busy": "the warehouse is being written"} if isinstance(exc, WarehouseBusy) else {}
        raise Failure(description=f"not recorded: {exc}", metadata=busy, allow_retries=False) from None
    with reading(path) as con:
        total = con.execute("SELECT count(*) FROM check_dispositions").fetchone()[0]
    context.log.info(f"{config.reviewer}: {len(settled)} checks on {doc_id[:12]} are {config.verdict.value}: {config.note}")
    return MaterializeResult(
        metadata={
            "document": doc_id[:12],
            "verdict": config.verdict.value,
            "note": config.note,
            "reviewer": config.reviewer,
            "settled": MetadataValue.md("\n".join(f"- `{n}`" for n in settled)),
            "verdicts_recorded": int(total),
        }
    )
